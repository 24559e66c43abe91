/**
 * A seeded generator of synthetic GitHub organizations: the ground truth the
 * simulator serves and the tests compare the source's output with. Sizes are
 * options, so the benchmark can ask for 20,000 members, 1,000 teams and 5,000
 * repositories. The shapes include the traps of the reference: nested teams
 * with users who are direct members of both parent and child, secret teams,
 * maintainers, custom repository and organization roles, outside
 * collaborators, archived repositories, e-mail invitations, and inner lists
 * longer than one page.
 */
import { Random } from '../random.js'

export type OrgRole = 'admin' | 'member'
export type TeamRole = 'maintainer' | 'member'
export type Plan = 'free' | 'team' | 'enterprise'
export type BaseRole = 'read' | 'triage' | 'write' | 'maintain' | 'admin'

export const BUILT_IN_REPOSITORY_ROLES: readonly BaseRole[] = ['read', 'triage', 'write', 'maintain', 'admin']

export interface SimUser {
  id: number
  nodeId: string
  login: string
  name: string | null
  /** Public profile e-mail, or null. */
  email: string | null
}

export interface SimTeam {
  id: number
  nodeId: string
  slug: string
  name: string
  description: string | null
  privacy: 'closed' | 'secret'
  parentId: number | null
  /** Immediate members only; child-team members are not listed here. */
  members: Map<number, TeamRole>
  /** Repository id → role name (built-in or custom) granted to this team itself. */
  repos: Map<number, string>
}

export interface SimRepo {
  id: number
  nodeId: string
  name: string
  archived: boolean
  visibility: 'public' | 'private' | 'internal'
  /** User id → role name of a direct grant on this repository. */
  collaborators: Map<number, string>
}

export interface SimCustomRepoRole {
  id: number
  name: string
  description: string
  baseRole: Exclude<BaseRole, 'admin'>
  permissions: string[]
}

export interface SimOrgRole {
  id: number
  name: string
  description: string
  permissions: string[]
  baseRole: BaseRole | null
  source: 'Predefined' | 'Organization'
  teams: Set<number>
  users: Set<number>
}

export interface SimInvitation {
  id: number
  nodeId: string
  login: string | null
  email: string | null
  /** The roles the OpenAPI description lists for an invitation (`reinstate` restores a former membership). */
  role: 'admin' | 'direct_member' | 'billing_manager' | 'hiring_manager' | 'reinstate'
  teamIds: number[]
  inviterId: number
  createdAt: string
}

/** An audit-log entry as GitHub Enterprise Cloud's REST audit log returns it. */
export interface SimAuditEntry {
  '@timestamp': number
  _document_id: string
  action: string
  actor: string
  actor_id: number
  created_at: number
  org: string
  org_id: number
  user?: string
  user_id?: number
  team?: string
  repo?: string
  permission?: string
}

export interface GeneratedOrg {
  id: number
  nodeId: string
  login: string
  name: string
  plan: Plan
  defaultRepositoryPermission: 'read' | 'write' | 'admin' | 'none'
  membersCanCreateRepositories: boolean
  /** Everyone the organization knows: members and outside collaborators. */
  users: Map<number, SimUser>
  /** Organization members with their role; users absent here are outside collaborators. */
  members: Map<number, OrgRole>
  teams: SimTeam[]
  repos: SimRepo[]
  customRepoRoles: SimCustomRepoRole[]
  orgRoles: SimOrgRole[]
  invitations: SimInvitation[]
  auditLog: SimAuditEntry[]
  nextId: number
}

export interface OrgSize {
  seed?: number
  login?: string
  members: number
  teams: number
  repos: number
  plan?: Plan
}

const FIRST = ['ada', 'alan', 'grace', 'linus', 'margaret', 'ken', 'barbara', 'dennis', 'radia', 'edsger', 'frances']
const LAST = ['lovelace', 'turing', 'hopper', 'torvalds', 'hamilton', 'thompson', 'liskov', 'ritchie', 'perlman']
/** Display names are hostile input: quotes, YAML indicators and non-ASCII must survive untouched. */
const ODD_NAMES = ["Seán O'Brien", 'Zoë "zed" Müller', '- yes: no', '李 雷', '#not a comment']
const TEAM_WORDS = ['platform', 'payments', 'security', 'data', 'mobile', 'web', 'infra', 'search', 'ml', 'docs']
const REPO_WORDS = ['api', 'service', 'ui', 'worker', 'infra', 'tools', 'sdk', 'cli', 'docs', 'pipeline']

/** GitHub's global node ids look like `U_kgDOB…`; these keep the shape and are unique per kind. */
export function nodeId(prefix: 'O' | 'U' | 'T' | 'R' | 'OI', id: number): string {
  return `${prefix}_kgDO${id.toString(36).padStart(6, '0')}`
}

export function newUser(org: GeneratedOrg, login: string, name: string | null, email: string | null): SimUser {
  const id = org.nextId++
  const user: SimUser = { id, nodeId: nodeId('U', id), login, name, email }
  org.users.set(id, user)
  return user
}

const PREDEFINED_ORG_ROLES: Array<[string, string, BaseRole | null, string[]]> = [
  ['all_repo_read', 'Grants read access to all repositories in the organization.', 'read', []],
  ['all_repo_triage', 'Grants triage access to all repositories in the organization.', 'triage', []],
  ['all_repo_write', 'Grants write access to all repositories in the organization.', 'write', []],
  ['all_repo_maintain', 'Grants maintenance access to all repositories in the organization.', 'maintain', []],
  ['all_repo_admin', 'Grants admin access to all repositories in the organization.', 'admin', []],
  ['security_manager', 'Manages security policies, alerts and settings.', null, ['read_organization_audit_log']],
  ['ci_cd_admin', 'Manages Actions policies, runners and secrets.', null, ['write_organization_actions_settings']]
]

export function generateOrg(size: OrgSize): GeneratedOrg {
  const random = new Random(size.seed ?? 1)
  const login = size.login ?? 'acme'
  const plan = size.plan ?? 'enterprise'
  const org: GeneratedOrg = {
    id: 1,
    nodeId: nodeId('O', 1),
    login,
    name: `${login[0]!.toUpperCase()}${login.slice(1)} Inc.`,
    plan,
    defaultRepositoryPermission: 'read',
    membersCanCreateRepositories: false,
    users: new Map(),
    members: new Map(),
    teams: [],
    repos: [],
    customRepoRoles: [],
    orgRoles: [],
    invitations: [],
    auditLog: [],
    nextId: 100
  }

  // Members: about 1 % owners (at least one), some with a public e-mail, a few hostile display names.
  const memberIds: number[] = []
  for (let i = 0; i < size.members; i++) {
    const first = random.pick(FIRST)
    const last = random.pick(LAST)
    const name = random.chance(0.02) ? random.pick(ODD_NAMES) : random.chance(0.8) ? `${first} ${last}` : null
    const email = random.chance(0.3) ? `${first}.${last}.${i}@example.com` : null
    const user = newUser(org, `${first}-${last}-${i}`, name, email)
    org.members.set(user.id, i === 0 || random.chance(0.01) ? 'admin' : 'member')
    memberIds.push(user.id)
  }
  // Outside collaborators: about 2 % of the membership, at least one.
  const outsideIds: number[] = []
  for (let i = 0; i < Math.max(1, Math.round(size.members * 0.02)); i++) {
    outsideIds.push(newUser(org, `contractor-${i}`, random.chance(0.5) ? `Contractor ${i}` : null, null).id)
  }

  if (plan === 'enterprise') {
    org.customRepoRoles.push(
      {
        id: 7001,
        name: 'security-reviewer',
        description: 'Reads code and manages security alerts',
        baseRole: 'read',
        permissions: ['read_code_scanning', 'write_code_scanning', 'view_secret_scanning_alerts']
      },
      {
        id: 7002,
        name: 'release-manager',
        description: 'Maintains the repository and publishes releases',
        baseRole: 'maintain',
        permissions: ['create_tag', 'delete_tag']
      }
    )
  }
  const roleNames = [...BUILT_IN_REPOSITORY_ROLES, ...org.customRepoRoles.map((r) => r.name)]
  const pickRole = () => (random.chance(0.55) ? 'write' : random.chance(0.6) ? 'read' : random.pick(roleNames))

  // Repositories: some archived; most have no direct collaborators, a few have more than one page.
  for (let i = 0; i < size.repos; i++) {
    const id = org.nextId++
    const repo: SimRepo = {
      id,
      nodeId: nodeId('R', id),
      name: `${random.pick(REPO_WORDS)}-${random.pick(REPO_WORDS)}-${i}`,
      archived: random.chance(0.1),
      visibility: random.chance(0.7) ? 'private' : random.chance(0.5) ? 'internal' : 'public',
      collaborators: new Map()
    }
    const count = random.chance(0.6) ? 0 : random.chance(0.01) ? random.int(101, 160) : random.int(1, 5)
    for (const userId of random.sample(memberIds, count)) repo.collaborators.set(userId, pickRole())
    if (random.chance(0.05)) repo.collaborators.set(random.pick(outsideIds), random.chance(0.8) ? 'write' : 'read')
    org.repos.push(repo)
  }
  // Every outside collaborator collaborates somewhere: that is what makes them one.
  for (const userId of outsideIds) {
    if (!org.repos.some((r) => r.collaborators.has(userId)) && org.repos.length > 0) {
      random.pick(org.repos).collaborators.set(userId, 'read')
    }
  }

  // Teams: a forest; secret teams have neither parent nor children (GitHub forbids it).
  for (let i = 0; i < size.teams; i++) {
    const id = org.nextId++
    const word = random.pick(TEAM_WORDS)
    const candidates = org.teams.filter((t) => t.privacy === 'closed')
    const parent = i > 0 && candidates.length > 0 && random.chance(0.4) ? random.pick(candidates) : null
    const team: SimTeam = {
      id,
      nodeId: nodeId('T', id),
      slug: `${word}-${i}`,
      name: `${word[0]!.toUpperCase()}${word.slice(1)} ${i}`,
      description: random.chance(0.5) ? `The ${word} team` : null,
      privacy: !parent && random.chance(0.1) ? 'secret' : 'closed',
      parentId: parent?.id ?? null,
      members: new Map(),
      repos: new Map()
    }
    const memberCount = random.chance(0.03) ? random.int(101, 180) : random.int(2, 25)
    for (const userId of random.sample(memberIds, memberCount)) {
      team.members.set(userId, random.chance(0.1) ? 'maintainer' : 'member')
    }
    // A direct member of both parent and child: subtracting child members would lose them.
    if (parent && parent.members.size > 0) team.members.set([...parent.members.keys()][0]!, 'member')
    const repoCount = random.chance(0.01) ? random.int(101, 130) : random.int(0, 8)
    for (const repo of random.sample(org.repos, repoCount)) team.repos.set(repo.id, pickRole())
    org.teams.push(team)
  }
  // Organization roles: the predefined ones on every plan, a custom one on Enterprise Cloud.
  let roleId = 8000
  for (const [name, description, baseRole, permissions] of PREDEFINED_ORG_ROLES) {
    org.orgRoles.push({
      id: roleId++,
      name,
      description,
      permissions,
      baseRole,
      source: 'Predefined',
      teams: new Set(),
      users: new Set()
    })
  }
  if (plan === 'enterprise') {
    org.orgRoles.push({
      id: roleId,
      name: 'Compliance auditor',
      description: 'Reads every repository and the audit log',
      permissions: ['read_organization_audit_log', 'read_organization_custom_repo_role'],
      baseRole: 'read',
      source: 'Organization',
      teams: new Set(),
      users: new Set()
    })
  }
  for (const role of org.orgRoles) {
    if (org.teams.length > 0 && random.chance(0.5)) role.teams.add(random.pick(org.teams).id)
    if (random.chance(0.5)) role.users.add(random.pick(memberIds))
  }

  // Pending invitations: by login or by e-mail, some with teams.
  for (let i = 0; i < Math.max(1, Math.round(size.members * 0.005)); i++) {
    const id = org.nextId++
    const byEmail = random.chance(0.5)
    org.invitations.push({
      id,
      nodeId: nodeId('OI', id),
      login: byEmail ? null : `invitee-${i}`,
      email: byEmail ? `new.hire.${i}@example.org` : null,
      role: random.chance(0.1) ? 'admin' : random.chance(0.05) ? 'billing_manager' : 'direct_member',
      teamIds: org.teams.length > 0 && random.chance(0.5) ? random.sample(org.teams, 2).map((t) => t.id) : [],
      inviterId: memberIds[0]!,
      createdAt: new Date(Date.UTC(2026, 0, 1 + (i % 28))).toISOString()
    })
  }
  return org
}

export function findTeam(org: GeneratedOrg, id: number): SimTeam {
  const team = org.teams.find((t) => t.id === id)
  if (!team) throw new Error(`no team ${id}`)
  return team
}

export function userByLogin(org: GeneratedOrg, login: string): SimUser | undefined {
  for (const user of org.users.values()) if (user.login === login) return user
  return undefined
}

/** Outside collaborators: users with a direct repository grant who are not members. */
export function outsideCollaborators(org: GeneratedOrg): SimUser[] {
  const ids = new Set<number>()
  for (const repo of org.repos)
    for (const userId of repo.collaborators.keys()) if (!org.members.has(userId)) ids.add(userId)
  return [...ids].sort((a, b) => a - b).map((id) => org.users.get(id)!)
}

/** The team and its ancestors, nearest first. */
export function ancestry(org: GeneratedOrg, team: SimTeam): SimTeam[] {
  const chain: SimTeam[] = []
  for (let t: SimTeam | undefined = team; t; t = t.parentId === null ? undefined : findTeam(org, t.parentId)) {
    chain.push(t)
  }
  return chain
}
