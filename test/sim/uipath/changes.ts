/**
 * Permission changes made the way an administrator makes them in Orchestrator:
 * each mutates the tenant and writes the audit entry naming who did it.
 */
import {
  assign,
  fullyQualifiedName,
  recordAudit,
  type SimAccount,
  type SimFolder,
  type SimRole,
  type TenantData
} from './data.js'

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
