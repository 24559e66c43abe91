import type { HttpClient, Query } from '../../http/client.js'
import { HttpError } from '../../http/errors.js'
import { mapLimit } from '../../util/concurrency.js'
import type { Logger } from '../../util/log.js'
import { SourceError } from '../types.js'
import * as api from './api.js'
import { listAll, listPaged, parse, spaceSelections, SYSTEM } from './client.js'
import { DIMENSIONS, sentinelLabel } from './restrictions.js'

/** Everything one snapshot needs, as Octopus returned it (validated). */
export interface OctopusData {
  spaces: api.Space[]
  users: api.User[]
  roles: api.UserRole[]
  teams: api.Team[]
  scopedRoles: api.ScopedUserRole[]
  /** Names of the projects, project groups, environments and tenants that restrict a scoped role, by id. */
  names: Map<string, string>
}

export interface FetchOptions {
  pageSize: number
  concurrency: number
  log: Logger
}

/** Octopus's reads for "who has what" (reference §7), with the fewest requests the endpoints allow. */
export async function fetchOctopusData(http: HttpClient, options: FetchOptions): Promise<OctopusData> {
  const { pageSize, concurrency, log } = options
  const listed = listAll(http, 'spaces/all', api.space, 'spaces')
  const [spaces, users, roles, teams] = await Promise.all([
    listed,
    listAll(http, 'users/all', api.user, 'users'),
    listAll(http, 'userroles/all', api.userRole, 'user roles'),
    // The system teams and every listed space's teams, the spaces named by id.
    listed.then((all) =>
      mapLimit(spaceSelections(all), concurrency, (selection) =>
        listPaged(http, 'teams', selection, pageSize, api.team, 'teams')
      ).then((lists) => lists.flat())
    )
  ])
  checkTeamsComplete(spaces, teams)
  log.info(`${spaces.length} spaces, ${users.length} users, ${roles.length} user roles, ${teams.length} teams`)

  const scopedRoles = await fetchScopedRoles(http, spaces, teams, options)
  return { spaces, users, roles, teams, scopedRoles, names: await fetchNames(http, scopedRoles, options) }
}

/**
 * Every scoped user role, read per space (`/api/{spaceId}/scopeduserroles`)
 * plus the system's (`/api/scopeduserroles`, system permissions of system
 * teams): requests grow with the spaces, not with the teams. Where a space's
 * read is refused (403), its roles are read per team instead, from the teams
 * that can hold them (its own and the system teams). Then every role must
 * belong where it was read, and together they must add up to the total the
 * server counts for the system and every listed space.
 */
async function fetchScopedRoles(
  http: HttpClient,
  spaces: api.Space[],
  teams: api.Team[],
  { pageSize, concurrency, log }: FetchOptions
): Promise<api.ScopedUserRole[]> {
  const teamSpace = new Map(teams.map((t) => [t.Id, t.SpaceId ?? '']))
  const systemTeams = teams.filter((t) => !t.SpaceId)
  const read = (path: string, query: Query, what: string) =>
    listPaged(http, path, query, pageSize, api.scopedUserRole, what)
  const refused: api.Space[] = []
  const [systemRoles, perSpace] = await Promise.all([
    // The route may add the default space's roles: those come with their space's read.
    read('scopeduserroles', { includeSystem: true }, 'scoped user roles of the system').then((all) =>
      all.filter((s) => !s.SpaceId)
    ),
    mapLimit(spaces, concurrency, async (space) => {
      const path = `${encodeURIComponent(space.Id)}/scopeduserroles`
      try {
        return { space, roles: await read(path, {}, `scoped user roles of ${space.Id}`) }
      } catch (error) {
        if (!(error instanceof HttpError && error.status === 403)) throw error
        refused.push(space)
        return { space, roles: undefined }
      }
    })
  ])
  // Per team only where a space refused: its own teams, and the system teams (read once for all such spaces).
  const perTeam = new Map<string, Promise<api.ScopedUserRole[]>>()
  const ofTeam = (team: api.Team) => {
    const path = `teams/${encodeURIComponent(team.Id)}/scopeduserroles`
    if (!perTeam.has(team.Id)) perTeam.set(team.Id, read(path, {}, `scoped user roles of ${team.Id}`))
    return perTeam.get(team.Id)!
  }
  if (refused.length > 0) {
    log.info(
      `GET /api/{spaceId}/scopeduserroles was refused for ${refused.map((s) => s.Id).join(', ')}; reading their scoped user roles per team`
    )
  }
  const fallback = await mapLimit(refused, 1, async (space) => {
    const holders = [...systemTeams, ...teams.filter((t) => t.SpaceId === space.Id)]
    const lists = await mapLimit(holders, concurrency, ofTeam)
    return { space, roles: lists.flat().filter((s) => s.SpaceId === space.Id) }
  })

  const seen = new Set<string>()
  const check = (role: api.ScopedUserRole, where: string, spaceId: string) => {
    const owner = teamSpace.get(role.TeamId)
    let problem: string | undefined
    if ((role.SpaceId ?? '') !== spaceId) problem = `it belongs to ${role.SpaceId || 'the system'}`
    else if (owner === undefined) problem = `its team ${role.TeamId} is not in the team list`
    else if (owner !== '' && owner !== spaceId) problem = `its team ${role.TeamId} is a team of ${owner}`
    else if (seen.has(role.Id)) problem = 'it was read twice'
    if (problem) throw new SourceError(`${SYSTEM}: ${where} returned scoped user role ${role.Id}, but ${problem}`)
    seen.add(role.Id)
  }
  for (const role of systemRoles) check(role, 'GET /api/scopeduserroles', '')
  for (const { space, roles } of [...perSpace.filter((p) => p.roles), ...fallback]) {
    for (const role of roles!) check(role, `the scoped user roles of ${space.Id}`, space.Id)
  }
  const all = [...systemRoles, ...perSpace.flatMap((p) => p.roles ?? []), ...fallback.flatMap((f) => f.roles)]
  await checkTotal(http, spaces, all.length, concurrency)
  return all
}

/**
 * The count the server gives for the system and every listed space, on the
 * system route that names them (one small page per 50 spaces), must equal
 * what the per-space reads found: a space whose roles came back short, or a
 * system team's roles the system read left out, fails here.
 */
async function checkTotal(http: HttpClient, spaces: api.Space[], found: number, concurrency: number): Promise<void> {
  const counts = await mapLimit(spaceSelections(spaces), concurrency, async (selection) => {
    const page = parse(api.envelope, await http.get<unknown>('scopeduserroles', { ...selection, take: 1 }), 'count')
    return page.TotalResults
  })
  const total = counts.reduce((sum, n) => sum + n, 0)
  if (total !== found) {
    throw new SourceError(
      `${SYSTEM}: the scoped user roles read per space and for the system add up to ${found}, but GET /api/scopeduserroles?spaces=…&includeSystem=true counts ${total}`,
      "Some roles were left out of a per-space or system answer (the key's user may lack TeamView somewhere, or this Octopus version reads the routes differently); the grants would be incomplete. Run again; if it persists, report it with your Octopus version."
    )
  }
}

/**
 * The teams list comes from a system route whose `spaces`/`includeSystem`
 * parameters are not documented. Every space names its space-manager teams,
 * so a space whose teams did not come back is caught here rather than
 * showing up as every grant in it revoked.
 */
function checkTeamsComplete(spaces: api.Space[], teams: api.Team[]): void {
  const known = new Set(teams.map((t) => t.Id))
  for (const space of spaces) {
    const missing = space.SpaceManagersTeams.filter((id) => !known.has(id))
    if (missing.length > 0) {
      throw new SourceError(
        `${SYSTEM}: space ${space.Id} names space-manager team(s) ${missing.join(', ')} that GET /api/teams?spaces=…&includeSystem=true did not return`,
        `The key's user probably lacks TeamView in ${space.Id}, or this Octopus version ignores the 'spaces' parameter; the team list would be incomplete.`
      )
    }
  }
}

/** Lists, per space, only the collections some scoped role restricts by real ids (sentinels need no lookup). */
async function fetchNames(
  http: HttpClient,
  scopedRoles: api.ScopedUserRole[],
  { pageSize, concurrency }: FetchOptions
): Promise<Map<string, string>> {
  const wanted = new Map<string, { spaceId: string; collection: string; noun: string }>()
  for (const scoped of scopedRoles) {
    if (!scoped.SpaceId) continue
    for (const dimension of DIMENSIONS) {
      if (scoped[dimension.field].some((id) => sentinelLabel(id, dimension) === undefined)) {
        const { collection, noun } = dimension
        wanted.set(`${scoped.SpaceId}/${collection}`, { spaceId: scoped.SpaceId, collection, noun })
      }
    }
  }
  const lists = await mapLimit([...wanted.values()], concurrency, ({ spaceId, collection, noun }) =>
    listPaged(http, `${encodeURIComponent(spaceId)}/${collection}`, {}, pageSize, api.named, `${noun} of ${spaceId}`)
  )
  return new Map(lists.flat().map((item) => [item.Id, item.Name]))
}
