import type { HttpClient } from '../../http/client.js'
import { mapLimit } from '../../util/concurrency.js'
import type { Logger } from '../../util/log.js'
import { SourceError } from '../types.js'
import * as api from './api.js'
import { listAll, listPaged, spaceSelections, SYSTEM } from './client.js'
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

  // Paged per team (default 30): a team with many scoped roles spans several pages.
  const perTeam = await mapLimit(teams, concurrency, async (team) => {
    const path = `teams/${encodeURIComponent(team.Id)}/scopeduserroles`
    const scoped = await listPaged(http, path, {}, pageSize, api.scopedUserRole, `scoped user roles of ${team.Id}`)
    const stray = scoped.find((s) => s.TeamId !== team.Id)
    if (stray)
      throw new SourceError(`${SYSTEM}: GET /api/${path} returned ${stray.Id}, which belongs to ${stray.TeamId}`)
    return scoped
  })
  const scopedRoles = perTeam.flat()
  return { spaces, users, roles, teams, scopedRoles, names: await fetchNames(http, scopedRoles, options) }
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
