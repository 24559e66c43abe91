/**
 * fetch that follows redirects within the request's origin only. fetch's own
 * `redirect: 'follow'` drops nothing but `Authorization` on a hop to another
 * host: an `X-Octopus-ApiKey` header would travel on, and a 307/308 re-sends
 * the body (a UiPath `client_secret`, an EPM password) to wherever the
 * `Location` points. A redirect to another origin (another host, port or
 * scheme, so an https → http downgrade too) is refused before anything is sent.
 */

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308])

/** Hops followed before giving up; fetch allows 20, an API that needs more than a few is misconfigured. */
const MAX_REDIRECTS = 5

/** A redirect this client refuses to follow: to another origin, or one hop too many. */
export class RedirectRefused extends Error {
  constructor(
    /** The origin the request was sent to. */
    readonly from: string,
    /** The origin the redirect points to; absent when the hop limit was reached. */
    readonly to?: string
  ) {
    super(to ? `redirected from ${from} to ${to}` : `redirected more than ${MAX_REDIRECTS} times within ${from}`)
    this.name = 'RedirectRefused'
  }
}

export async function fetchSameOrigin(input: string | URL, init: RequestInit = {}): Promise<Response> {
  let url = new URL(input)
  let method = (init.method ?? 'GET').toUpperCase()
  let body = init.body
  let headers = new Headers(init.headers)
  for (let hop = 0; ; hop++) {
    const response = await fetch(url, { ...init, method, body, headers, redirect: 'manual' })
    const location = response.headers.get('location')
    if (!REDIRECT_STATUSES.has(response.status) || location === null) return response
    await response.body?.cancel()
    const next = new URL(location, url)
    if (next.origin !== url.origin) throw new RedirectRefused(url.origin, next.origin)
    if (hop >= MAX_REDIRECTS) throw new RedirectRefused(url.origin)
    // As fetch does: 303 turns any method but HEAD into a GET, 301/302 turn a POST into one;
    // 307/308 repeat the request as it was.
    const toGet =
      (response.status === 303 && method !== 'HEAD') ||
      ((response.status === 301 || response.status === 302) && method === 'POST')
    if (toGet) {
      method = 'GET'
      body = undefined
      headers = new Headers(headers)
      for (const name of ['content-type', 'content-length', 'content-encoding', 'content-language'])
        headers.delete(name)
    }
    url = next
  }
}
