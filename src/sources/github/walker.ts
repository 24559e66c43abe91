/**
 * The GraphQL walker: pages through several connections at once, nested ones
 * included, packing as many pages as fit into each query while keeping the
 * query at one point of GitHub's cost formula (100 connection requests).
 *
 * Pages are either links of a chain (the organization's members, teams and
 * repositories: each page needs the previous page's cursor, so every query
 * carries the next link of every chain) or independent follow-ups (an inner
 * connection that overflowed, e.g. a team with more than 100 members, asked
 * for again through `node(id:)` with its own cursor). A query that times out
 * (502/504) or comes back with errors that are not about one node is asked
 * again with every page size halved; errors about one node (GitHub withholding
 * a repository's collaborators, a member's user) are handed to the page that
 * asked, and any the page does not take are returned as unexplained: the
 * source fails on them rather than store what GitHub left out.
 */
import { setTimeout as delay } from 'node:timers/promises'
import { HttpError } from '../../http/errors.js'
import type { GitHubClient } from '../../github/octokit.js'
import type { Logger } from '../../util/log.js'

/** One point of GitHub's GraphQL cost formula. */
export const CONNECTIONS_PER_POINT = 100
const MAX_PAGE = 100
const MAX_ATTEMPTS = 6

export interface GraphQLErrorEntry {
  message: string
  type?: string
  path?: Array<string | number>
}

/**
 * The node errors under one page, with paths relative to its alias. A page
 * takes those it can name (a null node it knows about); the walker reports the rest.
 */
export class NodeErrors {
  private readonly taken = new Set<GraphQLErrorEntry>()

  constructor(
    private readonly entries: ReadonlyArray<{ relative: Array<string | number>; error: GraphQLErrorEntry }>
  ) {}

  /** The first error at or below `prefix`, marked as taken, with its path relative to the page. */
  take(...prefix: Array<string | number>): { error: GraphQLErrorEntry; relative: Array<string | number> } | undefined {
    const found = this.entries.find(
      ({ relative, error }) => !this.taken.has(error) && prefix.every((part, i) => relative[i] === part)
    )
    if (found) this.taken.add(found.error)
    return found
  }

  /** Errors no call to `take` claimed. */
  untaken(): GraphQLErrorEntry[] {
    return this.entries.filter(({ error }) => !this.taken.has(error)).map(({ error }) => error)
  }
}

export interface Sizes {
  /** `first` of this page's own connection. */
  first: number
  /** `first` of connections nested inside it. */
  inner: number
}

export interface Page {
  /** `organization` pages are fields of `organization(login:)`; `root` pages are top-level fields. */
  level: 'organization' | 'root'
  /** A chain link is always included; follow-ups fill the remaining budget. */
  chain: boolean
  /** Connection requests nested per item of this page (a team page nests members and repositories: 2). */
  nested: number
  /** The field, aliased; `v` declares a variable and returns its reference. */
  render(alias: string, sizes: Sizes, v: (type: string, value: unknown) => string): string
  /**
   * Takes the aliased result and the node errors under it (paths relative to
   * the alias) and returns the pages that follow: its own next page, overflow follow-ups.
   */
  consume(result: unknown, errors: NodeErrors): Page[]
}

export interface WalkResult {
  queries: number
  points: number
  /** Node errors no page took, with GitHub's full paths: what they withheld is unknown, so nothing may be stored. */
  unexplained: GraphQLErrorEntry[]
}

/** Errors that no smaller query will fix. */
export class WalkFailure extends Error {
  constructor(
    message: string,
    readonly errors: GraphQLErrorEntry[],
    readonly status?: number
  ) {
    super(message)
    this.name = 'WalkFailure'
  }
}

interface Response {
  data: Record<string, unknown> | null | undefined
  errors: GraphQLErrorEntry[]
}

async function send(client: GitHubClient, query: string, variables: Record<string, unknown>): Promise<Response> {
  try {
    // Retries are the walker's: a timed-out query must come back smaller, not the same.
    const data = await client.graphql<Record<string, unknown>>(query, { ...variables, request: { retries: 0 } })
    return { data, errors: [] }
  } catch (error) {
    const e = error as { name?: string; errors?: GraphQLErrorEntry[]; data?: Record<string, unknown> }
    if (e.name === 'GraphqlResponseError' && Array.isArray(e.errors)) return { data: e.data, errors: e.errors }
    throw error
  }
}

/**
 * Errors about one field of one node (a repository's collaborators), which the
 * page that asked decides about; a refusal of a whole field at the top
 * (`organization` under SAML enforcement) is not one of them.
 */
function isNodeError(error: GraphQLErrorEntry): boolean {
  return error.type === 'FORBIDDEN' && (error.path?.length ?? 0) >= 2
}

const FATAL_TYPES = new Set(['NOT_FOUND', 'FORBIDDEN', 'INSUFFICIENT_SCOPES', 'UNAUTHORIZED'])

export async function walk(options: {
  client: GitHubClient
  organization: string
  pages: Page[]
  log: Logger
  /** First wait after a failed query; doubles per attempt. */
  backoffMs?: number
}): Promise<WalkResult> {
  const { client, organization, log } = options
  const backoffMs = options.backoffMs ?? 1_000
  let queue = [...options.pages]
  const result: WalkResult = { queries: 0, points: 0, unexplained: [] }
  let scale = 1
  let attempt = 0

  while (queue.length > 0) {
    const budget = Math.max(1, Math.floor(CONNECTIONS_PER_POINT * scale))
    const inner = Math.max(1, Math.floor(MAX_PAGE * scale))
    const { batch, rest } = select(queue, budget, inner)
    queue = rest
    const variables: Record<string, unknown> = {}
    const declarations: string[] = []
    const v = (type: string, value: unknown) => {
      const name = `v${declarations.length}`
      declarations.push(`$${name}: ${type}`)
      variables[name] = value
      return `$${name}`
    }
    const fields = batch.map(({ page, sizes }, i) => ({ level: page.level, text: page.render(`p${i}`, sizes, v) }))
    const orgFields = fields.filter((f) => f.level === 'organization').map((f) => f.text)
    const rootFields = fields.filter((f) => f.level === 'root').map((f) => f.text)
    // GitHub rejects a declared variable the query does not use.
    if (orgFields.length > 0) {
      declarations.push('$login: String!')
      variables.login = organization
    }
    const query = `query Walk(${declarations.join(', ')}) {
  rateLimit { cost remaining resetAt }
  ${orgFields.length ? `organization(login: $login) { ${orgFields.join('\n')} }` : ''}
  ${rootFields.join('\n')}
}`

    let response: Response | undefined
    let retryReason: string | undefined
    let shrink = false
    try {
      response = await send(client, query, variables)
    } catch (error) {
      const status = (error as { status?: number }).status
      // The client's own verdicts (unreachable, not a GitHub API) do not get better with a smaller query.
      if (error instanceof HttpError || (status !== undefined && status < 500 && status !== 429)) throw error
      shrink = status === 502 || status === 504
      retryReason = shrink ? `timed out (${status})` : `failed (${status ?? 'connection'})`
      if (attempt + 1 >= MAX_ATTEMPTS) throw error
    }
    if (response) {
      const fatal = response.errors.find((e) => !isNodeError(e) && FATAL_TYPES.has(e.type ?? ''))
      if (fatal || (response.errors.length > 0 && !response.data)) {
        throw new WalkFailure(fatal?.message ?? response.errors[0]!.message, response.errors)
      }
      const other = response.errors.filter((e) => !isNodeError(e))
      if (other.length > 0) {
        // Too-heavy queries come back as partial data with errors: like a timeout.
        shrink = true
        retryReason = `came back with errors (${other[0]!.message})`
        if (attempt + 1 >= MAX_ATTEMPTS) throw new WalkFailure(other[0]!.message, other)
      }
    }
    if (retryReason !== undefined) {
      attempt++
      // Smaller pages for a query that was too heavy, while they can shrink; otherwise wait and try again.
      if (shrink && inner > 1) {
        scale /= 2
        log.info(
          `GitHub GraphQL query ${retryReason}; asking again with pages of ${Math.max(1, Math.floor(MAX_PAGE * scale))}`
        )
      } else {
        log.info(`GitHub GraphQL query ${retryReason}; retry ${attempt}/${MAX_ATTEMPTS - 1}`)
        await delay(backoffMs * 2 ** (attempt - 1))
      }
      queue = [...batch.map((b) => b.page), ...queue]
      continue
    }
    attempt = 0
    result.queries++
    const data = response!.data ?? {}
    const cost = (data.rateLimit as { cost?: number } | undefined)?.cost
    result.points += cost ?? 1
    const orgData = (data.organization ?? null) as Record<string, unknown> | null
    if (orgFields.length > 0 && !orgData) {
      throw new WalkFailure(`Could not resolve to an Organization with the login of '${organization}'.`, [])
    }
    const assigned = new Set<GraphQLErrorEntry>()
    const next = batch.flatMap(({ page }, i) => {
      const alias = `p${i}`
      const depth = page.level === 'organization' ? 1 : 0
      const under = response!.errors.filter(
        (e) => isNodeError(e) && (depth === 0 || e.path?.[0] === 'organization') && e.path?.[depth] === alias
      )
      under.forEach((e) => assigned.add(e))
      const errors = new NodeErrors(under.map((error) => ({ relative: error.path!.slice(depth + 1), error })))
      const value = page.level === 'organization' ? orgData![alias] : data[alias]
      const pages = page.consume(value, errors)
      for (const error of errors.untaken()) result.unexplained.push(error)
      return pages
    })
    for (const error of response!.errors) if (isNodeError(error) && !assigned.has(error)) result.unexplained.push(error)
    // Chain links go first so every query carries one. (Array literals, not `unshift(...)`/`push(...)`:
    // spreading a long queue into a call would put every page on the call stack.)
    queue = [...next.filter((p) => p.chain), ...queue, ...next.filter((p) => !p.chain)]
  }
  return result
}

/**
 * Takes every chain link and as many follow-ups as the budget allows (`rest`
 * is the queue without them). Chain
 * pages with nested connections share what is left after each page's own
 * request; a page without nesting costs one request at any size.
 */
function select(
  queue: Page[],
  budget: number,
  inner: number
): { batch: Array<{ page: Page; sizes: Sizes }>; rest: Page[] } {
  const chains = queue.filter((p) => p.chain)
  const followUps = queue.filter((p) => !p.chain)
  const nesting = chains.filter((p) => p.nested > 0)
  const share = Math.max(0, budget - chains.length) / Math.max(1, nesting.length)
  const batch = chains.map((page) => ({
    page,
    sizes: {
      first: page.nested > 0 ? Math.min(inner, Math.max(1, Math.floor(share / page.nested))) : inner,
      inner
    }
  }))
  let used = batch.reduce((sum, { page, sizes }) => sum + 1 + page.nested * sizes.first, 0)
  const taken = new Set<Page>(chains)
  for (const page of followUps) {
    const cost = 1 + page.nested * inner
    if (batch.length > 0 && used + cost > budget) break
    batch.push({ page, sizes: { first: inner, inner } })
    taken.add(page)
    used += cost
  }
  return { batch, rest: queue.filter((p) => !taken.has(p)) }
}
