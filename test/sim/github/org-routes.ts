/**
 * The organization REST endpoints the GitHub source reads, answering as GitHub
 * does: owner-only fields of `GET /orgs/{org}` hidden from others, secret
 * teams hidden from non-owners, org-role assignments marked direct, indirect
 * or mixed, plan-gated endpoints (custom repository roles, audit log) 404
 * below Enterprise Cloud, invitations 404 on GHES and for Enterprise Managed
 * Users, `per_page` ≤ 100 with `Link` paging. `GET /orgs/{org}` counts every
 * repository of the organization whatever the token sees (`public_repos`;
 * `total_private_repos` and `owned_private_repos`, optional in the
 * description, for owners only; internal repositories are counted as
 * private, as their `private: true` in REST suggests). Bodies are
 * typed against `@octokit/openapi-types` (picked fields), so a field the real
 * API does not have does not compile.
 */
import type { components } from '@octokit/openapi-types'
import type { SimRequest, SimResponse } from '../server.js'
import {
  BUILT_IN_REPOSITORY_ROLES,
  outsideCollaborators,
  type GeneratedOrg,
  type SimRepo,
  type SimTeam,
  type SimUser
} from './data.js'
import { githubError, paginate, type GitHubRestApi } from './rest.js'

type Schemas = components['schemas']
type SimpleUser = Pick<Schemas['simple-user'], 'login' | 'node_id' | 'type' | 'site_admin' | 'html_url'> & {
  id: number
}
type Team = Pick<
  Schemas['team'],
  'id' | 'node_id' | 'name' | 'slug' | 'description' | 'privacy' | 'permission' | 'type'
>
type TeamSimple = Pick<
  Schemas['team-simple'],
  'id' | 'node_id' | 'name' | 'slug' | 'description' | 'privacy' | 'permission' | 'type'
>
type OrgFull = Pick<
  Schemas['organization-full'],
  | 'login'
  | 'id'
  | 'node_id'
  | 'name'
  | 'description'
  | 'type'
  | 'plan'
  | 'default_repository_permission'
  | 'members_can_create_repositories'
  | 'two_factor_requirement_enabled'
  | 'public_repos'
  | 'total_private_repos'
  | 'owned_private_repos'
>
type Invitation = Pick<
  Schemas['organization-invitation'],
  'id' | 'node_id' | 'login' | 'email' | 'role' | 'created_at' | 'team_count' | 'invitation_source'
> & { inviter: SimpleUser }
type OrgRole = Pick<
  Schemas['organization-role'],
  'id' | 'name' | 'description' | 'base_role' | 'source' | 'permissions' | 'organization' | 'created_at' | 'updated_at'
>
type TeamAssignment = Pick<Schemas['team-role-assignment'], 'assignment' | 'parent' | keyof Team>
type UserAssignment = Pick<Schemas['user-role-assignment'], 'assignment' | keyof SimpleUser> & {
  inherited_from: TeamSimple[]
}
type TeamRepository = Pick<
  Schemas['team-repository'],
  'id' | 'node_id' | 'name' | 'full_name' | 'private' | 'archived' | 'visibility' | 'permissions' | 'role_name'
>
/** GHEC-only: not in api.github.com's OpenAPI description, so shaped from the GHEC docs. */
interface CustomRepositoryRole {
  id: number
  name: string
  description: string | null
  base_role: 'read' | 'triage' | 'write' | 'maintain'
  permissions: string[]
  created_at: string
  updated_at: string
}

const CREATED = '2025-06-01T00:00:00Z'

function simpleUser(user: SimUser): SimpleUser {
  return {
    login: user.login,
    id: user.id,
    node_id: user.nodeId,
    type: 'User',
    site_admin: false,
    html_url: `https://github.com/${user.login}`
  }
}

function team(t: SimTeam): Team & TeamSimple {
  return {
    id: t.id,
    node_id: t.nodeId,
    name: t.name,
    slug: t.slug,
    description: t.description,
    privacy: t.privacy,
    permission: 'pull',
    type: 'organization'
  }
}

/** The fields every REST repository shape shares. */
export function repositoryFields(
  org: GeneratedOrg,
  repo: SimRepo
): Pick<Schemas['team-repository'], 'id' | 'node_id' | 'name' | 'full_name' | 'private' | 'archived' | 'visibility'> {
  return {
    id: repo.id,
    node_id: repo.nodeId,
    name: repo.name,
    full_name: `${org.login}/${repo.name}`,
    private: repo.visibility !== 'public',
    archived: repo.archived,
    visibility: repo.visibility
  }
}

export interface OrgRouteContext {
  org: GeneratedOrg
  /** Whether the request's token belongs to an owner (or an App with Members and Administration read). */
  isOwner(req: SimRequest): boolean
  /** The repository names the request's token is limited to, or undefined for all. */
  repositories(req: SimRequest): ReadonlySet<string> | undefined
  /** Whether `GET /orgs/{org}/invitations` exists (not on GHES, not for Enterprise Managed Users). */
  invitations: boolean
}

export function addOrgRoutes(rest: GitHubRestApi, { org, isOwner, repositories, invitations }: OrgRouteContext): void {
  const notFound = () => githubError(404, 'Not Found')
  const ours = (req: SimRequest) => req.params.org!.toLowerCase() === org.login.toLowerCase()
  const visibleTeam = (req: SimRequest, slug: string) =>
    org.teams.find((t) => t.slug === slug && (t.privacy !== 'secret' || isOwner(req)))
  const get = (path: string, handler: (req: SimRequest) => SimResponse) =>
    rest.route('GET', path, (req) => (ours(req) ? handler(req) : notFound()))

  get('/orgs/:org', (req) => {
    const privateRepos = org.repos.filter((r) => r.visibility !== 'public').length
    const body: OrgFull = {
      login: org.login,
      id: org.id,
      node_id: org.nodeId,
      name: org.name,
      description: null,
      type: 'Organization',
      public_repos: org.repos.length - privateRepos
    }
    // GitHub shows settings, plan and private counts to owners only.
    if (isOwner(req)) {
      Object.assign(body, {
        total_private_repos: privateRepos,
        owned_private_repos: privateRepos,
        plan: { name: org.plan === 'enterprise' ? 'enterprise' : org.plan, space: 976562499, private_repos: 999999 },
        default_repository_permission: org.defaultRepositoryPermission,
        members_can_create_repositories: org.membersCanCreateRepositories,
        two_factor_requirement_enabled: true
      } satisfies Partial<OrgFull>)
    }
    return { json: body }
  })

  get('/orgs/:org/outside_collaborators', (req) => paginate(req, outsideCollaborators(org).map(simpleUser)))

  get('/orgs/:org/invitations', (req) => {
    if (!invitations) return notFound()
    const inviter = (id: number) => simpleUser(org.users.get(id)!)
    const items: Invitation[] = org.invitations.map((i) => ({
      id: i.id,
      node_id: i.nodeId,
      login: i.login,
      email: i.email,
      role: i.role,
      created_at: i.createdAt,
      team_count: i.teamIds.length,
      inviter: inviter(i.inviterId),
      invitation_source: 'member'
    }))
    return paginate(req, items)
  })

  get('/orgs/:org/invitations/:id/teams', (req) => {
    if (!invitations) return notFound()
    const invitation = org.invitations.find((i) => String(i.id) === req.params.id)
    if (!invitation) return notFound()
    const teams = invitation.teamIds.map((id) => org.teams.find((t) => t.id === id)).filter((t) => t !== undefined)
    return paginate(req, teams.map(team))
  })

  get('/orgs/:org/organization-roles', () => {
    const roles: OrgRole[] = org.orgRoles.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      base_role: r.baseRole,
      source: r.source,
      permissions: r.permissions,
      organization: null,
      created_at: CREATED,
      updated_at: CREATED
    }))
    return { json: { total_count: roles.length, roles } }
  })

  // Assignments through a team show up as `indirect` (or `mixed` beside a direct one).
  get('/orgs/:org/organization-roles/:role_id/teams', (req) => {
    const role = org.orgRoles.find((r) => String(r.id) === req.params.role_id)
    if (!role) return notFound()
    const inherited = new Set<number>()
    const addChildren = (parentId: number) => {
      for (const child of org.teams.filter((t) => t.parentId === parentId)) {
        inherited.add(child.id)
        addChildren(child.id)
      }
    }
    role.teams.forEach(addChildren)
    const items: TeamAssignment[] = org.teams
      .filter((t) => role.teams.has(t.id) || inherited.has(t.id))
      .map((t) => ({
        ...team(t),
        parent: null,
        assignment: role.teams.has(t.id) ? (inherited.has(t.id) ? 'mixed' : 'direct') : 'indirect'
      }))
    return paginate(req, items)
  })

  get('/orgs/:org/organization-roles/:role_id/users', (req) => {
    const role = org.orgRoles.find((r) => String(r.id) === req.params.role_id)
    if (!role) return notFound()
    const via = new Map<number, SimTeam[]>()
    for (const t of org.teams.filter((t) => role.teams.has(t.id))) {
      for (const userId of t.members.keys()) via.set(userId, [...(via.get(userId) ?? []), t])
    }
    const ids = [...new Set([...role.users, ...via.keys()])].sort((a, b) => a - b)
    const items: UserAssignment[] = ids.map((id) => ({
      ...simpleUser(org.users.get(id)!),
      assignment: role.users.has(id) ? (via.has(id) ? 'mixed' : 'direct') : 'indirect',
      inherited_from: (via.get(id) ?? []).map(team)
    }))
    return paginate(req, items)
  })

  get('/orgs/:org/custom-repository-roles', () => {
    if (org.plan !== 'enterprise') return notFound()
    const customRoles: CustomRepositoryRole[] = org.customRepoRoles.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      base_role: r.baseRole,
      permissions: r.permissions,
      created_at: CREATED,
      updated_at: CREATED
    }))
    return { json: { total_count: customRoles.length, custom_roles: customRoles } }
  })

  get('/orgs/:org/teams/:slug/repos', (req) => {
    const t = visibleTeam(req, req.params.slug!)
    if (!t) return notFound()
    const limited = repositories(req)
    const visible = [...t.repos].filter(
      ([repoId]) => !limited || limited.has(org.repos.find((r) => r.id === repoId)!.name)
    )
    const items: TeamRepository[] = visible.map(([repoId, role]) => {
      const repo = org.repos.find((r) => r.id === repoId)!
      const base = (BUILT_IN_REPOSITORY_ROLES as readonly string[]).includes(role)
        ? role
        : org.customRepoRoles.find((c) => c.name === role)!.baseRole
      const rank = BUILT_IN_REPOSITORY_ROLES.indexOf(base as never)
      return {
        ...repositoryFields(org, repo),
        permissions: { pull: true, triage: rank >= 1, push: rank >= 2, maintain: rank >= 3, admin: rank >= 4 },
        role_name: role
      }
    })
    return paginate(req, items)
  })

  get('/orgs/:org/audit-log', (req) => {
    if (org.plan !== 'enterprise') return notFound()
    if (!isOwner(req)) return githubError(403, 'Must have admin rights to Repository.')
    return auditLogPage(req, org)
  })
}

/** `phrase=created:>=… created:<=…`, `order=asc|desc`, cursor paging with `after` in the `Link` header. */
function auditLogPage(req: SimRequest, org: GeneratedOrg): SimResponse {
  const phrase = req.query.get('phrase') ?? ''
  const tests: Array<(t: number) => boolean> = []
  for (const [, op, value] of phrase.matchAll(/created:(>=|<=|>|<)(\S+)/g)) {
    const at = Date.parse(value!)
    if (Number.isNaN(at)) return githubError(422, `Invalid created date: ${value}`)
    tests.push(op === '>=' ? (t) => t >= at : op === '<=' ? (t) => t <= at : op === '>' ? (t) => t > at : (t) => t < at)
  }
  const order = req.query.get('order') === 'asc' ? 1 : -1
  const entries = org.auditLog
    .filter((e) => tests.every((test) => test(e['@timestamp'])))
    .sort((a, b) => order * (a['@timestamp'] - b['@timestamp']))
  const perPage = Math.min(Math.max(Number(req.query.get('per_page') ?? 30) || 30, 1), 100)
  const after = req.query.get('after')
  const start = after ? Number(Buffer.from(after, 'base64').toString('utf8')) : 0
  if (!Number.isInteger(start) || start < 0) return githubError(422, 'Invalid cursor')
  const page = entries.slice(start, start + perPage)
  const headers: Record<string, string> = {}
  if (start + perPage < entries.length) {
    const next = new URL(req.url)
    next.searchParams.set('after', Buffer.from(String(start + perPage)).toString('base64'))
    next.searchParams.delete('before')
    headers.link = `<${next.toString()}>; rel="next"`
  }
  return { json: page, headers }
}
