/**
 * The offline demo's UiPath organization: a small seeded Orchestrator tenant
 * with the organization's Administrators group and a few weeks of the
 * organization audit, and its scripted day-2 changes.
 */
import type { SimulatedSystem } from '../system.js'
import {
  addAdministratorsGroup,
  assignFolderRole,
  makeOrganizationAdministrator,
  unassignFolderRole
} from './changes.js'
import { fullyQualifiedName, generateTenant, roleByName, type TenantData } from './data.js'
import { displayName } from './platform-audit.js'
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, UipathSim } from './server.js'

export async function startUipathDemo(): Promise<SimulatedSystem> {
  const data = generateTenant({ seed: 6, platformAuditLogs: 20 })
  addAdministratorsGroup(data, directoryUsers(data).slice(0, 1))
  const sim = new UipathSim(data)
  await sim.start()
  return {
    source: {
      type: 'uipath',
      name: 'acme-orchestrator',
      url: sim.url,
      'client-id-env': 'UIPATH_CLIENT_ID',
      'client-secret-env': 'UIPATH_CLIENT_SECRET'
    },
    env: { UIPATH_CLIENT_ID: SIM_CLIENT_ID, UIPATH_CLIENT_SECRET: SIM_CLIENT_SECRET },
    day2: () => day2(data),
    stop: () => sim.stop()
  }
}

const directoryUsers = (data: TenantData) => data.accounts.filter((a) => a.Type === 'DirectoryUser')

/**
 * A robot account becomes folder administrator of a top-level folder; a user
 * loses a folder role; an Organization Administrator makes another user
 * Organization Administrator (only the organization audit says who).
 */
export function day2(data: TenantData): string[] {
  const administrator = roleByName(data, 'Administrator')
  const admin = data.accounts.find((a) => a.tenantRoles.includes(administrator.Id))!
  const folderAdmin = roleByName(data, 'Folder Administrator')
  const robot = data.accounts.find((a) => a.Type === 'Robot')!
  const top = data.folders.find((f) => f.ParentId == null && !f.IsPersonal)!
  assignFolderRole(data, admin, top, robot, folderAdmin)

  const [folderId, accountId, roleId] = [...data.assignments]
    .filter(([id]) => !data.folders.find((f) => f.Id === id)!.IsPersonal)
    .flatMap(([folder, byAccount]) =>
      [...byAccount].map(([account, roles]) => [folder, account, [...roles][0]!] as const)
    )
    .find(([, account]) => {
      const holder = data.accounts.find((a) => a.Id === account)!
      return holder.Id !== admin.Id && (holder.Type === 'User' || holder.Type === 'DirectoryUser')
    })!
  const folder = data.folders.find((f) => f.Id === folderId)!
  const user = data.accounts.find((a) => a.Id === accountId)!
  const role = data.roles.find((r) => r.Id === roleId)!
  unassignFolderRole(data, admin, folder, user, role)

  const [orgAdmin, promoted] = directoryUsers(data)
  makeOrganizationAdministrator(data, orgAdmin!, promoted!)
  return [
    `UiPath: ${admin.UserName} made robot account ${robot.UserName} ${folderAdmin.Name} of folder ${fullyQualifiedName(data, top)}`,
    `UiPath: ${admin.UserName} removed role ${role.Name} from ${user.UserName} in folder ${fullyQualifiedName(data, folder)}`,
    `UiPath: ${displayName(orgAdmin!)} made ${promoted!.UserName} Organization Administrator (the Administrators group)`
  ]
}
