import { setTimeout as delay } from 'node:timers/promises'
import { silentLogger, type Logger } from '../util/log.js'
import { currentActivity } from './activity.js'
import { describeHtmlPage, isHtml, summarizeBody } from './body.js'
import { HttpError, notTheApi, offOrigin, redirectRefused, unreachable, type Target } from './errors.js'
import { classifyNetworkFailure } from './network.js'
import { fetchSameOrigin, RedirectRefused } from './redirects.js'
import { retryAfterMs } from './retry-after.js'

export interface HttpStats {
  requests: number
  retries: number
  throttled: number
}

/** The stats of a source that talks to several hosts (an identity server and the API), added up. */
export function sumStats(stats: readonly HttpStats[]): HttpStats {
  return {
    requests: stats.reduce((n, s) => n + s.requests, 0),
    retries: stats.reduce((n, s) => n + s.retries, 0),
    throttled: stats.reduce((n, s) => n + s.throttled, 0)
  }
}

export type Query = Record<string, string | number | boolean | undefined>

export interface RequestOptions {
  query?: Query
  /** Sent as JSON. */
  json?: unknown
  /** Sent as application/x-www-form-urlencoded (OAuth token requests). */
  form?: Record<string, string>
  headers?: Record<string, string>
  /** Skip the client's auth headers (the logon or token request itself). */
  anonymous?: boolean
}

export interface HttpClientOptions {
  /** The system's name as users know it, for log lines and errors ("Octopus Deploy"). */
  system: string
  baseUrl: string
  /** The config key that holds `baseUrl`, named when the URL is what to fix. Default `url`. */
  setting?: string
  /** Authentication headers, asked for before every request so tokens can be refreshed. */
  auth?: () => Record<string, string> | Promise<Record<string, string>>
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number
  /**
   * Retries after throttling, 5xx, timeouts and dropped connections. Default 5. A host that refuses
   * connections, does not resolve or fails TLS is retried once: that is a setting to fix, not a blip.
   */
  retries?: number
  /** First backoff step; doubles per attempt, with jitter. Default 1 s. */
  backoffMs?: number
  /** Longest wait the client accepts from a `Retry-After`; longer fails the request. Default 5 min. */
  maxWaitMs?: number
  /** Spacing between request starts, for systems with a documented calls-per-second limit. */
  minIntervalMs?: number
  /** Recognises throttling a system signals without 429 (CyberArk EPM answers 403 "Too many calls"). */
  isThrottled?: (status: number, body: string) => boolean
  /** Explains what to do about a failed status: which header, which permission. */
  hint?: (status: number, path: string, body: string) => string | undefined
  log?: Logger
  signal?: AbortSignal
}

export interface HttpResponse<T> {
  status: number
  headers: Headers
  body: T
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504])

/** A host that refuses, does not resolve or fails TLS gets one more try: a blip passes, a wrong URL does not. */
const UNREACHABLE_RETRIES = 1

type Outcome =
  | { kind: 'ok'; response: HttpResponse<unknown> }
  | {
      kind: 'fail'
      error: HttpError
      /** Absent: not retryable. */
      waitMs?: number
      /** Retries this kind of failure gets, when fewer than the client's. */
      limit?: number
      /** What failed, for the retry line: a network reason; the status otherwise. */
      what?: string
    }

/**
 * The one HTTP client every non-GitHub source uses: JSON in and out, auth
 * headers, timeouts, retry with backoff on throttling and 5xx honouring
 * `Retry-After`, optional pacing, redirects followed within the origin only,
 * and errors that name the system and path (or the setting to fix) but never
 * a secret or a page's markup.
 */
export class HttpClient {
  readonly stats: HttpStats = { requests: 0, retries: 0, throttled: 0 }
  private readonly options: Required<
    Pick<HttpClientOptions, 'setting' | 'timeoutMs' | 'retries' | 'backoffMs' | 'maxWaitMs' | 'minIntervalMs'>
  > &
    HttpClientOptions
  private readonly log: Logger
  private nextStart = 0

  constructor(options: HttpClientOptions) {
    this.options = {
      timeoutMs: 30_000,
      retries: 5,
      backoffMs: 1_000,
      maxWaitMs: 300_000,
      minIntervalMs: 0,
      ...options,
      setting: options.setting ?? 'url'
    }
    this.log = options.log ?? silentLogger
  }

  get baseUrl(): string {
    return this.options.baseUrl
  }

  async get<T>(path: string, query?: Query): Promise<T> {
    return (await this.request<T>('GET', path, { query })).body
  }

  async post<T>(path: string, options: RequestOptions): Promise<T> {
    return (await this.request<T>('POST', path, options)).body
  }

  /**
   * Resolves like a browser: `items` is relative to the base URL, `/api/items`
   * (a server's own `next` link) relative to its origin, and a full URL is kept.
   */
  url(path: string, query?: Query): URL {
    const base = this.options.baseUrl.endsWith('/') ? this.options.baseUrl : `${this.options.baseUrl}/`
    const url = new URL(path, base)
    for (const [key, value] of Object.entries(query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    return url
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    const url = this.url(path, options.query)
    const { retries, system } = this.options
    // A full URL from an answer (a next-page link) is followed only on the base URL's own origin.
    const home = new URL(this.options.baseUrl).origin
    if (url.origin !== home) throw offOrigin({ system, method, url, setting: this.options.setting }, home)
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.attempt(method, url, options, attempt)
      if (outcome.kind === 'ok') return outcome.response as HttpResponse<T>
      const { error, waitMs } = outcome
      const limit = Math.min(outcome.limit ?? retries, retries)
      if (waitMs === undefined || attempt >= limit) throw error
      if (waitMs > this.options.maxWaitMs) {
        throw new HttpError({
          ...error.details,
          message: `${system} asked to wait ${Math.ceil(waitMs / 1000)} s before retrying ${method} ${url.pathname}, longer than the ${Math.ceil(this.options.maxWaitMs / 1000)} s this run accepts`,
          hint: 'Run again later, or spread the load (fewer sources at once, a larger schedule interval).'
        })
      }
      this.stats.retries++
      this.log.info(
        `${system}: ${outcome.what ?? error.details.status} on ${method} ${url.pathname}; retry ${attempt + 1}/${limit} in ${(waitMs / 1000).toFixed(1)} s`
      )
      await delay(waitMs, undefined, { signal: this.options.signal })
    }
  }

  private backoff(attempt: number): number {
    const base = this.options.backoffMs * 2 ** attempt
    return Math.min(base + Math.random() * base * 0.25, 60_000)
  }

  private async pace(): Promise<void> {
    const { minIntervalMs } = this.options
    if (minIntervalMs <= 0) return
    const now = Date.now()
    const start = Math.max(now, this.nextStart)
    this.nextStart = start + minIntervalMs
    if (start > now) await delay(start - now, undefined, { signal: this.options.signal })
  }

  private async attempt(method: string, url: URL, options: RequestOptions, attemptNumber: number): Promise<Outcome> {
    const { system, timeoutMs } = this.options
    const path = url.pathname
    const headers: Record<string, string> = { accept: 'application/json', ...options.headers }
    if (!options.anonymous && this.options.auth) Object.assign(headers, await this.options.auth())
    let body: string | undefined
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json'
      body = JSON.stringify(options.json)
    } else if (options.form) {
      headers['content-type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams(options.form).toString()
    }
    await this.pace()
    this.stats.requests++
    currentActivity()?.request()
    const signals = [AbortSignal.timeout(timeoutMs)]
    if (this.options.signal) signals.push(this.options.signal)
    const target: Target = { system, method, url, setting: this.options.setting }
    let status: number
    let responseHeaders: Headers
    let text: string
    try {
      const response = await fetchSameOrigin(url, { method, headers, body, signal: AbortSignal.any(signals) })
      status = response.status
      responseHeaders = response.headers
      text = await response.text()
    } catch (cause) {
      if (this.options.signal?.aborted) throw cause
      if (cause instanceof RedirectRefused) return { kind: 'fail', error: redirectRefused(target, cause) }
      const timedOut = cause instanceof Error && (cause.name === 'TimeoutError' || cause.name === 'AbortError')
      const failure = timedOut ? undefined : classifyNetworkFailure(cause)
      if (failure?.configuration) {
        return {
          kind: 'fail',
          error: unreachable(target, failure.reason),
          waitMs: this.backoff(attemptNumber),
          limit: UNREACHABLE_RETRIES,
          what: failure.reason
        }
      }
      return {
        kind: 'fail',
        what: failure?.reason ?? 'timeout',
        error: new HttpError({
          system,
          method,
          path,
          message: `${system}: ${method} ${path} ${timedOut ? `timed out after ${timeoutMs / 1000} s` : `failed: ${failure!.reason}`}`,
          hint: `Check that ${url.origin} is reachable from the runner.`
        }),
        waitMs: this.backoff(attemptNumber)
      }
    }

    const contentType = responseHeaders.get('content-type')
    const throttled = status === 429 || (this.options.isThrottled?.(status, text) ?? false)
    if (status >= 200 && status < 300) {
      // A page where JSON was expected comes from whatever stands at that URL: asking again changes nothing.
      if (isHtml(contentType, text)) return { kind: 'fail', error: notTheApi(target, status, describeHtmlPage(text)) }
      if (contentType && !/json/i.test(contentType) && text.length > 0) {
        return { kind: 'fail', error: notTheApi(target, status, `${contentType.split(';')[0]} instead of JSON`) }
      }
      try {
        const parsed = text.length === 0 ? undefined : JSON.parse(text)
        return { kind: 'ok', response: { status, headers: responseHeaders, body: parsed } }
      } catch {
        // A truncated body is a transport fault, not an answer: try again.
        return {
          kind: 'fail',
          error: new HttpError({
            system,
            method,
            path,
            status,
            message: `${system}: ${method} ${path} returned a body that is not valid JSON (${text.length} bytes)`
          }),
          waitMs: this.backoff(attemptNumber)
        }
      }
    }
    if (throttled) this.stats.throttled++
    // A web page that refuses a request is a proxy or a sign-in page before it is a missing permission.
    const page = status < 500 && isHtml(contentType, text)
    const pageHint = page ? `That is a web page, not the API: check \`${this.options.setting}\`.` : undefined
    const sourceHint = throttled ? undefined : this.options.hint?.(status, path, text)
    const error = new HttpError({
      system,
      method,
      path,
      status,
      message: `${system}: ${method} ${path} answered ${status}${summarizeBody(text, contentType)}`,
      hint: throttled
        ? undefined
        : status === 401 || status === 403
          ? (pageHint ?? sourceHint)
          : (sourceHint ?? pageHint)
    })
    if (throttled || RETRYABLE_STATUS.has(status)) {
      const retryAfter = retryAfterMs(responseHeaders.get('retry-after'))
      return { kind: 'fail', error, waitMs: retryAfter ?? this.backoff(attemptNumber) }
    }
    return { kind: 'fail', error }
  }
}
