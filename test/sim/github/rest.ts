/**
 * GitHub REST conventions shared by every simulated GitHub route: error
 * bodies as GitHub sends them, `per_page` capped at 100 with `Link` paging,
 * primary rate-limit accounting with its headers, and token checks.
 */
import type { Handler, SimRequest, SimResponse, SimServer } from '../server.js'

const DOCS = 'https://docs.github.com/rest'

/** GitHub's error body: `{ message, documentation_url, status }`. */
export function githubError(status: number, message: string, extra: Record<string, unknown> = {}): SimResponse {
  return { status, json: { message, documentation_url: DOCS, status: String(status), ...extra } }
}

/** Slices `items` by `page`/`per_page` (default 30, max 100) and sets the `Link` header GitHub sends. */
export function paginate<T>(req: SimRequest, items: readonly T[]): SimResponse {
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100)
  const page = Math.max(Number(req.query.get('page') ?? 1) || 1, 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const slice = items.slice((page - 1) * perPage, page * perPage)
  const link = (p: number, rel: string) => {
    const url = new URL(req.url)
    url.searchParams.set('page', String(p))
    url.searchParams.set('per_page', String(perPage))
    return `<${url.toString()}>; rel="${rel}"`
  }
  const links: string[] = []
  if (page > 1) links.push(link(page - 1, 'prev'), link(1, 'first'))
  if (page < last) links.push(link(page + 1, 'next'), link(last, 'last'))
  return { json: slice, headers: links.length ? { link: links.join(', ') } : {} }
}

/** Primary rate-limit bookkeeping for one token, reported in `x-ratelimit-*` headers. */
export class RateLimit {
  used = 0

  constructor(
    public limit = 5_000,
    public resetEpochSeconds = Math.floor(Date.now() / 1000) + 3_600,
    public resource = 'core'
  ) {}

  get remaining(): number {
    return Math.max(this.limit - this.used, 0)
  }

  headers(): Record<string, string> {
    return {
      'x-ratelimit-limit': String(this.limit),
      'x-ratelimit-remaining': String(this.remaining),
      'x-ratelimit-used': String(this.used),
      'x-ratelimit-reset': String(this.resetEpochSeconds),
      'x-ratelimit-resource': this.resource
    }
  }

  /** The 403 GitHub sends once the budget is spent. */
  exceeded(): SimResponse {
    return {
      ...githubError(
        403,
        'API rate limit exceeded for installation. If you reach out to GitHub Support for help, please include the request ID.'
      ),
      headers: this.headers()
    }
  }
}

/** The token from `Authorization: token …` or `Bearer …`, or undefined. */
export function bearer(req: SimRequest): string | undefined {
  const header = req.headers.authorization
  const match = typeof header === 'string' ? /^(?:token|bearer)\s+(.+)$/i.exec(header) : null
  return match?.[1]
}

/** GitHub's 401 for a missing or unknown token. */
export function badCredentials(): SimResponse {
  return githubError(401, 'Bad credentials')
}

/**
 * Registers GitHub REST routes on a SimServer with GitHub's cross-cutting
 * behaviour: token check (401 "Bad credentials"), primary rate limit per
 * token (`x-ratelimit-*` on every answer, 403 when spent), and on every
 * answer of the server, errors and 404s included, the headers by which a
 * GitHub API is recognised: `x-github-request-id` and `x-github-media-type`
 * (`github.v3; format=json`, as in the response examples of GitHub's REST
 * documentation; `github.v4` on GraphQL is this simulator's assumption, and
 * the client checks only that one of the two headers is there). Every
 * simulated GitHub route goes through it.
 */
export class GitHubRestApi {
  /** Tokens the simulator accepts; each has its own primary rate limit. */
  readonly tokens = new Map<string, RateLimit>()

  /**
   * A further check of a known token before the route runs (expired installation
   * tokens, SAML enforcement): an answer here replaces the route's.
   */
  accept?: (token: string, req: SimRequest) => SimResponse | undefined

  constructor(
    private readonly sim: SimServer,
    /** Path prefix: '' for api.github.com, '/api/v3' for GitHub Enterprise Server. */
    readonly prefix = ''
  ) {
    sim.notFound = () => githubError(404, 'Not Found')
    let served = 0
    sim.answerHeaders = () => ({
      'x-github-request-id': `SIM0:${(++served).toString(16).toUpperCase()}`,
      'x-github-media-type': 'github.v3; format=json'
    })
  }

  addToken(token: string, limit = 5_000): RateLimit {
    const rate = new RateLimit(limit)
    this.tokens.set(token, rate)
    return rate
  }

  route(method: string, path: string, handler: Handler): this {
    this.sim.route(method, `${this.prefix}${path}`, async (req) => {
      const token = bearer(req) ?? ''
      const rate = this.tokens.get(token)
      if (!rate) return badCredentials()
      const refused = this.accept?.(token, req)
      if (refused) return refused
      if (rate.remaining === 0) return rate.exceeded()
      rate.used++
      const answer = await handler(req)
      answer.headers = { ...rate.headers(), ...answer.headers }
      return answer
    })
    return this
  }
}
