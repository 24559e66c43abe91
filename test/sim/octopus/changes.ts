/**
 * Changes made "through the UI": each mutates the simulated instance and
 * records the event Octopus would write. Octopus logs a scoped-role change as
 * a generic `Modified` event on the team (reference §10, pitfall 2), so both
 * helpers do.
 */
import type { OctopusState, SimScopedUserRole, SimSpace, SimTeam, SimUser } from './data.js'
import { recordEvent } from './history.js'

function find<T extends { Id: string }>(items: T[], id: string, what: string): T {
  const item = items.find((x) => x.Id === id)
  if (!item) throw new Error(`simulator: no ${what} ${id}`)
  return item
}

function teamModified(state: OctopusState, actorId: string, team: SimTeam, at: Date): void {
  recordEvent(state, find(state.users, actorId, 'user'), at, {
    category: 'Modified',
    document: team,
    noun: 'team',
    spaceId: team.SpaceId
  })
}

export function addTeamMember(
  state: OctopusState,
  actorId: string,
  teamId: string,
  userId: string,
  at = new Date()
): SimUser {
  const team = find(state.teams, teamId, 'team')
  const user = find(state.users, userId, 'user')
  if (!team.MemberUserIds.includes(userId)) team.MemberUserIds.push(userId)
  teamModified(state, actorId, team, at)
  return user
}

export function updateScopedUserRole(
  state: OctopusState,
  actorId: string,
  scopedRoleId: string,
  change: Partial<
    Pick<SimScopedUserRole, 'ProjectIds' | 'ProjectGroupIds' | 'EnvironmentIds' | 'TenantIds' | 'UserRoleId'>
  >,
  at = new Date()
): SimScopedUserRole {
  const scoped = find(state.scopedUserRoles, scopedRoleId, 'scoped user role')
  Object.assign(scoped, change)
  teamModified(state, actorId, find(state.teams, scoped.TeamId, 'team'), at)
  return scoped
}

/**
 * Deletes a space with its teams, scoped roles and named collections. The
 * `Deleted` event is written as a system event (a space is a system-level
 * document); the reference does not say which `SpaceId` Octopus gives it.
 */
export function deleteSpace(state: OctopusState, actorId: string, spaceId: string, at = new Date()): SimSpace {
  const space = find(state.spaces, spaceId, 'space')
  const teams = new Set(state.teams.filter((t) => t.SpaceId === spaceId).map((t) => t.Id))
  state.spaces = state.spaces.filter((s) => s !== space)
  state.teams = state.teams.filter((t) => !teams.has(t.Id))
  state.scopedUserRoles = state.scopedUserRoles.filter((s) => s.SpaceId !== spaceId && !teams.has(s.TeamId))
  for (const list of ['projects', 'projectGroups', 'environments', 'tenants'] as const) {
    state[list] = state[list].filter((x) => x.SpaceId !== spaceId)
  }
  recordEvent(state, find(state.users, actorId, 'user'), at, {
    category: 'Deleted',
    document: { Id: space.Id, Name: space.Name },
    noun: 'space',
    spaceId: null
  })
  return space
}

/** Makes a team a space manager of its space: Octopus records a `Modified` event on the space. */
export function makeSpaceManager(
  state: OctopusState,
  actorId: string,
  spaceId: string,
  teamId: string,
  at = new Date()
) {
  const space = find(state.spaces, spaceId, 'space')
  find(state.teams, teamId, 'team')
  if (!space.SpaceManagersTeams.includes(teamId)) space.SpaceManagersTeams.push(teamId)
  recordEvent(state, find(state.users, actorId, 'user'), at, {
    category: 'Modified',
    document: { Id: space.Id, Name: space.Name },
    noun: 'space',
    spaceId: space.Id
  })
}
