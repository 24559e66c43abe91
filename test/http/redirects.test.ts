import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpClient } from '../../src/http/client.js'
import { HttpError } from '../../src/http/errors.js'
import { startElsewhere, type Elsewhere } from '../sim/elsewhere.js'
import { SimServer, type SimRequest } from '../sim/server.js'
import { rejection } from '../rejection.js'

const KEY = 'example-api-key-0123456789'
const SECRET = 'client-secret-0123456789'

describe('HttpClient redirects: followed within the origin, refused to another', () => {
  let home: SimServer
  let elsewhere: Elsewhere
  let client: HttpClient

  beforeEach(async () => {
    home = new SimServer()
    const echo = (req: SimRequest) => ({
      json: { method: req.method, path: req.path, body: req.body, key: req.headers['x-key'] ?? null }
    })
    home.route('GET', '/api/echo', echo).route('POST', '/api/echo', echo)
    home.route('GET', '/api/loop', () => ({ status: 302, headers: { location: '/api/loop' } }))
    await home.start()
    elsewhere = await startElsewhere()
    client = new HttpClient({ system: 'Example', baseUrl: `${home.url}/api`, auth: () => ({ 'x-key': KEY }) })
  })
  afterEach(async () => {
    await home.stop()
    await elsewhere.stop()
  })

  it('refuses every redirect status to another origin, naming both origins and `url`; the other host receives nothing', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      home.inject({ path: '/api/away', status, headers: { location: `${elsewhere.url}/api/echo` } })
      const error = await rejection<HttpError>(client.get('away'))
      expect(error).toBeInstanceOf(HttpError)
      expect(error.message).toBe(
        `Example: GET /api/away was redirected from ${home.url} to ${elsewhere.url}; credentials are only sent to ${home.url}: check \`url\``
      )
    }
    // A POST whose body carries a secret, sent on by 307/308 under fetch's rules.
    for (const status of [307, 308]) {
      home.inject({ path: '/api/token', status, headers: { location: `${elsewhere.url}/token` } })
      const error = await rejection<HttpError>(
        client.post('token', { anonymous: true, form: { client_secret: SECRET } })
      )
      expect(error.message).toContain(`redirected from ${home.url} to ${elsewhere.url}`)
    }
    // The same port under another host name is another origin too.
    const port = new URL(home.url).port
    home.inject({ path: '/api/away', status: 302, headers: { location: `http://localhost:${port}/api/echo` } })
    expect((await rejection<HttpError>(client.get('away'))).message).toContain(`to http://localhost:${port};`)
    expect(elsewhere.received).toEqual([])
    expect(home.count(/^\/api\/echo$/)).toBe(0)
    // Each refusal is final: no retry.
    expect(client.stats.requests).toBe(8)
  })

  it('follows a same-origin redirect with the credentials: 307/308 repeat method and body, 301/302/303 turn a POST into a GET', async () => {
    for (const status of [301, 302, 303, 307, 308]) {
      home.inject({ path: '/api/old', status, headers: { location: '/api/echo' } })
      expect(await client.get('old')).toEqual({ method: 'GET', path: '/api/echo', body: '', key: KEY })
    }
    for (const status of [307, 308]) {
      home.inject({ path: '/api/old', status, headers: { location: `${home.url}/api/echo` } })
      expect(await client.post('old', { json: { a: 1 } })).toEqual({
        method: 'POST',
        path: '/api/echo',
        body: '{"a":1}',
        key: KEY
      })
    }
    for (const status of [301, 302, 303]) {
      home.inject({ path: '/api/old', status, headers: { location: '/api/echo' } })
      expect(await client.post('old', { json: { a: 1 } })).toEqual({
        method: 'GET',
        path: '/api/echo',
        body: '',
        key: KEY
      })
    }
    expect(elsewhere.received).toEqual([])
  })

  it('does not follow a next-page link to another origin either', async () => {
    home.route('GET', '/api/pages', () => ({ json: { items: [1], next: `${elsewhere.url}/api/pages?skip=1` } }))
    const next = (await client.get<{ next: string }>('pages')).next
    const error = await rejection<HttpError>(client.get(next))
    expect(error.message).toBe(
      `Example: GET /api/pages would go to ${elsewhere.url}, but credentials are only sent to ${home.url}: check \`url\``
    )
    expect(elsewhere.received).toEqual([])
  })

  it('gives up on a redirect loop after a few hops, naming `url`', async () => {
    const error = await rejection<HttpError>(client.get('loop'))
    expect(error.message).toBe(
      `Example: GET /api/loop was redirected more than 5 times within ${home.url}: check \`url\``
    )
    expect(home.count(/^\/api\/loop$/)).toBe(6)
  })
})
