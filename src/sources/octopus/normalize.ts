import { joinIds, SCOPE_SETTINGS } from '../../model/settings.js'
import type { Grant, Group, Principal, Role, Scope, Snapshot } from '../../model/types.js'
import { SourceError } from '../types.js'
import type { ScopedUserRole, Space, Team, User, UserRole } from './api.js'
import { SYSTEM } from './client.js'
import type { OctopusData } from './fetch.js'
import { privilegeOf } from './privilege.js'
import { DIMENSIONS, sentinelLabel } from './restrictions.js'

/** The scope of system-level grants (a scoped user role with no space) and of system teams. */
export const SYSTEM_SCOPE: Scope = { id: 'system', type: 'system', name: 'System' }

const byId = (a: { id?: string }, b: { id?: string }) => {
  const [x, y] = [a.id ?? '', b.id ?? '']
  return x < y ? -1 : x > y ? 1 : 0
}

export function toSnapshot(data: OctopusData, instance: string): { snapshot: Snapshot; notes: string[] } {
  const notes: string[] = []
  checkReferences(data)
  const snapshot: Snapshot = {
    source: { type: 'octopus', name: instance },
    principals: data.users.map(toPrincipal).sort(byId),
    groups: data.teams.map(toGroup).sort(byId),
    roles: data.roles.map(toRole).sort(byId),
    scopes: [SYSTEM_SCOPE, ...data.spaces.map(toScope)].sort(byId),
    grants: data.scopedRoles.map((s) => toGrant(s, data.names, notes)).sort(byId)
  }
  return { snapshot, notes }
}

function toPrincipal(user: User): Principal {
  const principal: Principal = {
    id: user.Id,
    name: user.Username,
    kind: user.IsService ? 'service-account' : 'user'
  }
  if (user.DisplayName) principal.displayName = user.DisplayName
  if (user.EmailAddress) principal.email = user.EmailAddress
  if (typeof user.IsActive === 'boolean') principal.active = user.IsActive
  if (user.IsService && user.ServiceAccountType)
    principal.attributes = { 'service-account-type': user.ServiceAccountType }
  return principal
}

function toGroup(team: Team): Group {
  const group: Group = {
    id: team.Id,
    name: team.Name,
    members: [...new Set(team.MemberUserIds)].sort().map((id) => ({ id, role: 'member' })),
    attributes: { space: team.SpaceId || SYSTEM_SCOPE.id }
  }
  if (team.Description) group.description = team.Description
  // Directory groups keep their provider id beside the display name: names are not unique across providers.
  const external = team.ExternalSecurityGroups.map((g) => (g.DisplayName ? `${g.DisplayName} (${g.Id})` : g.Id))
  if (external.length > 0) group.externalMembers = [...new Set(external)].sort()
  return group
}

function toRole(role: UserRole): Role {
  const result: Role = {
    id: role.Id,
    name: role.Name,
    // One list, prefixed, because a role may hold the same name at both levels with different reach.
    permissions: [
      ...role.GrantedSpacePermissions.map((p) => `space:${p}`),
      ...role.GrantedSystemPermissions.map((p) => `system:${p}`)
    ].sort()
  }
  if (role.Description) result.description = role.Description
  const privilege = privilegeOf(role)
  if (privilege) result.privilege = privilege
  // Octopus's own roles are the ones it refuses to delete.
  if (role.CanBeDeleted === false) result.builtIn = true
  return result
}

function toScope(space: Space): Scope {
  const scope: Scope = { id: space.Id, type: 'space', name: space.Name }
  const attributes: Record<string, string> = {}
  if (space.IsDefault) attributes.default = 'true'
  // Written even when empty: an absent setting reads as "not known", an empty one as "no managers".
  attributes[SCOPE_SETTINGS.managerGroups] = joinIds(space.SpaceManagersTeams)
  scope.attributes = attributes
  return scope
}

/**
 * A team's scoped user role: the team holds the role in the space (or at
 * system level), narrowed by whichever restriction lists are not empty. An
 * empty list means unrestricted in that dimension, so it is left out rather
 * than written as []; with all four empty the grant keeps an empty map, which
 * the store writes as `restrictions: unrestricted`.
 */
function toGrant(scoped: ScopedUserRole, names: Map<string, string>, notes: string[]): Grant {
  const grant: Grant = {
    id: scoped.Id,
    subject: { type: 'group', id: scoped.TeamId },
    role: scoped.UserRoleId,
    scope: scoped.SpaceId || SYSTEM_SCOPE.id
  }
  const restrictions: Record<string, string[]> = {}
  for (const dimension of DIMENSIONS) {
    const ids = scoped[dimension.field]
    if (ids.length === 0) continue
    restrictions[dimension.key] = [...new Set(ids)]
      .map((id) => {
        const sentinel = sentinelLabel(id, dimension)
        if (sentinel) return sentinel
        const name = names.get(id)
        if (name !== undefined) return `${name} (${id})`
        notes.push(
          `Scoped user role ${scoped.Id} (team ${scoped.TeamId}) is restricted to ${id}, which is not among the ${dimension.noun} of ${scoped.SpaceId || 'the system'}: it was probably deleted; shown by id.`
        )
        return id
      })
      .sort()
  }
  grant.restrictions = restrictions
  return grant
}

/**
 * A grant or membership that points at something the lists did not contain
 * means the key could not see everything (or the data changed mid-run):
 * either way the snapshot would be wrong, so it is refused.
 */
function checkReferences(data: OctopusData): void {
  const users = new Set(data.users.map((u) => u.Id))
  const roles = new Set(data.roles.map((r) => r.Id))
  const spaces = new Set(data.spaces.map((s) => s.Id))
  const problems: string[] = []
  for (const team of data.teams) {
    if (team.SpaceId && !spaces.has(team.SpaceId))
      problems.push(`team ${team.Id} is in ${team.SpaceId}, not in /api/spaces/all`)
    for (const id of team.MemberUserIds)
      if (!users.has(id)) problems.push(`team ${team.Id} has member ${id}, not in /api/users/all`)
  }
  for (const scoped of data.scopedRoles) {
    if (!roles.has(scoped.UserRoleId))
      problems.push(`scoped user role ${scoped.Id} grants ${scoped.UserRoleId}, not in /api/userroles/all`)
    if (scoped.SpaceId && !spaces.has(scoped.SpaceId))
      problems.push(`scoped user role ${scoped.Id} is in ${scoped.SpaceId}, not in /api/spaces/all`)
  }
  if (problems.length > 0) {
    throw new SourceError(
      `${SYSTEM}: the data does not hang together (${problems.length} dangling reference${problems.length > 1 ? 's' : ''}): ${problems.slice(0, 5).join('; ')}`,
      `The key's user probably cannot see everything (it needs UserView, UserRoleView and SpaceView in every space), or permissions changed during the run: run again.`
    )
  }
}
