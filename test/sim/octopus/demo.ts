/**
 * The Octopus Deploy instance of the offline demo: a small seeded instance
 * with history, and a day 2 on which an administrator adds someone to a team
 * that deploys to Production and widens a scoped role to Production.
 */
import type { SimulatedSystem } from '../system.js'
import { addTeamMember, updateScopedUserRole } from './changes.js'
import { ADMIN_KEY, ADMIN_USER, generateOctopus, type OctopusState, type SimScopedUserRole } from './data.js'
import { octopusServer } from './server.js'

export const DEMO_SEED = 5
export const DEMO_KEY_ENV = 'OCTOPUS_DEMO_API_KEY'

const DEPLOYER = 'userroles-projectdeployer'

function production(state: OctopusState, spaceId: string): string {
  const env = state.environments.find((e) => e.SpaceId === spaceId && e.Name === 'Production')
  if (!env) throw new Error(`demo: space ${spaceId} has no Production environment`)
  return env.Id
}

/** A deployer grant that reaches Production: unrestricted by environment, or listing it. */
function deploysToProduction(state: OctopusState, s: SimScopedUserRole): boolean {
  if (s.UserRoleId !== DEPLOYER || !s.SpaceId) return false
  const envs = s.EnvironmentIds
  return envs.length === 0 || envs.includes('environments-all') || envs.includes(production(state, s.SpaceId))
}

export function planDay2(state: OctopusState): string[] {
  const name = (id: string) => state.users.find((u) => u.Id === id)!
  const actor = name(ADMIN_USER).Username

  const grant = state.scopedUserRoles.find((s) => deploysToProduction(state, s))
  if (!grant) throw new Error('demo: no team deploys to Production')
  const team = state.teams.find((t) => t.Id === grant.TeamId)!
  const newcomer = state.users.find(
    (u) => u.Id !== ADMIN_USER && u.IsActive && !u.IsService && !team.MemberUserIds.includes(u.Id)
  )!
  addTeamMember(state, ADMIN_USER, team.Id, newcomer.Id)

  // Another team's deployer grant that stops short of Production.
  const narrow = state.scopedUserRoles.find(
    (s) =>
      s.TeamId !== team.Id &&
      s.UserRoleId === DEPLOYER &&
      s.SpaceId &&
      s.EnvironmentIds.length > 0 &&
      !s.EnvironmentIds.some((id) => id === 'environments-all' || id === production(state, s.SpaceId))
  )
  if (!narrow) throw new Error('demo: no scoped role to widen')
  const envName = (id: string) => state.environments.find((e) => e.Id === id)?.Name ?? id
  const before = narrow.EnvironmentIds.map(envName).join(', ')
  updateScopedUserRole(state, ADMIN_USER, narrow.Id, {
    EnvironmentIds: [...narrow.EnvironmentIds, production(state, narrow.SpaceId)]
  })
  const widenedTeam = state.teams.find((t) => t.Id === narrow.TeamId)!
  const role = state.userRoles.find((r) => r.Id === narrow.UserRoleId)!
  return [
    `Octopus: ${actor} added ${newcomer.Username} to team "${team.Name}", which deploys to Production`,
    `Octopus: ${actor} widened ${role.Name} of team "${widenedTeam.Name}" (${narrow.Id}) from ${before} to ${narrow.EnvironmentIds.map(envName).join(', ')}`
  ]
}

export async function startOctopusDemo(): Promise<SimulatedSystem> {
  const state = generateOctopus(DEMO_SEED)
  const server = octopusServer(state)
  const url = await server.start()
  return {
    source: { type: 'octopus', name: 'octopus', url, 'api-key-env': DEMO_KEY_ENV },
    env: { [DEMO_KEY_ENV]: ADMIN_KEY },
    day2: () => planDay2(state),
    stop: () => server.stop()
  }
}
