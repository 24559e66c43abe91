/**
 * The snapshot a generated organization must produce, derived from the
 * generator's own structures (not from the source's normalize functions), and
 * a canonical order so two snapshots compare regardless of ordering.
 */
import type { Grant, Principal, Role, Scope, Snapshot } from '../../../src/model/types.js'
import {
  BUILT_IN_REPOSITORY_ROLES,
  outsideCollaborators,
  type GeneratedOrg,
  type SimUser
} from '../../sim/github/data.js'

const PRIVILEGE = { read: 'read', triage: 'read', write: 'write', maintain: 'write', admin: 'admin' } as const

export interface Expectation {
  /** Whether pending invitations can be read (not on GHES, not for Enterprise Managed Users). Default true. */
  invitations?: boolean
}

export function expectedSnapshot(org: GeneratedOrg, instance: string, expect: Expectation = {}): Snapshot {
  const user = (u: SimUser): Principal => ({
    id: u.nodeId,
    name: u.login,
    ...(u.name !== null ? { displayName: u.name } : {}),
    kind: 'user',
    ...(u.email !== null ? { email: u.email } : {}),
    ...(org.members.has(u.id) ? {} : { external: true })
  })
  const principals: Principal[] = [...org.members.keys()].map((id) => user(org.users.get(id)!))
  principals.push(...outsideCollaborators(org).map(user))

  const roles: Role[] = BUILT_IN_REPOSITORY_ROLES.map((name) => ({
    id: `repository:${name}`,
    name,
    permissions: [],
    privilege: PRIVILEGE[name],
    builtIn: true
  }))
  roles.push(
    { id: 'organization:owner', name: 'owner', permissions: [], privilege: 'owner', builtIn: true },
    { id: 'organization:member', name: 'member', permissions: [], privilege: 'read', builtIn: true }
  )
  for (const custom of org.customRepoRoles) {
    roles.push({
      id: `repository-role:${custom.id}`,
      name: custom.name,
      description: custom.description,
      permissions: [...custom.permissions].sort(),
      privilege: PRIVILEGE[custom.baseRole],
      builtIn: false,
      attributes: { 'base-role': custom.baseRole }
    })
  }
  const roleId = (name: string) =>
    (BUILT_IN_REPOSITORY_ROLES as readonly string[]).includes(name)
      ? `repository:${name}`
      : `repository-role:${org.customRepoRoles.find((r) => r.name === name)!.id}`

  const scopes: Scope[] = [
    {
      id: org.nodeId,
      type: 'organization',
      name: org.login,
      attributes: {
        'members-privilege': org.defaultRepositoryPermission,
        'members-can-create': String(org.membersCanCreateRepositories)
      }
    },
    ...org.repos.map((r) => ({
      id: r.nodeId,
      type: 'repository',
      name: r.name,
      parent: org.nodeId,
      attributes: { archived: String(r.archived), visibility: r.visibility }
    }))
  ]

  const grants: Grant[] = []
  for (const [id, role] of org.members) {
    grants.push({
      subject: { type: 'principal', id: org.users.get(id)!.nodeId },
      role: role === 'admin' ? 'organization:owner' : 'organization:member',
      scope: org.nodeId
    })
  }
  const teamNode = new Map(org.teams.map((t) => [t.id, t.nodeId]))
  const groups = org.teams.map((t) => ({
    id: t.nodeId,
    name: t.name,
    ...(t.description !== null ? { description: t.description } : {}),
    ...(t.parentId !== null ? { parent: teamNode.get(t.parentId)! } : {}),
    members: [...t.members].map(([id, role]) => ({ id: org.users.get(id)!.nodeId, role })),
    attributes: { slug: t.slug, privacy: t.privacy === 'secret' ? 'secret' : 'visible' }
  }))
  const repoNode = new Map(org.repos.map((r) => [r.id, r.nodeId]))
  for (const team of org.teams) {
    for (const [repoId, role] of team.repos) {
      grants.push({ subject: { type: 'group', id: team.nodeId }, role: roleId(role), scope: repoNode.get(repoId)! })
    }
  }
  for (const repo of org.repos) {
    for (const [userId, role] of repo.collaborators) {
      grants.push({
        subject: { type: 'principal', id: org.users.get(userId)!.nodeId },
        role: roleId(role),
        scope: repo.nodeId
      })
    }
  }

  const invitations = expect.invitations === false ? [] : org.invitations
  const invitationRoles: Array<[string, Role]> = [
    [
      'billing_manager',
      { id: 'organization:billing-manager', name: 'billing manager', permissions: [], builtIn: true }
    ],
    ['hiring_manager', { id: 'organization:hiring-manager', name: 'hiring manager', permissions: [], builtIn: true }],
    [
      'reinstate',
      {
        id: 'organization:reinstate',
        name: 'reinstated membership',
        description: 'Restores the role the invitee held before leaving the organization',
        permissions: [],
        builtIn: true
      }
    ]
  ]
  for (const [name, role] of invitationRoles) if (invitations.some((i) => i.role === name)) roles.push(role)
  for (const invitation of invitations) {
    const id = `invitation:${invitation.id}`
    const teams = invitation.teamIds.map((t) => org.teams.find((x) => x.id === t)!.slug).sort()
    const email = invitation.email
    principals.push({
      id,
      name: invitation.login ?? `${email![0]}***${email!.slice(email!.indexOf('@'))}`,
      kind: 'user',
      ...(email ? { email } : {}),
      pending: true,
      ...(teams.length ? { attributes: { teams: teams.join(', ') } } : {})
    })
    grants.push({ subject: { type: 'principal', id }, role: INVITATION_ROLE[invitation.role], scope: org.nodeId })
  }

  for (const role of org.orgRoles) {
    const id = `organization-role:${role.id}`
    roles.push({
      id,
      name: role.name,
      description: role.description,
      permissions: [...role.permissions].sort(),
      ...(role.baseRole ? { privilege: PRIVILEGE[role.baseRole], attributes: { 'base-role': role.baseRole } } : {}),
      builtIn: role.source === 'Predefined'
    })
    for (const teamId of role.teams)
      grants.push({ subject: { type: 'group', id: teamNode.get(teamId)! }, role: id, scope: org.nodeId })
    for (const userId of role.users) {
      grants.push({ subject: { type: 'principal', id: org.users.get(userId)!.nodeId }, role: id, scope: org.nodeId })
    }
  }
  return { source: { type: 'github', name: instance }, principals, groups, roles, scopes, grants }
}

/** Every list sorted by its items' JSON (member lists too), keys included in a fixed order. */
export function canonical(snapshot: Snapshot): unknown {
  const stable = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(stable).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1))
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value)
          .filter(([, v]) => v !== undefined)
          .sort(([a], [b]) => (a < b ? -1 : 1))
          .map(([k, v]) => [k, stable(v)])
      )
    }
    return value
  }
  return stable(snapshot)
}

/** The organization role an invitation of each GitHub role is stored with. */
export const INVITATION_ROLE = {
  admin: 'organization:owner',
  direct_member: 'organization:member',
  billing_manager: 'organization:billing-manager',
  hiring_manager: 'organization:hiring-manager',
  reinstate: 'organization:reinstate'
} as const
