import { randomUUID } from 'node:crypto'
import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { RequestError } from '@octokit/request-error'
import Bottleneck from 'bottleneck'
import type { HttpStats } from '../http/client.js'
import type { Logger } from '../util/log.js'

/**
 * Counts every HTTP attempt and turns a 2xx answer whose JSON body did not
 * arrive whole into a retryable error. @octokit/request hands back the raw
 * text (or '') when a JSON body cannot be parsed, so a truncated answer would
 * otherwise pass as data. Registered first, so it wraps the bare request and
 * the retry plugin sees its error.
 */
function guard(octokit: Pick<InstanceType<typeof Octokit>, 'hook'>) {
  const stats: HttpStats = { requests: 0, retries: 0, throttled: 0 }
  // The retry and throttling plugins send the same options object again.
  const seen = new WeakSet<object>()
  octokit.hook.wrap('request', async (request, options) => {
    stats.requests++
    if (seen.has(options)) stats.retries++
    else seen.add(options)
    const response = await request(options)
    const type = String(response.headers['content-type'] ?? '')
    if (response.status !== 204 && type.includes('json') && typeof response.data === 'string') {
      throw new RequestError(
        `the JSON body of ${options.method} ${new URL(options.url, 'http://x').pathname} arrived incomplete`,
        500,
        {
          request: options,
          response
        }
      )
    }
    return response
  })
  return { stats }
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
    request: { headers: { 'x-github-api-version': '2022-11-28' } },
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
