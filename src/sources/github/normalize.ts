/**
 * GitHub's shapes → the normalized model.
 *
 * - Scopes: the organization (its base repository permission and whether
 *   members can create repositories, as the `SCOPE_SETTINGS` members-privilege
 *   and members-can-create) and each repository (archived, visibility).
 * - Principals: members, outside collaborators (`external`), pending
 *   invitations (`pending`, id `invitation:<id>`, named by login or a
 *   redacted e-mail, teams they would join in `attributes.teams`).
 * - Groups: teams with their parent and immediate members (maintainer/member).
 * - Roles: `organization:owner|member|billing-manager`, built-in repository
 *   roles `repository:<name>`, custom repository roles
 *   `repository-role:<id>`, organization roles `organization-role:<id>`.
 * - Grants: org membership and invitations at the organization; team and
 *   direct collaborator grants at repositories (never grants derived through
 *   teams or the base permission); organization-role assignments at the organization.
 */
import { grantKey } from '../../model/keys.js'
import { GROUP_SLUG, SCOPE_SETTINGS } from '../../model/settings.js'
import type { Grant, Group, Principal, Privilege, Role, Scope, Snapshot } from '../../model/types.js'
import type { Collected, RawUser } from './raw.js'

const BUILT_IN: Record<string, Privilege> = {
  read: 'read',
  triage: 'read',
  write: 'write',
  maintain: 'write',
  admin: 'admin'
}

const ORG_ROLES: Record<string, Role> = {
  owner: { id: 'organization:owner', name: 'owner', permissions: [], privilege: 'owner', builtIn: true },
  member: { id: 'organization:member', name: 'member', permissions: [], privilege: 'read', builtIn: true },
  billing_manager: { id: 'organization:billing-manager', name: 'billing manager', permissions: [], builtIn: true },
  hiring_manager: { id: 'organization:hiring-manager', name: 'hiring manager', permissions: [], builtIn: true },
  reinstate: {
    id: 'organization:reinstate',
    name: 'reinstated membership',
    description: 'Restores the role the invitee held before leaving the organization',
    permissions: [],
    builtIn: true
  }
}

/** Every invitation role the OpenAPI description lists; `fetchInvitations` refuses any other. */
export const INVITATION_ROLES: Record<string, Role> = {
  admin: ORG_ROLES.owner!,
  direct_member: ORG_ROLES.member!,
  billing_manager: ORG_ROLES.billing_manager!,
  hiring_manager: ORG_ROLES.hiring_manager!,
  reinstate: ORG_ROLES.reinstate!
}

/** `j***@example.com`: enough to recognise an invitation without publishing the address as a name. */
export function redactEmail(email: string): string {
  const at = email.lastIndexOf('@')
  return at <= 0 ? '***' : `${email[0]}***${email.slice(at)}`
}

export function normalize(c: Collected, instance: string): Snapshot {
  const orgScope: Scope = {
    id: c.org.nodeId,
    type: 'organization',
    name: c.org.login,
    attributes: {
      [SCOPE_SETTINGS.membersPrivilege]: c.org.defaultRepositoryPermission,
      [SCOPE_SETTINGS.membersCanCreate]: String(c.org.membersCanCreateRepositories)
    }
  }
  const scopes: Scope[] = [orgScope]
  for (const repo of c.repos.values()) {
    scopes.push({
      id: repo.id,
      type: 'repository',
      name: repo.name,
      parent: orgScope.id,
      attributes: { archived: String(repo.isArchived), [SCOPE_SETTINGS.visibility]: repo.visibility.toLowerCase() }
    })
  }

  const roles = new Map<string, Role>()
  const useRole = (role: Role) => {
    if (!roles.has(role.id)) roles.set(role.id, role)
    return role.id
  }
  for (const [name, privilege] of Object.entries(BUILT_IN)) {
    useRole({ id: `repository:${name}`, name, permissions: [], privilege, builtIn: true })
  }
  const customByName = new Map<string, string>()
  for (const custom of c.customRepoRoles) {
    const id = useRole({
      id: `repository-role:${custom.id}`,
      name: custom.name,
      description: custom.description ?? undefined,
      permissions: [...custom.permissions].sort(),
      privilege: BUILT_IN[custom.baseRole],
      builtIn: false,
      attributes: { 'base-role': custom.baseRole }
    })
    customByName.set(custom.name, id)
  }
  /**
   * A role name or GraphQL permission (`WRITE`) → role id. A name GitHub did
   * not list still gets a role, ranked at the level of the permission it came
   * with (`floor`) so a custom admin role is never ranked as harmless.
   */
  const repoRole = (name: string, floor?: string) => {
    const lower = name.toLowerCase()
    if (BUILT_IN[lower]) return `repository:${lower}`
    const privilege = floor ? BUILT_IN[floor.toLowerCase()] : undefined
    return (
      customByName.get(name) ??
      useRole({ id: `repository:${name}`, name, permissions: [], ...(privilege ? { privilege } : {}), builtIn: false })
    )
  }
  useRole(ORG_ROLES.owner!)
  useRole(ORG_ROLES.member!)

  const principals = new Map<string, Principal>()
  const addUser = (user: RawUser) => {
    if (principals.has(user.id)) return
    principals.set(user.id, {
      id: user.id,
      name: user.login,
      ...(user.name ? { displayName: user.name } : {}),
      kind: user.type === 'Bot' ? 'bot' : 'user',
      ...(user.email ? { email: user.email } : {}),
      ...(c.members.has(user.id) ? {} : { external: true })
    })
  }
  for (const user of c.users.values()) addUser(user)

  const grants: Grant[] = []
  for (const [userId, role] of c.members) {
    grants.push({
      subject: { type: 'principal', id: userId },
      role: role === 'ADMIN' ? ORG_ROLES.owner!.id : ORG_ROLES.member!.id,
      scope: orgScope.id
    })
  }

  for (const invitation of c.invitations) {
    const id = `invitation:${invitation.id}`
    const teams = [...invitation.teamSlugs].sort()
    principals.set(id, {
      id,
      name: invitation.login ?? (invitation.email ? redactEmail(invitation.email) : id),
      kind: 'user',
      ...(invitation.email ? { email: invitation.email } : {}),
      pending: true,
      ...(teams.length ? { attributes: { teams: teams.join(', ') } } : {})
    })
    grants.push({
      subject: { type: 'principal', id },
      role: useRole(INVITATION_ROLES[invitation.role]!),
      scope: orgScope.id
    })
  }

  const groups: Group[] = [...c.teams.values()].map((team) => ({
    id: team.id,
    name: team.name,
    ...(team.description ? { description: team.description } : {}),
    ...(team.parentId ? { parent: team.parentId } : {}),
    members: [...team.members]
      .map(([id, role]) => ({ id, role: role.toLowerCase() }))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
    attributes: { [GROUP_SLUG]: team.slug, privacy: team.privacy.toLowerCase() }
  }))
  for (const team of c.teams.values()) {
    for (const [repoId, role] of team.repos) {
      grants.push({ subject: { type: 'group', id: team.id }, role: repoRole(role), scope: repoId })
    }
  }
  for (const repo of c.repos.values()) {
    for (const [userId, { roleName, permission }] of repo.direct) {
      // Without a name, the permission (READ, WRITE, ADMIN) names the built-in role of that level.
      const role = repoRole(roleName ?? permission, permission)
      grants.push({ subject: { type: 'principal', id: userId }, role, scope: repo.id })
    }
  }

  for (const orgRole of c.orgRoles) {
    const id = useRole({
      id: `organization-role:${orgRole.id}`,
      name: orgRole.name,
      ...(orgRole.description ? { description: orgRole.description } : {}),
      permissions: [...orgRole.permissions].sort(),
      ...(orgRole.baseRole && BUILT_IN[orgRole.baseRole] ? { privilege: BUILT_IN[orgRole.baseRole] } : {}),
      builtIn: orgRole.source === 'Predefined',
      ...(orgRole.baseRole ? { attributes: { 'base-role': orgRole.baseRole } } : {})
    })
    for (const teamId of orgRole.teams)
      grants.push({ subject: { type: 'group', id: teamId }, role: id, scope: orgScope.id })
    for (const user of orgRole.users) {
      addUser(user)
      grants.push({ subject: { type: 'principal', id: user.id }, role: id, scope: orgScope.id })
    }
  }

  const byId = <T extends { id: string }>(items: Iterable<T>) =>
    [...items].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const keyed = grants.map((g) => [grantKey(g), g] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return {
    source: { type: 'github', name: instance },
    principals: byId(principals.values()),
    groups: byId(groups),
    roles: byId(roles.values()),
    scopes: byId(scopes),
    grants: keyed.map(([, g]) => g)
  }
}
