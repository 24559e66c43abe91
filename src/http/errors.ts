import type { RedirectRefused } from './redirects.js'

export interface HttpErrorDetails {
  system: string
  method: string
  /** The URL path only: query strings and hosts can carry secrets or tenant names. */
  path: string
  status?: number
  message: string
  /** What the user can do about it. */
  hint?: string
}

/** A failed request, described well enough to act on without exposing credentials. */
export class HttpError extends Error {
  readonly details: HttpErrorDetails

  constructor(details: HttpErrorDetails) {
    // Bodies often end in a full stop already; join without doubling it.
    super(details.hint ? `${details.message.replace(/\.+$/, '')}. ${details.hint}` : details.message)
    this.name = 'HttpError'
    this.details = details
  }

  get status(): number | undefined {
    return this.details.status
  }
}

/** Where a request went, for the errors that blame the URL setting rather than a credential. */
export interface Target {
  system: string
  method: string
  url: URL
  /** The config key (or input) that holds the URL: `url`, `token-url`, `api-url`. */
  setting: string
}

/** An error whose message says which URL setting to fix. It carries no status, so no caller reads it as the API's refusal. */
function blame(target: Target, message: string): HttpError {
  return new HttpError({ system: target.system, method: target.method, path: target.url.pathname, message })
}

/** Nobody answered: refused, not resolvable, TLS mismatch. */
export function unreachable(target: Target, reason: string): HttpError {
  const { system, url, setting } = target
  return blame(target, `${system}: cannot reach ${url.origin} (${reason}): check \`${setting}\``)
}

/** A redirect to another origin (the credentials stay where they were sent), or one hop too many. */
export function redirectRefused(target: Target, refused: RedirectRefused): HttpError {
  const { system, method, url, setting } = target
  const stay = refused.to ? `; credentials are only sent to ${refused.from}` : ''
  return blame(target, `${system}: ${method} ${url.pathname} was ${refused.message}${stay}: check \`${setting}\``)
}

/** A full URL from an answer (a next-page link) that leaves the origin the credentials belong to. */
export function offOrigin(target: Target, home: string): HttpError {
  const { system, method, url, setting } = target
  return blame(
    target,
    `${system}: ${method} ${url.pathname} would go to ${url.origin}, but credentials are only sent to ${home}: check \`${setting}\``
  )
}

/** Something answered, but not the API: a proxy, a sign-in page, a web server at a wrong path. */
export function notTheApi(target: Target, status: number, what: string): HttpError {
  const { system, method, url, setting } = target
  return blame(
    target,
    `${system}: ${method} ${url.pathname} answered ${status} with ${what}: check \`${setting}\` (a proxy, a sign-in page or a wrong path answered instead of the API)`
  )
}
