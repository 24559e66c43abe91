/**
 * The snapshot the Octopus source must produce, written from the simulator's
 * own structures (not with the source's normalize functions), so the tests
 * check the source against the ground truth rather than against itself.
 */
import type { Grant, Group, Principal, Role, Scope, Snapshot } from '../../../src/model/types.js'
import type { OctopusState } from '../../sim/octopus/data.js'

const sortById = <T extends { id?: string }>(items: T[]) =>
  items.sort((a, b) => ((a.id ?? '') < (b.id ?? '') ? -1 : (a.id ?? '') > (b.id ?? '') ? 1 : 0))

const SENTINEL_LABELS: Record<string, string> = {
  'projects-all': 'all projects (projects-all)',
  'projectgroups-all': 'all project groups (projectgroups-all)',
  'environments-all': 'all environments (environments-all)',
  'tenants-unrelated': 'unrelated tenants (tenants-unrelated)'
}

export function expectedSnapshot(state: OctopusState, instance: string): Snapshot {
  const names = new Map(
    [...state.projects, ...state.projectGroups, ...state.environments, ...state.tenants].map((x) => [x.Id, x.Name])
  )
  const label = (id: string) => SENTINEL_LABELS[id] ?? (names.has(id) ? `${names.get(id)} (${id})` : id)

  const principals: Principal[] = state.users.map((u) => ({
    id: u.Id,
    name: u.Username,
    displayName: u.DisplayName,
    kind: u.IsService ? 'service-account' : 'user',
    ...(u.EmailAddress ? { email: u.EmailAddress } : {}),
    active: u.IsActive,
    ...(u.IsService ? { attributes: { 'service-account-type': u.ServiceAccountType! } } : {})
  }))
  const groups: Group[] = state.teams.map((t) => ({
    id: t.Id,
    name: t.Name,
    ...(t.Description ? { description: t.Description } : {}),
    members: [...t.MemberUserIds].sort().map((id) => ({ id, role: 'member' })),
    ...(t.ExternalSecurityGroups.length
      ? { externalMembers: t.ExternalSecurityGroups.map((g) => `${g.DisplayName} (${g.Id})`).sort() }
      : {}),
    attributes: { space: t.SpaceId ?? 'system' }
  }))
  const roles: Role[] = state.userRoles.map((r) => {
    const all = [...r.GrantedSpacePermissions, ...r.GrantedSystemPermissions]
    const privilege = all.includes('AdministerSystem')
      ? 'owner'
      : all.some((p) =>
            ['TeamEdit', 'TeamCreate', 'UserRoleEdit', 'UserInvite', 'SpaceEdit', 'SpaceCreate'].includes(p)
          )
        ? 'admin'
        : all.some((p) => !p.endsWith('View') && !p.endsWith('ViewUnscoped'))
          ? 'write'
          : 'read'
    return {
      id: r.Id,
      name: r.Name,
      ...(r.Description ? { description: r.Description } : {}),
      permissions: [
        ...r.GrantedSpacePermissions.map((p) => `space:${p}`),
        ...r.GrantedSystemPermissions.map((p) => `system:${p}`)
      ].sort(),
      privilege,
      ...(r.CanBeDeleted ? {} : { builtIn: true })
    }
  })
  const scopes: Scope[] = [
    { id: 'system', type: 'system', name: 'System' },
    ...state.spaces.map((s) => ({
      id: s.Id,
      type: 'space',
      name: s.Name,
      attributes: {
        ...(s.IsDefault ? { default: 'true' } : {}),
        'manager-groups': [...s.SpaceManagersTeams].sort().join(', ')
      }
    }))
  ]
  const grants: Grant[] = state.scopedUserRoles.map((s) => {
    const restrictions: Record<string, string[]> = {}
    if (s.ProjectIds.length) restrictions.projects = s.ProjectIds.map(label).sort()
    if (s.ProjectGroupIds.length) restrictions['project-groups'] = s.ProjectGroupIds.map(label).sort()
    if (s.EnvironmentIds.length) restrictions.environments = s.EnvironmentIds.map(label).sort()
    if (s.TenantIds.length) restrictions.tenants = s.TenantIds.map(label).sort()
    return {
      id: s.Id,
      subject: { type: 'group', id: s.TeamId },
      role: s.UserRoleId,
      scope: s.SpaceId || 'system',
      // Unrestricted is stated, as an empty map: every scoped role can be narrowed.
      restrictions
    }
  })
  return {
    source: { type: 'octopus', name: instance },
    principals: sortById(principals),
    groups: sortById(groups),
    roles: sortById(roles),
    scopes: sortById(scopes),
    grants: sortById(grants)
  }
}
