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
