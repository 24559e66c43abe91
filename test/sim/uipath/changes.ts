/**
 * Permission changes made the way an administrator makes them in Orchestrator
 * (or, for organization groups, in the organization's admin pages): each
 * mutates the tenant and writes the audit entry naming who did it.
 */
import {
  ancestors,
  assign,
  DOMAIN,
  fullyQualifiedName,
  recordAudit,
  roleByName,
  type SimAccount,
  type SimFolder,
  type SimRole,
  type TenantData
} from './data.js'
import { detailsJson, displayName, recordPlatformAudit, type SimPlatformRecord } from './platform-audit.js'

export function assignFolderRole(
  data: TenantData,
  actor: SimAccount,
  folder: SimFolder,
  account: SimAccount,
  role: SimRole,
  time = new Date()
): void {
  assign(data, folder.Id, account.Id, [role.Id])
  const path = fullyQualifiedName(data, folder)
  recordAudit(data, actor, {
    time,
    component: 'Folders',
    action: 'Assign',
    method: 'AssignUsers',
    text: `User ${actor.UserName} assigned ${account.UserName} to folder ${path} with role ${role.Name}`,
    entities: [
      { EntityId: folder.Id, EntityName: path },
      { EntityId: account.Id, EntityName: account.UserName }
    ]
  })
}

export function unassignFolderRole(
  data: TenantData,
  actor: SimAccount,
  folder: SimFolder,
  account: SimAccount,
  role: SimRole,
  time = new Date()
): void {
  const roles = data.assignments.get(folder.Id)?.get(account.Id)
  if (!roles?.delete(role.Id)) throw new Error(`${account.UserName} does not hold ${role.Name} in folder ${folder.Id}`)
  if (roles.size === 0) data.assignments.get(folder.Id)!.delete(account.Id)
  const path = fullyQualifiedName(data, folder)
  recordAudit(data, actor, {
    time,
    component: 'Folders',
    action: 'Unassign',
    method: 'AssignUsers',
    text: `User ${actor.UserName} removed role ${role.Name} of ${account.UserName} in folder ${path}`,
    entities: [
      { EntityId: folder.Id, EntityName: path },
      { EntityId: account.Id, EntityName: account.UserName }
    ]
  })
}

export function removeTenantRole(
  data: TenantData,
  actor: SimAccount,
  account: SimAccount,
  role: SimRole,
  time = new Date()
): void {
  if (!account.tenantRoles.includes(role.Id)) throw new Error(`${account.UserName} does not hold ${role.Name}`)
  account.tenantRoles = account.tenantRoles.filter((id) => id !== role.Id)
  recordAudit(data, actor, {
    time,
    component: 'Users',
    action: 'Update',
    method: 'Users_Put',
    text: `User ${actor.UserName} removed role ${role.Name} from user ${account.UserName}`,
    entities: [{ EntityId: account.Id, EntityName: account.UserName }]
  })
}

/**
 * The organization's Administrators group as the tenant sees it: a directory
 * group holding the tenant's Administrator role, with `members` in it.
 */
export function addAdministratorsGroup(data: TenantData, members: SimAccount[]): SimAccount {
  const group: SimAccount = {
    Id: data.next.account++,
    UserName: 'Administrators',
    Name: 'Administrators',
    Surname: '',
    EmailAddress: null,
    Domain: DOMAIN,
    Type: 'DirectoryGroup',
    IsActive: true,
    ProvisionType: 'Automatic',
    CreationTime: new Date(Date.now() - 400 * 86_400_000).toISOString(),
    LastLoginTime: null,
    tenantRoles: [roleByName(data, 'Administrator').Id],
    members: members.map((m) => m.Id).sort((a, b) => a - b)
  }
  data.accounts.push(group)
  return group
}

/**
 * `actor` makes `user` an Organization Administrator: a member of the
 * Administrators group. Orchestrator shows the membership; only the
 * organization audit says who did it.
 */
export function makeOrganizationAdministrator(
  data: TenantData,
  actor: SimAccount,
  user: SimAccount,
  time = new Date()
): SimPlatformRecord {
  const group = data.accounts.find((a) => a.Type === 'DirectoryGroup' && a.UserName === 'Administrators')
  if (!group) throw new Error('the tenant has no Administrators group (addAdministratorsGroup)')
  group.members = [...new Set([...group.members, user.Id])].sort((a, b) => a - b)
  return recordPlatformAudit(data, actor, {
    time,
    category: 'Group',
    action: 'AddMembers',
    message: `User '${displayName(actor)}' added '${user.EmailAddress}' to group 'Administrators' (Organization Administrator)`,
    details: detailsJson({ groupName: 'Administrators', members: [user.EmailAddress] })
  })
}

/** Deletes a folder with its subfolders and their assignments; Orchestrator audits the one deletion asked for. */
export function deleteFolder(data: TenantData, actor: SimAccount, folder: SimFolder, time = new Date()): void {
  const path = fullyQualifiedName(data, folder)
  const gone = data.folders.filter((f) => f === folder || ancestors(data, f).includes(folder))
  data.folders = data.folders.filter((f) => !gone.includes(f))
  for (const f of gone) data.assignments.delete(f.Id)
  recordAudit(data, actor, {
    time,
    component: 'Folders',
    action: 'Delete',
    method: 'Folders_Delete',
    text: `User ${actor.UserName} deleted folder ${path}`,
    entities: [{ EntityId: folder.Id, EntityName: path }]
  })
}
