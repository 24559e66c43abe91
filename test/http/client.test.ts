import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpClient } from '../../src/http/client.js'
import { HttpError } from '../../src/http/errors.js'
import { collectPages } from '../../src/http/paging.js'
import { registerSecret } from '../../src/util/secrets.js'
import { SimServer } from '../sim/server.js'

describe('HttpClient against a loopback server', () => {
  let sim: SimServer
  let client: HttpClient

  beforeEach(async () => {
    sim = new SimServer()
    sim.route('GET', '/api/items/:id', (req) => ({ json: { id: req.params.id, auth: req.headers['x-key'] ?? null } }))
    sim.route('GET', '/api/pages', (req) => {
      const skip = Number(req.query.get('skip') ?? 0)
      return { json: { items: [skip, skip + 1], next: skip < 4 ? `/api/pages?skip=${skip + 2}` : undefined } }
    })
    await sim.start()
    client = new HttpClient({
      system: 'Example',
      baseUrl: `${sim.url}/api`,
      auth: () => ({ 'x-key': 'k' }),
      backoffMs: 5,
      timeoutMs: 500
    })
  })
  afterEach(() => sim.stop())

  it('sends auth headers and parses JSON', async () => {
    expect(await client.get('items/7')).toEqual({ id: '7', auth: 'k' })
  })

  it('waits out a 429 for the Retry-After it was given, then succeeds', async () => {
    sim.inject({ path: '/api/items', status: 429, headers: { 'retry-after': '1' }, times: 1 })
    const started = Date.now()
    expect(await client.get('items/1')).toMatchObject({ id: '1' })
    expect(Date.now() - started).toBeGreaterThanOrEqual(950)
    expect(client.stats).toMatchObject({ requests: 2, retries: 1, throttled: 1 })
  })

  it('retries 5xx, dropped connections, truncated bodies and timeouts', async () => {
    sim.inject({ path: '/api/items', status: 503 })
    sim.inject({ path: '/api/items', drop: true })
    sim.inject({ path: '/api/items', truncate: true })
    sim.inject({ path: '/api/items', delayMs: 800 })
    expect(await client.get('items/2')).toMatchObject({ id: '2' })
    expect(client.stats.requests).toBe(5)
  })

  it('gives up after the configured retries with an error naming system, method and path', async () => {
    sim.inject({ path: '/api/items', status: 502, times: Infinity })
    const limited = new HttpClient({ system: 'Example', baseUrl: sim.url, retries: 2, backoffMs: 1 })
    const error = await limited.get('/api/items/3').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).message).toMatch(/^Example: GET \/api\/items\/3 answered 502/)
    expect(limited.stats.requests).toBe(3)
  })

  it('does not retry a 401 and explains it with the hint, without leaking secrets', async () => {
    registerSecret('super-secret-key-123')
    sim.inject({ path: '/api/items', status: 401, json: { ErrorMessage: 'Bad key super-secret-key-123' } })
    const hinted = new HttpClient({
      system: 'Example',
      baseUrl: sim.url,
      hint: (status) => (status === 401 ? 'Check the key.' : undefined)
    })
    const error = (await hinted.get('/api/items/4').catch((e: unknown) => e)) as HttpError
    expect(error.status).toBe(401)
    expect(error.message).toBe('Example: GET /api/items/4 answered 401: Bad key ***. Check the key.')
    expect(hinted.stats.requests).toBe(1)
  })

  it('treats a custom throttling signal like a 429', async () => {
    sim.inject({ path: '/api/items', status: 403, text: 'Too many calls' })
    const custom = new HttpClient({
      system: 'Example',
      baseUrl: sim.url,
      backoffMs: 1,
      isThrottled: (s, body) => s === 403 && body.includes('Too many calls')
    })
    expect(await custom.get('/api/items/5')).toMatchObject({ id: '5' })
    expect(custom.stats.throttled).toBe(1)
  })

  it('refuses a Retry-After longer than it accepts', async () => {
    sim.inject({ path: '/api/items', status: 429, headers: { 'retry-after': '3600' } })
    const impatient = new HttpClient({ system: 'Example', baseUrl: sim.url, maxWaitMs: 1000 })
    await expect(impatient.get('/api/items/6')).rejects.toThrow(/asked to wait 3600 s/)
  })

  it('collects pages and detects a loop', async () => {
    const all = await collectPages('pages', 'pages', (cursor) => client.get<{ items: number[]; next?: string }>(cursor))
    expect(all).toEqual([0, 1, 2, 3, 4, 5])
    await expect(collectPages('looping', 'a', async () => ({ items: [1], next: 'a' }))).rejects.toThrow(/looped back/)
  })
})
