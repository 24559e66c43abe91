/**
 * A seeded Octopus Deploy instance: the simulator serves it and the tests
 * derive their expected snapshot from it, so it is the ground truth. Shapes
 * follow /work/shared/reference/octopus-deploy.md §5 (fields beyond what the
 * source reads are kept so the simulator answers like the real server).
 */
import { Random } from '../random.js'
import { generateHistory } from './history.js'
import { SPACE_ROLES, SYSTEM_ROLES, USER_ROLES } from './roles.js'

export interface SimSpace {
  Id: string
  Name: string
  Slug: string
  Description: string
  IsDefault: boolean
  IsPrivate: boolean
  TaskQueueStopped: boolean
  SpaceManagersTeams: string[]
  SpaceManagersTeamMembers: string[]
}

export interface SimUser {
  Id: string
  Username: string
  DisplayName: string
  EmailAddress: string | null
  IsActive: boolean
  IsService: boolean
  ServiceAccountType: 'Standard' | 'Agent' | null
  Created: string
  CanPasswordBeEdited: boolean
  IsRequestor: boolean
  Identities: unknown[]
}

export interface SimExternalGroup {
  Id: string
  DisplayName: string
  DisplayIdAndName: boolean
}

export interface SimTeam {
  Id: string
  Name: string
  Slug: string
  Description: string
  /** Null for a system team. */
  SpaceId: string | null
  MemberUserIds: string[]
  ExternalSecurityGroups: SimExternalGroup[]
  CanBeDeleted: boolean
  CanBeRenamed: boolean
  CanChangeMembers: boolean
  CanChangeRoles: boolean
}

export interface SimUserRole {
  Id: string
  Name: string
  Description: string
  CanBeDeleted: boolean
  SupportedRestrictions: string[]
  GrantedSpacePermissions: string[]
  GrantedSystemPermissions: string[]
}

export interface SimScopedUserRole {
  Id: string
  UserRoleId: string
  TeamId: string
  /** Empty for a grant of system permissions. */
  SpaceId: string
  ProjectIds: string[]
  ProjectGroupIds: string[]
  EnvironmentIds: string[]
  TenantIds: string[]
}

/** Projects, project groups, environments and tenants: what a restriction names. */
export interface SimNamed {
  Id: string
  Name: string
  SpaceId: string
  Slug: string
}

export interface SimEvent {
  Id: string
  Category: string
  Message: string
  MessageHtml: string
  MessageReferences: Array<{ ReferencedDocumentId: string; StartIndex: number; Length: number }>
  Username: string
  UserId: string
  IsService: boolean
  IdentityEstablishedWith: string
  UserAgent: string
  IpAddress: string | null
  Occurred: string
  RelatedDocumentIds: string[]
  SpaceId: string | null
  Comments: null
  Details: null
  ChangeDetails: { DocumentContext: { Id: string; Name: string } | null; Differences: unknown }
}

/** What an API key may do in the simulator: whose it is, and what its user cannot see. */
export interface SimKey {
  userId: string
  /** Permissions the key's user lacks: endpoints needing them answer 403. */
  missing?: string[]
  /** Spaces whose teams and scoped roles the key's user cannot see: they are left out of lists silently. */
  hiddenSpaces?: string[]
  /**
   * Spaces the key's user has no access to at all: left out of `/api/spaces/all`
   * too, with their teams, scoped roles and events (what is left is consistent).
   */
  unlistedSpaces?: string[]
  /**
   * Spaces whose own routes refuse the key (403) while the system routes still
   * answer for them: `/api/{spaceId}/scopeduserroles` there, but not the
   * per-team route, which shows the space's roles.
   */
  refusedSpaces?: string[]
}

export interface OctopusState {
  spaces: SimSpace[]
  users: SimUser[]
  teams: SimTeam[]
  userRoles: SimUserRole[]
  scopedUserRoles: SimScopedUserRole[]
  projects: SimNamed[]
  projectGroups: SimNamed[]
  environments: SimNamed[]
  tenants: SimNamed[]
  /** Oldest first; the server answers newest first. */
  events: SimEvent[]
  apiKeys: Record<string, SimKey>
  counters: Record<string, number>
}

export interface OctopusSize {
  spaces: number
  users: number
  /** Generated teams besides the built-in ones (administrators, managers, one space-manager team per space). */
  teams: number
  projectsPerSpace: number
  environmentsPerSpace: number
  tenantsPerSpace: number
  projectGroupsPerSpace: number
  /** Scoped roles of the first generated space team: above 30 it spans pages at Octopus's default `take`. */
  bigTeamScopedRoles: number
  /** History events, spread over the days before `now`. */
  events: number
  eventDays: number
}

export const SMALL: OctopusSize = {
  spaces: 3,
  users: 40,
  teams: 12,
  projectsPerSpace: 6,
  environmentsPerSpace: 4,
  tenantsPerSpace: 4,
  projectGroupsPerSpace: 2,
  bigTeamScopedRoles: 35,
  events: 60,
  eventDays: 10
}

/** The API key every generated instance accepts with full read access. */
export const ADMIN_KEY = 'API-SIMULATORADMINKEY0001'
export const ADMIN_USER = 'Users-1'

const SPACE_NAMES = ['Default', 'Payments', 'Platform', 'Data', 'Mobile', 'Web']
const ENVIRONMENTS = ['Development', 'Test', 'Staging', 'Production']
const WORDS = ['api', 'billing', 'checkout', 'search', 'catalog', 'ledger', 'gateway', 'reports', 'auth', 'notify']
const FIRST = ['Ana', 'Bo', 'Chen', 'Dara', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ivo', 'Jo', 'Kemal', 'Lea', 'Zoë']
const LAST = ['Silva', 'Nakamura', "O'Brien", 'Okafor', 'Novak', 'Lindqvist', 'Haddad', 'Moreau']

export function nextId(state: OctopusState, kind: string): string {
  state.counters[kind] = (state.counters[kind] ?? 0) + 1
  return `${kind}-${state.counters[kind]}`
}

function slug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

export function generateOctopus(seed: number, size: OctopusSize = SMALL, now = new Date()): OctopusState {
  const random = new Random(seed)
  const state: OctopusState = {
    spaces: [],
    users: [],
    teams: [],
    userRoles: USER_ROLES.map((r) => ({
      ...r,
      SupportedRestrictions: r.GrantedSpacePermissions.length ? ['Projects', 'Environments', 'Tenants'] : []
    })),
    scopedUserRoles: [],
    projects: [],
    projectGroups: [],
    environments: [],
    tenants: [],
    events: [],
    apiKeys: { [ADMIN_KEY]: { userId: ADMIN_USER } },
    counters: { UserRoles: 4 }
  }
  const named = (kind: string, spaceId: string, name: string): SimNamed => ({
    Id: nextId(state, kind),
    Name: name,
    SpaceId: spaceId,
    Slug: slug(name)
  })

  for (let s = 0; s < size.spaces; s++) {
    const name = s < SPACE_NAMES.length ? SPACE_NAMES[s]! : `Space ${s + 1}`
    const space: SimSpace = {
      Id: nextId(state, 'Spaces'),
      Name: name,
      Slug: slug(name),
      Description: `${name} deployments`,
      IsDefault: s === 0,
      IsPrivate: false,
      TaskQueueStopped: false,
      SpaceManagersTeams: [],
      SpaceManagersTeamMembers: []
    }
    state.spaces.push(space)
    for (let i = 0; i < size.projectGroupsPerSpace; i++) {
      state.projectGroups.push(named('ProjectGroups', space.Id, i === 0 ? 'Default Project Group' : `Group ${i + 1}`))
    }
    for (let i = 0; i < size.projectsPerSpace; i++) {
      state.projects.push(named('Projects', space.Id, `${WORDS[i % WORDS.length]}-${Math.floor(i / WORDS.length) + 1}`))
    }
    for (let i = 0; i < size.environmentsPerSpace; i++) {
      state.environments.push(
        named('Environments', space.Id, ENVIRONMENTS[i] ?? `Region ${i - ENVIRONMENTS.length + 1}`)
      )
    }
    for (let i = 0; i < size.tenantsPerSpace; i++) {
      state.tenants.push(
        named('Tenants', space.Id, `Customer ${String.fromCharCode(65 + (i % 26))}${Math.floor(i / 26) || ''}`)
      )
    }
  }

  for (let u = 0; u < size.users; u++) {
    const id = nextId(state, 'Users')
    const service = u > 0 && random.chance(0.12)
    const first = random.pick(FIRST)
    const last = random.pick(LAST)
    const username =
      u === 0
        ? 'ops.admin'
        : service
          ? `svc-${WORDS[u % WORDS.length]}-${u}`
          : `${first}.${last}${u}`.toLowerCase().replace(/'/g, '')
    state.users.push({
      Id: id,
      Username: username,
      DisplayName: u === 0 ? 'Ops Admin' : service ? `${WORDS[u % WORDS.length]} automation` : `${first} ${last}`,
      EmailAddress: service || random.chance(0.1) ? null : `${username}@example.com`,
      IsActive: u === 0 || random.chance(0.9),
      IsService: service,
      ServiceAccountType: service ? (random.chance(0.3) ? 'Agent' : 'Standard') : null,
      Created: new Date(now.getTime() - (size.users - u) * 86_400_000).toISOString(),
      CanPasswordBeEdited: !service,
      IsRequestor: false,
      Identities: []
    })
  }
  const humans = state.users.filter((u) => !u.IsService).map((u) => u.Id)
  const everyone = state.users.map((u) => u.Id)

  const team = (id: string, name: string, spaceId: string | null, members: string[], builtIn: boolean): SimTeam => {
    const t: SimTeam = {
      Id: id,
      Name: name,
      Slug: slug(name),
      Description: builtIn ? `Built-in ${name.toLowerCase()} team` : random.chance(0.3) ? '' : `Team ${name}`,
      SpaceId: spaceId,
      MemberUserIds: [...new Set(members)],
      ExternalSecurityGroups: [],
      CanBeDeleted: !builtIn,
      CanBeRenamed: !builtIn,
      CanChangeMembers: true,
      CanChangeRoles: !builtIn
    }
    state.teams.push(t)
    return t
  }
  const grant = (teamId: string, roleId: string, spaceId: string, restrict: Partial<SimScopedUserRole> = {}) => {
    state.scopedUserRoles.push({
      Id: nextId(state, 'ScopedUserRoles'),
      UserRoleId: roleId,
      TeamId: teamId,
      SpaceId: spaceId,
      ProjectIds: [],
      ProjectGroupIds: [],
      EnvironmentIds: [],
      TenantIds: [],
      ...restrict
    })
  }

  team('teams-administrators', 'Octopus Administrators', null, [ADMIN_USER, ...random.sample(humans, 2)], true)
  grant('teams-administrators', 'userroles-systemadministrator', '')
  team('teams-managers', 'Octopus Managers', null, random.sample(humans, 2), true)
  grant('teams-managers', 'userroles-systemmanager', '')
  for (const space of state.spaces) {
    const managers = team(`teams-spacemanagers-${space.Id}`, 'Space Managers', space.Id, random.sample(humans, 2), true)
    grant(managers.Id, 'userroles-spacemanager', space.Id)
    space.SpaceManagersTeams = ['teams-administrators', 'teams-managers', managers.Id]
    space.SpaceManagersTeamMembers = [...managers.MemberUserIds]
  }

  const inSpace = (list: SimNamed[], spaceId: string) => list.filter((x) => x.SpaceId === spaceId).map((x) => x.Id)
  /** A restriction list: mostly empty (unrestricted), sometimes ids, now and then an "all" sentinel. */
  const restriction = (pool: string[], sentinel: string, probability: number) => {
    if (!random.chance(probability) || pool.length === 0) return []
    if (random.chance(0.1)) return [sentinel]
    return random.sample(pool, random.int(1, Math.min(3, pool.length)))
  }
  const restrictions = (spaceId: string): Partial<SimScopedUserRole> => ({
    ProjectIds: restriction(inSpace(state.projects, spaceId), 'projects-all', 0.3),
    ProjectGroupIds: restriction(inSpace(state.projectGroups, spaceId), 'projectgroups-all', 0.15),
    EnvironmentIds: restriction(inSpace(state.environments, spaceId), 'environments-all', 0.5),
    TenantIds: restriction(inSpace(state.tenants, spaceId), 'tenants-unrelated', 0.2)
  })

  for (let t = 0; t < size.teams; t++) {
    const system = t > 0 && random.chance(0.15)
    const space = t === 0 ? state.spaces[0]! : random.pick(state.spaces)
    const name = `${WORDS[t % WORDS.length]} ${system ? 'platform' : 'deployers'} ${t + 1}`
    const created = team(
      nextId(state, 'Teams'),
      name,
      system ? null : space.Id,
      random.sample(everyone, random.int(0, 8)),
      false
    )
    if (random.chance(0.25)) {
      created.ExternalSecurityGroups = [
        { Id: `S-1-5-21-${random.int(1000, 9999)}-${t}`, DisplayName: `CORP\\${slug(name)}`, DisplayIdAndName: false }
      ]
    }
    if (t === 0) {
      // The big team: one scoped role per shape, so every restriction type and a sentinel appear, over several pages.
      const env = inSpace(state.environments, space.Id)
      const shapes: Array<(i: number) => Partial<SimScopedUserRole>> = [
        (i) => ({ ProjectIds: [inSpace(state.projects, space.Id)[i % size.projectsPerSpace]!] }),
        (i) => ({ ProjectGroupIds: [inSpace(state.projectGroups, space.Id)[i % size.projectGroupsPerSpace]!] }),
        (i) => ({ EnvironmentIds: [env[i % env.length]!] }),
        (i) => ({ TenantIds: [inSpace(state.tenants, space.Id)[i % size.tenantsPerSpace]!] }),
        () => ({}),
        () => ({ ProjectIds: ['projects-all'], EnvironmentIds: ['environments-all'] }),
        (i) => ({ TenantIds: ['tenants-unrelated'], EnvironmentIds: [env[i % env.length]!] })
      ]
      for (let i = 0; i < size.bigTeamScopedRoles; i++) {
        grant(created.Id, SPACE_ROLES[i % SPACE_ROLES.length]!, space.Id, shapes[i % shapes.length]!(i))
      }
      continue
    }
    if (system) {
      if (random.chance(0.5)) grant(created.Id, random.pick(SYSTEM_ROLES), '')
      for (const s of random.sample(state.spaces, random.int(1, 2)))
        grant(created.Id, random.pick(SPACE_ROLES), s.Id, restrictions(s.Id))
      continue
    }
    for (let i = random.int(1, 4); i > 0; i--)
      grant(created.Id, random.pick(SPACE_ROLES), space.Id, restrictions(space.Id))
  }

  generateHistory(state, random, size, now)
  return state
}
