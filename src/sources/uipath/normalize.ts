/**
 * Maps Orchestrator's accounts, roles, folders and assignments onto the
 * normalized model. Directory groups become groups (members learnt from their
 * users' group-derived roles); users, robots and external applications become
 * principals; tenant roles are grants at the `tenant` scope, folder roles at
 * the folder, with `via: folder:<id>` where Orchestrator says they are
 * inherited from an ancestor.
 */
import { grantKey } from '../../model/keys.js'
import type {
  Attributes,
  Grant,
  Group,
  Principal,
  PrincipalKind,
  Privilege,
  Role,
  Scope,
  Snapshot,
  Subject
} from '../../model/types.js'
import { SourceError } from '../types.js'
import type { FolderDto, RoleDto, UserDto } from './api.js'
import { SYSTEM } from './client.js'
import type { TenantState } from './fetch.js'

/** The scope of tenant-level roles (one per source instance). */
export const TENANT_SCOPE: Scope = { id: 'tenant', type: 'tenant', name: 'tenant' }

const KINDS: Record<string, PrincipalKind> = {
  User: 'user',
  DirectoryUser: 'user',
  Robot: 'bot',
  DirectoryRobot: 'bot',
  DirectoryExternalApplication: 'app'
}

/** Areas whose write permissions change who can do what: users, roles, folders and their assignments, settings. */
const ACCESS_AREAS = new Set(['Users', 'Roles', 'Units', 'SubFolders', 'Settings'])

/**
 * The privilege tier of a role from what it grants: editing users and roles
 * together lets a holder give anyone anything (`owner`); writing to other
 * access areas is `admin`; any other write is `write`; view-only is `read`.
 */
export function rolePrivilege(granted: string[]): Privilege {
  const names = new Set(granted)
  if (names.has('Users.Edit') && names.has('Roles.Edit')) return 'owner'
  const writes = granted.filter((name) => /\.(Create|Edit|Delete)$/.test(name))
  if (writes.some((name) => ACCESS_AREAS.has(name.split('.')[0]!))) return 'admin'
  return writes.length > 0 ? 'write' : 'read'
}

export function toSnapshot(state: TenantState, instance: string): Snapshot {
  const groupAccounts = state.accounts.filter((a) => a.Type === 'DirectoryGroup')
  const groupIds = new Set(groupAccounts.map((g) => g.Id))
  const principalIds = new Set(state.accounts.filter((a) => !groupIds.has(a.Id)).map((a) => a.Id))
  const roleIds = new Set(state.roles.map((r) => r.Id))

  const subject = (id: number, where: string): Subject => {
    if (groupIds.has(id)) return { type: 'group', id: String(id) }
    if (principalIds.has(id)) return { type: 'principal', id: String(id) }
    throw changed(`account ${id} holds roles in ${where} but is not in the account list`)
  }
  const role = (id: number, where: string): string => {
    if (!roleIds.has(id)) throw changed(`role ${id} is held in ${where} but is not in the role list`)
    return String(id)
  }

  const grants = new Map<string, Grant>()
  const add = (grant: Grant) => grants.set(grantKey(grant), grant)
  for (const account of state.accounts) {
    for (const userRole of account.UserRoles ?? []) {
      add({
        subject: subject(account.Id, 'the tenant'),
        role: role(userRole.RoleId, 'the tenant'),
        scope: TENANT_SCOPE.id
      })
    }
  }
  for (const folder of state.folders) {
    const where = `folder ${folderName(folder)}`
    for (const entry of state.folderRoles.get(folder.Id) ?? []) {
      for (const held of entry.Roles) {
        const inherited = held.Origin === 'Inherited'
        add(
          defined({
            subject: subject(entry.UserEntity.Id, where),
            role: role(held.Id, where),
            scope: String(folder.Id),
            via: inherited ? `folder:${held.InheritedFromFolder?.Id ?? 'ancestor'}` : undefined
          })
        )
      }
    }
  }

  const membership = members(state, groupIds)
  return {
    source: { type: 'uipath', name: instance },
    principals: state.accounts.filter((a) => principalIds.has(a.Id)).map(toPrincipal),
    groups: groupAccounts.map((g) => toGroup(g, membership.get(g.Id) ?? new Set())),
    roles: state.roles.map(toRole),
    scopes: [TENANT_SCOPE, ...state.folders.map(toScope)],
    grants: [...grants.values()].sort((a, b) => compare(sortKey(a), sortKey(b)))
  }
}

function changed(what: string): SourceError {
  return new SourceError(`${SYSTEM}: the tenant changed while it was being read (${what})`, 'Run again.')
}

function folderName(folder: FolderDto): string {
  return folder.FullyQualifiedName || folder.DisplayName
}

/** Group id → ids of directory users whose roles come (partly) through that group. */
function members(state: TenantState, groupIds: Set<number>): Map<number, Set<number>> {
  const byGroup = new Map<number, Set<number>>()
  for (const [userId, answer] of state.userRoles) {
    const holders = [
      ...(answer.TenantRoles ?? []).flatMap((r) => r.Users ?? []),
      ...(answer.PageItems ?? []).flatMap((item) => item.Roles.flatMap((r) => r.Users ?? []))
    ]
    for (const holder of holders) {
      if (holder.Id == null || !groupIds.has(holder.Id)) continue
      if (!byGroup.has(holder.Id)) byGroup.set(holder.Id, new Set())
      byGroup.get(holder.Id)!.add(userId)
    }
  }
  return byGroup
}

function toPrincipal(account: UserDto): Principal {
  const fullName = account.FullName?.trim() || [account.Name, account.Surname].filter(Boolean).join(' ').trim()
  return defined({
    id: String(account.Id),
    name: account.UserName,
    displayName: fullName && fullName !== account.UserName ? fullName : undefined,
    kind: KINDS[account.Type] ?? 'user',
    email: account.EmailAddress || undefined,
    active: account.IsActive ?? undefined,
    attributes: attributes({ type: account.Type, domain: account.Domain })
  })
}

function toGroup(account: UserDto, memberIds: Set<number>): Group {
  return defined({
    id: String(account.Id),
    name: account.UserName,
    members: [...memberIds].sort((a, b) => a - b).map((id) => ({ id: String(id), role: 'member' })),
    attributes: attributes({ domain: account.Domain })
  })
}

function toRole(dto: RoleDto): Role {
  const granted = (dto.Permissions ?? []).filter((p) => p.IsGranted)
  return defined({
    id: String(dto.Id),
    name: dto.Name,
    description: dto.DisplayName && dto.DisplayName !== dto.Name ? dto.DisplayName : undefined,
    permissions: granted.map((p) => (p.Scope ? `${p.Name} (${p.Scope})` : p.Name)).sort(),
    privilege: rolePrivilege(granted.map((p) => p.Name)),
    builtIn: dto.IsStatic ?? undefined,
    attributes: attributes({
      type: dto.Type?.toLowerCase(),
      editable: dto.IsEditable == null ? undefined : String(dto.IsEditable)
    })
  })
}

function toScope(folder: FolderDto): Scope {
  return defined({
    id: String(folder.Id),
    type: 'folder',
    name: folderName(folder),
    parent: folder.ParentId == null ? undefined : String(folder.ParentId),
    attributes: attributes({
      'permission-model': folder.PermissionModel,
      personal: folder.IsPersonal ? 'true' : undefined
    })
  })
}

function attributes(values: Record<string, string | null | undefined>): Attributes | undefined {
  const kept = Object.entries(values).filter((entry): entry is [string, string] => !!entry[1])
  return kept.length > 0 ? Object.fromEntries(kept.sort(([a], [b]) => compare(a, b))) : undefined
}

/** Drops undefined keys: the YAML store writes what is there, and absent must stay absent. */
function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T
}

function sortKey(grant: Grant): string {
  return [grant.scope, grant.subject.type, grant.subject.id, grant.role, grant.via ?? ''].join('\u0000')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
