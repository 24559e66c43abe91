/**
 * Octopus Deploy REST routes over a generated instance, as the reference
 * describes them: `X-Octopus-ApiKey` (or `?apikey=`) auth with Octopus's 401
 * body, 403 "Missing permission" bodies, the paged envelope (`Items`,
 * `TotalResults`, `ItemsPerPage`, `NumberOfPages`, `LastPageNumber`, `Links`
 * with `Page.Next` only while a next page exists), default `take` 30 and no
 * maximum, `/all` routes as bare arrays, events newest first. Scoped user
 * roles three ways (reference §5): per space (`/api/{spaceId}/scopeduserroles`,
 * every team's roles in the space, system teams' included; `ids`, `skip`,
 * `take`), per team (`/api/teams/{id}/scopeduserroles`, sorted by space with
 * the system's first), and on the system route (`/api/scopeduserroles`, with
 * `spaces`/`includeSystem`). A key can be refused a space's own routes
 * (`refusedSpaces`) while the per-team route still shows the space's roles.
 *
 * Assumptions where the reference is silent: `spaces` absent means the
 * default space and `includeSystem` absent means false on system routes; a
 * 429 body is `{ ErrorMessage }` like other Octopus errors. `spaces=all` is
 * not documented (only a support engineer's example uses it; Octopus's own
 * clients send space ids), so the simulator takes `all` for the id of a space
 * that does not exist: a client relying on it silently misses every space.
 */
import type { Fault, SimRequest, SimResponse } from '../server.js'
import { SimServer } from '../server.js'
import type { OctopusState, SimKey, SimNamed } from './data.js'

export interface OctopusSimOptions {
  /** Caps `take` (a proxy or a future version doing so); Octopus documents none. Default: no cap. */
  maxTake?: number
}

export const UNAUTHORIZED =
  'You must be logged in to request this resource or provide a valid API key. Your account may have been disabled, please contact your Octopus administrator.'

const TAKE_ALL = 2147483647

/** Octopus's 429 for the 2026.3 rate limiter, waited out after `seconds`. */
export function throttled(path: RegExp | string, seconds: number, times = 1): Fault {
  return {
    path,
    times,
    status: 429,
    headers: { 'retry-after': String(seconds) },
    json: { ErrorMessage: 'Rate limit exceeded. Try again later.' }
  }
}

function error(status: number, message: string): SimResponse {
  return { status, json: { ErrorMessage: message, Errors: [] } }
}

function denied(permission: string): SimResponse {
  return error(
    403,
    `You do not have permission to perform this action. Please contact your Octopus administrator. Missing permission: ${permission}`
  )
}

/** The paged envelope, with links that keep the request's own query and move `skip`. */
function page<T>(req: SimRequest, items: readonly T[], itemType: string, maxTake: number): SimResponse {
  const skip = Math.max(Number(req.query.get('skip') ?? 0) || 0, 0)
  const asked = Number(req.query.get('take') ?? 30)
  const take = Math.min(Number.isFinite(asked) && asked > 0 ? asked : 30, maxTake)
  const link = (s: number, t = take) => {
    const query = new URLSearchParams(req.query)
    query.set('skip', String(s))
    query.set('take', String(t))
    return `${req.path}?${query.toString()}`
  }
  const pages = Math.max(Math.ceil(items.length / take), 1)
  const links: Record<string, string> = {
    Self: link(skip),
    Template: `${req.path}{?skip,take}`,
    'Page.All': link(0, TAKE_ALL),
    'Page.Current': link(skip),
    'Page.Last': link((pages - 1) * take)
  }
  if (skip + take < items.length) links['Page.Next'] = link(skip + take)
  return {
    json: {
      ItemType: itemType,
      TotalResults: items.length,
      ItemsPerPage: take,
      NumberOfPages: pages,
      LastPageNumber: pages - 1,
      Items: items.slice(skip, skip + take),
      LastModifiedOn: null,
      LastModifiedBy: null,
      Links: links
    }
  }
}

export function octopusServer(state: OctopusState, options: OctopusSimOptions = {}): SimServer {
  const server = new SimServer()
  const maxTake = options.maxTake ?? TAKE_ALL
  server.notFound = () => error(404, 'The resource you requested was not found.')

  /** Authenticates, checks the permission, and hands the key to the handler. */
  const get = (path: string, permission: string, handler: (req: SimRequest, key: SimKey) => SimResponse) =>
    server.route('GET', path, (req) => {
      const header = req.headers['x-octopus-apikey']
      const token = (typeof header === 'string' ? header : undefined) ?? req.query.get('apikey') ?? ''
      const key = state.apiKeys[token]
      const user = key && state.users.find((u) => u.Id === key.userId)
      if (!key || !user?.IsActive) return error(401, UNAUTHORIZED)
      if (key.missing?.includes(permission)) return denied(permission)
      return handler(req, key)
    })

  const visible = (key: SimKey, spaceId: string | null) =>
    !spaceId || !(key.hiddenSpaces?.includes(spaceId) || key.unlistedSpaces?.includes(spaceId))
  /** The `spaces`/`includeSystem` selection of system routes. */
  const selected = (req: SimRequest) => {
    const spaces = req.query.get('spaces')
    const ids = new Set(spaces ? spaces.split(',') : state.spaces.filter((s) => s.IsDefault).map((s) => s.Id))
    const system = req.query.get('includeSystem') === 'true'
    return (spaceId: string | null) => (spaceId ? ids.has(spaceId) : system)
  }
  const space = (req: SimRequest) => state.spaces.find((s) => s.Id === req.params.spaceId)
  /** The `ids` filter (comma-separated), where a route takes one. */
  const listedIds = (req: SimRequest, id: string) => {
    const ids = req.query.get('ids')
    return !ids || ids.split(',').includes(id)
  }

  const listed = (key: SimKey) => state.spaces.filter((s) => !key.unlistedSpaces?.includes(s.Id))
  get('/api/spaces/all', 'SpaceView', (_req, key) => ({ json: listed(key) }))
  get('/api/spaces', 'SpaceView', (req, key) => page(req, listed(key), 'Space', maxTake))
  get('/api/users/all', 'UserView', () => ({ json: state.users }))
  get('/api/users', 'UserView', (req) => page(req, state.users, 'User', maxTake))
  get('/api/userroles/all', 'UserRoleView', () => ({ json: state.userRoles }))
  get('/api/userroles', 'UserRoleView', (req) => page(req, state.userRoles, 'UserRole', maxTake))

  get('/api/teams/all', 'TeamView', (_req, key) => ({ json: state.teams.filter((t) => visible(key, t.SpaceId)) }))
  get('/api/teams', 'TeamView', (req, key) => {
    const wanted = selected(req)
    return page(
      req,
      state.teams.filter((t) => wanted(t.SpaceId) && visible(key, t.SpaceId)),
      'Team',
      maxTake
    )
  })
  get('/api/teams/:id/scopeduserroles', 'TeamView', (req, key) => {
    if (!state.teams.some((t) => t.Id === req.params.id)) return error(404, 'The resource you requested was not found.')
    // "sorted by Space Id with System Teams before Space Teams"
    const items = state.scopedUserRoles
      .filter((s) => s.TeamId === req.params.id && visible(key, s.SpaceId))
      .sort((a, b) => a.SpaceId.localeCompare(b.SpaceId))
    return page(req, items, 'ScopedUserRole', maxTake)
  })
  get('/api/scopeduserroles', 'TeamView', (req, key) => {
    const wanted = selected(req)
    const items = state.scopedUserRoles.filter(
      (s) => wanted(s.SpaceId || null) && visible(key, s.SpaceId) && listedIds(req, s.Id)
    )
    return page(req, items, 'ScopedUserRole', maxTake)
  })
  // A space's scoped user roles, whichever team holds them (system teams included); `ids`, `skip`, `take`.
  get('/api/:spaceId/scopeduserroles', 'TeamView', (req, key) => {
    const s = space(req)
    if (!s) return error(404, 'The resource you requested was not found.')
    if (key.refusedSpaces?.includes(s.Id)) return denied('TeamView')
    const items = state.scopedUserRoles.filter(
      (r) => r.SpaceId === s.Id && visible(key, r.SpaceId) && listedIds(req, r.Id)
    )
    return page(req, items, 'ScopedUserRole', maxTake)
  })
  get('/api/:spaceId/teams', 'TeamView', (req, key) => {
    const s = space(req)
    if (!s || !visible(key, s.Id)) return error(404, 'The resource you requested was not found.')
    const system = req.query.get('includeSystem') === 'true'
    return page(
      req,
      state.teams.filter((t) => t.SpaceId === s.Id || (system && !t.SpaceId)),
      'Team',
      maxTake
    )
  })

  const collections: Array<[string, string, string, SimNamed[]]> = [
    ['projects', 'ProjectView', 'Project', state.projects],
    ['projectgroups', 'ProjectGroupView', 'ProjectGroup', state.projectGroups],
    ['environments', 'EnvironmentView', 'Environment', state.environments],
    ['tenants', 'TenantView', 'Tenant', state.tenants]
  ]
  for (const [collection, permission, itemType, items] of collections) {
    const inSpace = (req: SimRequest) => items.filter((x) => x.SpaceId === req.params.spaceId)
    get(`/api/:spaceId/${collection}/all`, permission, (req) =>
      space(req) ? { json: inSpace(req) } : error(404, 'Not found')
    )
    get(`/api/:spaceId/${collection}`, permission, (req) =>
      space(req) ? page(req, inSpace(req), itemType, maxTake) : error(404, 'The resource you requested was not found.')
    )
  }

  get('/api/events', 'EventView', (req, key) => {
    const wanted = selected(req)
    const from = req.query.get('from')
    const to = req.query.get('to')
    const types = req.query.get('documentTypes')?.toLowerCase().split(',')
    const categories = req.query.get('eventCategories')?.split(',')
    const exclude = req.query.get('excludeDifference') === 'true'
    const items = state.events
      .filter((e) => wanted(e.SpaceId) && visible(key, e.SpaceId))
      .filter((e) => !from || Date.parse(e.Occurred) >= Date.parse(from))
      .filter((e) => !to || Date.parse(e.Occurred) <= Date.parse(to))
      .filter((e) => !types || e.RelatedDocumentIds.some((id) => types.includes(id.split('-')[0]!.toLowerCase())))
      .filter((e) => !categories || categories.includes(e.Category))
      .reverse()
      .map((e) => (exclude ? { ...e, ChangeDetails: { ...e.ChangeDetails, Differences: null } } : e))
    return page(req, items, 'Event', maxTake)
  })

  return server
}
