import { randomUUID } from 'node:crypto'
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { RequestError } from '@octokit/request-error'
import Bottleneck from 'bottleneck'
import { currentActivity } from '../http/activity.js'
import { describeHtmlPage, isHtml } from '../http/body.js'
import type { HttpStats } from '../http/client.js'
import { notTheApi, offOrigin, redirectRefused, unreachable, type Target } from '../http/errors.js'
import { classifyNetworkFailure } from '../http/network.js'
import { fetchSameOrigin, RedirectRefused } from '../http/redirects.js'
import type { Logger } from '../util/log.js'

type Headers = Record<string, string | number | undefined>

/** The REST API version every request asks for (reference: github.md §2). */
const API_VERSION = '2022-11-28'

/** Every answer of a GitHub API, errors included, carries these; a proxy, a web page or another server does not. */
function fromGitHub(headers: Headers): boolean {
  return headers['x-github-request-id'] !== undefined || headers['x-github-media-type'] !== undefined
}

/**
 * Counts every HTTP attempt, and looks at each answer before the plugins and
 * the source do, so that the URL is blamed before the token:
 * - an answer without GitHub's headers (a proxy, a sign-in page, another
 *   server) fails as "not a GitHub API: check `api-url`", whatever its status;
 * - a host that refuses connections, does not resolve or fails TLS is retried
 *   once, then fails as "cannot reach … : check `api-url`";
 * - a redirect to another origin fails before the token goes there;
 * - a 2xx JSON body that did not arrive whole becomes a retryable error
 *   (@octokit/request hands back the raw text, or '', when JSON cannot be parsed);
 * - an HTML page GitHub itself sends (a 5xx) is reduced to its title.
 * Registered first, so it wraps the bare request and the retry plugin sees its errors;
 * the errors it throws itself are not RequestErrors, so no plugin retries them.
 */
function guard(octokit: Pick<InstanceType<typeof Octokit>, 'hook' | 'request'>, octokitOptions: object) {
  const stats: HttpStats = { requests: 0, retries: 0, throttled: 0 }
  const setting = (octokitOptions as { urlSetting?: string }).urlSetting ?? 'api-url'
  // The retry and throttling plugins send the same options object again.
  const seen = new WeakSet<object>()
  const unreachableOnce = new WeakSet<object>()
  octokit.hook.wrap('request', async (request, options) => {
    // Octokit has no option for a default header (`request.headers` is not sent): the version goes on here.
    options.headers['x-github-api-version'] ??= API_VERSION
    stats.requests++
    currentActivity()?.request()
    if (seen.has(options)) stats.retries++
    else seen.add(options)
    const target: Target = {
      system: 'GitHub',
      method: options.method,
      url: new URL(octokit.request.endpoint.parse(options).url),
      setting
    }
    // A full URL from an answer (a `link` header's next page) is followed only on the API's own origin.
    const home = new URL(octokit.request.endpoint.DEFAULTS.baseUrl).origin
    if (target.url.origin !== home) throw offOrigin(target, home)
    let response: Awaited<ReturnType<typeof request>>
    try {
      response = await request(options)
    } catch (error) {
      const signal = options.request?.signal as AbortSignal | undefined
      if (signal?.aborted) throw signal.reason
      if (!(error instanceof RequestError)) throw error
      if (error.cause instanceof RedirectRefused) throw redirectRefused(target, error.cause)
      if (!error.response) {
        const failure = classifyNetworkFailure(error.cause)
        if (!failure.configuration) throw error
        if (unreachableOnce.has(options)) throw unreachable(target, failure.reason)
        unreachableOnce.add(options)
        throw error
      }
      throw reviewed(target, error, error.response)
    }
    if (!fromGitHub(response.headers)) throw reviewed(target, undefined, response)
    const type = String(response.headers['content-type'] ?? '')
    if (typeof response.data === 'string' && isHtml(type, response.data))
      throw notTheApi(target, response.status, describeHtmlPage(response.data))
    if (response.status !== 204 && type.includes('json') && typeof response.data === 'string') {
      throw new RequestError(`the JSON body of ${options.method} ${target.url.pathname} arrived incomplete`, 500, {
        request: options as never,
        response
      })
    }
    return response
  })
  return { stats }
}

/** An answer that is not GitHub's fails on the URL; GitHub's own HTML error page keeps only its title. */
function reviewed(
  target: Target,
  error: RequestError | undefined,
  response: { status: number; headers: Headers; data: unknown }
): Error {
  const page =
    typeof response.data === 'string' && isHtml(String(response.headers['content-type'] ?? ''), response.data)
  const html = page ? describeHtmlPage(response.data as string) : undefined
  if (!fromGitHub(response.headers))
    return notTheApi(target, response.status, html ?? 'none of the headers a GitHub API sends (x-github-request-id)')
  if (error && html) {
    error.message = html
    response.data = ''
  }
  return error!
}

/** Octokit with retry (5xx, 429) and throttling (primary and secondary limits) composed in. */
const ThrottledOctokit = Octokit.plugin(guard, throttling, retry)
export type GitHubClient = InstanceType<typeof ThrottledOctokit>

export interface GitHubClientOptions {
  /** A token string, or an auth strategy's options when `authStrategy` is given (GitHub App). */
  auth: unknown
  authStrategy?: unknown
  /** `https://api.github.com`, or `https://<host>/api/v3` for GitHub Enterprise Server. */
  baseUrl?: string
  log: Logger
  /** How many times a rate-limited request is retried before the run fails. Default 3. */
  rateLimitRetries?: number
  /** Where `baseUrl` comes from, named when it is what to fix. Default `api-url` (the source's config key). */
  urlSetting?: string
  /** Aborts every request (the source's deadline, a cancelled run). */
  signal?: AbortSignal
}

/**
 * The one GitHub client the source and the publishing step share. The
 * throttling plugin's defaults space every GraphQL request and every write one
 * second apart; reads of a large organization need GraphQL at a brisker pace,
 * so the write group is tuned while staying serial, as GitHub asks.
 * `client.stats` counts HTTP attempts (retries included) for reports and benchmarks.
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const retries = options.rateLimitRetries ?? 3
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
      client.stats.throttled++
      if (retryCount >= retries) {
        options.log.warn(
          `GitHub ${kind} rate limit on ${request.method} ${request.url}; giving up after ${retries} retries`
        )
        return false
      }
      options.log.info(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}; waiting ${retryAfter} s (retry ${retryCount + 1}/${retries})`
      )
      return true
    }
  const client: GitHubClient = new ThrottledOctokit({
    auth: options.auth,
    ...(options.authStrategy ? { authStrategy: options.authStrategy } : {}),
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'permission-snapshot',
    request: {
      fetch: fetchSameOrigin,
      ...(options.signal ? { signal: options.signal } : {})
    },
    urlSetting: options.urlSetting,
    throttle: {
      // The plugin's limiters are process-wide, keyed by id: one per client keeps the spacing GitHub asks
      // for within a run without making unrelated clients (tests, source and publisher) queue behind each other.
      id: randomUUID(),
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 50 })
    },
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => options.log.warn(m),
      // Octokit logs every 4xx as an error; callers decide (a plan-gated 404 is a note), so it is detail here.
      error: (m: string) => options.log.debug(m)
    }
  } as ConstructorParameters<typeof ThrottledOctokit>[0])
  return client
}
