/**
 * Reads one tenant: accounts with their tenant roles, roles with permissions,
 * the folder tree, each folder's assigned and inherited roles, and (for group
 * membership) each directory user's group-derived roles.
 */
import type { HttpClient } from '../../http/client.js'
import { mapLimit } from '../../util/concurrency.js'
import type { Logger } from '../../util/log.js'
import { SourceError } from '../types.js'
import {
  folderDto,
  roleDto,
  userDto,
  userRolesDto,
  type FolderDto,
  type RoleDto,
  type UserDto,
  type UserRoleAssignmentsDto,
  type UserRolesDto
} from './api.js'
import { SYSTEM } from './client.js'
import { allRolesForUser, odataList } from './odata.js'
import type { UipathSettings } from './settings.js'

export interface TenantState {
  /** Users, robots, directory groups and external applications: Orchestrator lists them together. */
  accounts: UserDto[]
  roles: RoleDto[]
  /** The folders the snapshot covers (personal workspaces only when asked for). */
  folders: FolderDto[]
  /** Every folder the token sees, personal workspaces included: what a previous snapshot is compared with. */
  listedFolderIds: string[]
  /** Per folder id: who holds which roles there, assigned or inherited. */
  folderRoles: Map<number, UserRolesDto[]>
  /** Per directory user id: its roles with the accounts (itself or groups) they come through. */
  userRoles: Map<number, UserRoleAssignmentsDto>
  notes: string[]
}

/** `GetAllRolesForUser` takes the name as a path argument, which Orchestrator cannot parse with these in it. */
const UNSAFE_NAME = /[\\/]/

export async function fetchTenant(client: HttpClient, settings: UipathSettings, log: Logger): Promise<TenantState> {
  const notes: string[] = []
  const [accounts, roles, allFolders] = await Promise.all([
    odataList(client, 'odata/Users', userDto, { $expand: 'UserRoles' }),
    odataList(client, 'odata/Roles', roleDto, { $expand: 'Permissions' }),
    odataList(client, 'odata/Folders', folderDto)
  ])
  checkFolderTree(allFolders)
  const folders = settings['personal-folders'] ? allFolders : allFolders.filter((f) => !f.IsPersonal)
  log.info(`${SYSTEM}: ${accounts.length} accounts, ${roles.length} roles, ${folders.length} folders`)

  const perFolder = await mapLimit(folders, settings.concurrency, (folder) =>
    odataList(
      client,
      `odata/Folders/UiPath.Server.Configuration.OData.GetUsersForFolder(key=${folder.Id},includeInherited=true)`,
      userRolesDto,
      { $expand: 'UserEntity,Roles' }
    )
  )
  const folderRoles = new Map(folders.map((folder, i) => [folder.Id, perFolder[i]!]))

  const userRoles = new Map<number, UserRoleAssignmentsDto>()
  if (settings['group-membership'] && groupsHoldRoles(accounts, perFolder)) {
    const directoryUsers = accounts.filter((a) => a.Type === 'DirectoryUser')
    const readable = directoryUsers.filter((u) => !UNSAFE_NAME.test(u.UserName))
    if (readable.length < directoryUsers.length) {
      notes.push(
        `Group membership of ${directoryUsers.length - readable.length} directory user(s) whose name contains '\\' or '/' was not read: GetAllRolesForUser cannot take such names. Their direct roles are complete.`
      )
    }
    const answers = await mapLimit(readable, settings.concurrency, (user) => allRolesForUser(client, user.UserName))
    readable.forEach((user, i) => userRoles.set(user.Id, answers[i]!))
  }
  const listedFolderIds = allFolders.map((f) => String(f.Id))
  return { accounts, roles, folders, listedFolderIds, folderRoles, userRoles, notes }
}

/**
 * An app token may see only the folders it is assigned to. A folder whose
 * parent is missing proves the view is partial; the snapshot would then show
 * the hidden folders' access as revoked, so stop instead.
 */
function checkFolderTree(folders: FolderDto[]): void {
  const ids = new Set(folders.map((f) => f.Id))
  const orphan = folders.find((f) => f.ParentId != null && !ids.has(f.ParentId))
  if (orphan) {
    throw new SourceError(
      `${SYSTEM}: folder '${orphan.FullyQualifiedName ?? orphan.DisplayName}' is listed but its parent folder (id ${orphan.ParentId}) is not: the token sees only part of the folder tree`,
      'Give the external application tenant-wide folder access (a tenant role with Folders - View), or assign it to every top-level folder, so the snapshot is complete.'
    )
  }
}

/** Membership can only show where a directory group holds some role; without one, skip the per-user calls. */
function groupsHoldRoles(accounts: UserDto[], perFolder: UserRolesDto[][]): boolean {
  const groups = new Set(accounts.filter((a) => a.Type === 'DirectoryGroup').map((a) => a.Id))
  if (groups.size === 0) return false
  if (accounts.some((a) => groups.has(a.Id) && (a.UserRoles?.length ?? 0) > 0)) return true
  return perFolder.some((entries) => entries.some((e) => groups.has(e.UserEntity.Id)))
}
