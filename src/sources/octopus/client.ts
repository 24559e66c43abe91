import type { ZodType } from 'zod'
import { HttpClient, type Query } from '../../http/client.js'
import { collectPages } from '../../http/paging.js'
import type { Logger } from '../../util/log.js'
import { SourceError } from '../types.js'
import { envelope } from './api.js'

export const SYSTEM = 'Octopus Deploy'

/** What the key's user needs for a complete snapshot; named in every 401/403. */
export const REQUIRED_PERMISSIONS =
  'TeamView, UserView, UserRoleView, EventView and SpaceView in every space, plus ProjectView, ProjectGroupView, ' +
  'EnvironmentView and TenantView to name the projects, project groups, environments and tenants that restrict a role'

/** The permission each endpoint needs, most specific path first. */
const ENDPOINT_PERMISSIONS: Array<[RegExp, string]> = [
  [/\/events/i, 'EventView'],
  [/\/scopeduserroles/i, 'TeamView and UserRoleView'],
  [/\/teams/i, 'TeamView'],
  [/\/userroles/i, 'UserRoleView'],
  [/\/users/i, 'UserView'],
  [/\/projectgroups/i, 'ProjectGroupView'],
  [/\/projects/i, 'ProjectView'],
  [/\/environments/i, 'EnvironmentView'],
  [/\/tenants/i, 'TenantView'],
  [/\/spaces/i, 'SpaceView']
]

export interface OctopusClientOptions {
  /** The server address, with or without a trailing `/api`. */
  url: string
  apiKey: string
  /** The environment variable the key came from, named in hints (never the key). */
  apiKeyEnv: string
  log: Logger
  signal?: AbortSignal
}

export function apiBaseUrl(url: string): string {
  return `${url.replace(/\/+$/, '').replace(/\/api$/i, '')}/api/`
}

/**
 * The HttpClient for one Octopus instance. The key travels only in the
 * `X-Octopus-ApiKey` header: the `?apikey=` form would put it in proxy and
 * server logs.
 */
export function createOctopusHttp(options: OctopusClientOptions): HttpClient {
  return new HttpClient({
    system: SYSTEM,
    baseUrl: apiBaseUrl(options.url),
    auth: () => ({ 'X-Octopus-ApiKey': options.apiKey }),
    log: options.log,
    signal: options.signal,
    hint: (status, path) => permissionHint(status, path, options.apiKeyEnv)
  })
}

function permissionHint(status: number, path: string, apiKeyEnv: string): string | undefined {
  if (status === 401 || status === 403) {
    const needed = ENDPOINT_PERMISSIONS.find(([pattern]) => pattern.test(path))?.[1]
    return (
      `The key is sent in the X-Octopus-ApiKey header (from ${apiKeyEnv}). Octopus answers ${status} when the key is ` +
      `missing, invalid or revoked or its account is disabled, and also when the key's user lacks a permission the ` +
      `endpoint needs${needed ? ` (here: ${needed})` : ''}, even if that user administers another space. Give the key's ` +
      `user (a service account is best) a team whose user roles grant, without restrictions: ${REQUIRED_PERMISSIONS}`
    )
  }
  if (status === 404) {
    return "Check the source's 'url': it should be the Octopus Server address (https://octopus.example.com), without /app or a space"
  }
  return undefined
}

/** Validates one API value, naming what and where when the shape is not what Octopus documents. */
export function parse<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new SourceError(
    `${SYSTEM}: unexpected ${what}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    'The server answered with a shape this version of permission-snapshot does not know; please report it with your Octopus version.'
  )
}

/** A `/all` route: one request, a bare JSON array. */
export async function listAll<T>(http: HttpClient, path: string, schema: ZodType<T>, what: string): Promise<T[]> {
  const body = await http.get<unknown>(path)
  if (!Array.isArray(body)) throw new SourceError(`${SYSTEM}: GET ${path} did not answer with a list of ${what}`)
  return body.map((item) => parse(schema, item, what))
}

/**
 * A paged collection: `skip`/`take` for the first page, then `Links["Page.Next"]`
 * until it is absent. The total the server announced must match what was read,
 * so a list that changed or broke off mid-way fails instead of looking shorter.
 */
export async function listPaged<T>(
  http: HttpClient,
  path: string,
  query: Query,
  pageSize: number,
  schema: ZodType<T>,
  what: string
): Promise<T[]> {
  let total = 0
  const first = http.url(path, { ...query, skip: 0, take: pageSize }).href
  const items = await collectPages(what, first, async (cursor) => {
    const page = parse(envelope, await http.get<unknown>(cursor), `page of ${what}`)
    total = page.TotalResults
    const link = page.Links?.['Page.Next']
    if (!link) return { items: page.Items.map((item) => parse(schema, item, what)) }
    // A link to another server is refused by the HTTP client itself: the key goes with every request.
    const next = http.url(link)
    if (page.Items.length === 0) throw new SourceError(`${SYSTEM}: an empty page of ${what} still links to a next page`)
    return { items: page.Items.map((item) => parse(schema, item, what)), next: next.href, total }
  })
  if (items.length !== total) {
    throw new SourceError(
      `${SYSTEM}: read ${items.length} ${what} but the server announced ${total}`,
      'The list changed while it was read, or the server stopped paging early. Run again; if it persists, report it with your Octopus version.'
    )
  }
  return items
}

/** Space ids per request on system routes: the URL stays far below the lengths servers and proxies refuse. */
const SPACES_PER_REQUEST = 50

/**
 * The `spaces`/`includeSystem` selections that cover the system and every
 * listed space on a system route (`/api/teams`, `/api/events`). The space ids
 * are named, as Octopus's own clients name them: `spaces=all` is not
 * documented, and a server that ignored it would silently leave spaces out.
 */
export function spaceSelections(
  spaces: ReadonlyArray<{ Id: string }>
): Array<{ spaces?: string; includeSystem: boolean }> {
  const selections: Array<{ spaces?: string; includeSystem: boolean }> = []
  for (let i = 0; i < spaces.length; i += SPACES_PER_REQUEST) {
    const ids = spaces.slice(i, i + SPACES_PER_REQUEST).map((s) => s.Id)
    selections.push({ spaces: ids.join(','), includeSystem: i === 0 })
  }
  // No space is listed (none exists, or the key sees none): the system's records are all there is.
  return selections.length > 0 ? selections : [{ includeSystem: true }]
}
