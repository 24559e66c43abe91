import { Octokit } from '@octokit/rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck'
import type { Logger } from '../util/log.js'

/** Octokit with retry (5xx, 429) and throttling (primary and secondary limits) composed in. */
const ThrottledOctokit = Octokit.plugin(throttling, retry)
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
 */
export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const retries = options.rateLimitRetries ?? 3
  const onLimit =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
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
  return new ThrottledOctokit({
    auth: options.auth,
    ...(options.authStrategy ? { authStrategy: options.authStrategy } : {}),
    baseUrl: options.baseUrl ?? 'https://api.github.com',
    userAgent: 'permission-snapshot',
    request: { headers: { 'x-github-api-version': '2022-11-28' } },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: 50 })
    },
    retry: { doNotRetry: [400, 401, 403, 404, 410, 422, 451] },
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => options.log.warn(m),
      error: (m: string) => options.log.warn(m)
    }
  } as ConstructorParameters<typeof ThrottledOctokit>[0])
}
