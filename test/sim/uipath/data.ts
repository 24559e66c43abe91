/**
 * The ground truth of a simulated Orchestrator tenant: accounts (users,
 * robots, directory users and groups, external applications), roles with
 * permissions, a nested folder tree with personal workspaces, direct folder
 * assignments (inheritance is derived by the server, as Orchestrator does) and
 * the audit trail. Seeded, so every run builds the same tenant; sizes are
 * options so the bench can ask for big ones.
 */
import { Random } from '../random.js'
import { generatePlatformHistory, type SimPlatformRecord } from './platform-audit.js'

export type AccountType =
  'User' | 'Robot' | 'DirectoryUser' | 'DirectoryGroup' | 'DirectoryRobot' | 'DirectoryExternalApplication'

export interface SimAccount {
  Id: number
  UserName: string
  Name: string
  Surname: string
  EmailAddress: string | null
  Domain: string | null
  Type: AccountType
  IsActive: boolean
  ProvisionType: 'Manual' | 'Automatic'
  CreationTime: string
  LastLoginTime: string | null
  /** Role ids held at tenant level. */
  tenantRoles: number[]
  /** Directory groups only: ids of member accounts (as the directory knows them). */
  members: number[]
}

export interface SimPermission {
  Name: string
  Scope: 'Global' | 'Folder' | 'GlobalOrFolder'
  IsGranted: boolean
}

export interface SimRole {
  Id: number
  Name: string
  DisplayName: string
  Type: 'Tenant' | 'Folder' | 'Mixed'
  IsStatic: boolean
  IsEditable: boolean
  Permissions: SimPermission[]
}

export interface SimFolder {
  Id: number
  Key: string
  DisplayName: string
  Description: string | null
  ParentId: number | null
  PermissionModel: 'FineGrained' | 'InheritFromTenant'
  IsPersonal: boolean
}

export interface SimAuditEntity {
  EntityId: number
  EntityName: string
}

export interface SimAuditLog {
  Id: number
  ServiceName: string
  MethodName: string
  Parameters: string
  ExecutionTime: string
  Action: string
  Component: string
  DisplayName: string
  EntityId: number | null
  OperationText: string
  UserName: string | null
  UserType: string
  UserId: number | null
  UserIsDeleted: boolean
  ExternalClientId: string | null
  Entities: SimAuditEntity[]
}

export interface TenantData {
  accounts: SimAccount[]
  roles: SimRole[]
  folders: SimFolder[]
  /** Direct folder assignments: folder id → account id → role ids. */
  assignments: Map<number, Map<number, Set<number>>>
  auditLogs: SimAuditLog[]
  /** The organization's audit trail (Platform Management), newest last. */
  platformAudit: SimPlatformRecord[]
  /** Id counters per table: Orchestrator numbers users, roles, folders and audit entries separately. */
  next: { account: number; role: number; folder: number; audit: number }
}

export interface TenantOptions {
  seed?: number
  /** Human users; about 40% come from the directory. */
  users?: number
  robots?: number
  groups?: number
  apps?: number
  /** Shared (non-personal) folders, nested up to `depth` levels. */
  folders?: number
  depth?: number
  /** Personal workspaces, one per user from the first. */
  personalFolders?: number
  customRoles?: number
  /** Audit entries spread over the `historyDays` before `now`. */
  auditLogs?: number
  /** Organization audit records over the same `historyDays` (from a generator of their own, so the rest stays as it was). */
  platformAuditLogs?: number
  historyDays?: number
  now?: Date
}

const GLOBAL_PERMISSIONS = [
  'Users.View',
  'Users.Create',
  'Users.Edit',
  'Users.Delete',
  'Roles.View',
  'Roles.Create',
  'Roles.Edit',
  'Roles.Delete',
  'Settings.View',
  'Settings.Edit',
  'Audit.View',
  'Units.View',
  'Units.Create',
  'Units.Edit',
  'Units.Delete',
  'Machines.View',
  'Machines.Create',
  'License.View'
]
const FOLDER_PERMISSIONS = [
  'Jobs.View',
  'Jobs.Create',
  'Jobs.Edit',
  'Jobs.Delete',
  'Processes.View',
  'Processes.Create',
  'Processes.Edit',
  'Assets.View',
  'Assets.Create',
  'Assets.Edit',
  'Queues.View',
  'Queues.Create',
  'Robots.View',
  'Logs.View',
  'SubFolders.View',
  'SubFolders.Create',
  'SubFolders.Edit',
  'SubFolders.Delete'
]

const FIRST = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eva', 'Femi', 'Gus', 'Hana', 'Ivo', 'Jia', 'Kofi', 'Lena', 'Mo', 'Nia']
const LAST = ['Silva', 'Okafor', 'Novak', 'Berg', 'Tanaka', 'Moreau', 'Khan', 'Rossi', 'Weber', 'Lund', 'Park']
const AREAS = ['Finance', 'HR', 'Sales', 'IT', 'Operations', 'Legal', 'Procurement', 'Support', 'Marketing']
const TOPICS = [
  'Invoices',
  'Payroll',
  'Onboarding',
  'Reports',
  'Claims',
  'Orders',
  'Tickets',
  'Archive',
  'Test',
  'Prod'
]
export const DOMAIN = 'acme.example'

function permissions(names: string[], scope: SimPermission['Scope']): SimPermission[] {
  return names.map((Name) => ({ Name, Scope: scope, IsGranted: true }))
}

/** Orchestrator's built-in roles, with permission sets close to the shipped ones. */
function builtInRoles(nextId: () => number): SimRole[] {
  const role = (Name: string, Type: SimRole['Type'], Permissions: SimPermission[], IsEditable = true): SimRole => ({
    Id: nextId(),
    Name,
    DisplayName: Name,
    Type,
    IsStatic: true,
    IsEditable,
    Permissions
  })
  return [
    role(
      'Administrator',
      'Mixed',
      [...permissions(GLOBAL_PERMISSIONS, 'Global'), ...permissions(FOLDER_PERMISSIONS, 'Folder')],
      false
    ),
    role(
      'Allow to be Folder Administrator',
      'Tenant',
      permissions(['Units.View', 'Users.View', 'Audit.View'], 'Global')
    ),
    role('Allow to be Automation User', 'Tenant', permissions(['Users.View'], 'Global')),
    role('Allow to be Automation Developer', 'Tenant', permissions(['Units.View', 'Machines.View'], 'Global')),
    role(
      'Folder Administrator',
      'Folder',
      permissions(
        FOLDER_PERMISSIONS.filter((p) => !p.endsWith('.Delete') || p.startsWith('SubFolders')),
        'Folder'
      )
    ),
    role(
      'Automation Developer',
      'Folder',
      permissions(
        [
          'Jobs.View',
          'Jobs.Create',
          'Processes.View',
          'Processes.Create',
          'Processes.Edit',
          'Assets.View',
          'Assets.Edit',
          'Logs.View'
        ],
        'Folder'
      )
    ),
    role('Automation User', 'Folder', [
      ...permissions(['Jobs.View', 'Jobs.Create', 'Processes.View', 'Assets.View', 'Queues.View'], 'Folder'),
      // Shipped roles list some permissions explicitly as not granted.
      { Name: 'Jobs.Delete', Scope: 'Folder', IsGranted: false }
    ]),
    role(
      'Folder Viewer',
      'Folder',
      permissions(['Jobs.View', 'Processes.View', 'Logs.View', 'SubFolders.View'], 'Folder')
    ),
    role(
      'Personal Workspace Administrator',
      'Folder',
      permissions(['Jobs.View', 'Jobs.Create', 'Processes.View', 'Processes.Edit'], 'Folder')
    )
  ]
}

export function roleByName(data: TenantData, name: string): SimRole {
  const role = data.roles.find((r) => r.Name === name)
  if (!role) throw new Error(`no role named ${name}`)
  return role
}

export function accountById(data: TenantData, id: number): SimAccount {
  const account = data.accounts.find((a) => a.Id === id)
  if (!account) throw new Error(`no account ${id}`)
  return account
}

export function folderById(data: TenantData, id: number): SimFolder {
  const folder = data.folders.find((f) => f.Id === id)
  if (!folder) throw new Error(`no folder ${id}`)
  return folder
}

/** `Parent/Child/Grandchild`, as Orchestrator's FullyQualifiedName. */
export function fullyQualifiedName(data: TenantData, folder: SimFolder): string {
  const names: string[] = []
  for (let f: SimFolder | undefined = folder; f; f = f.ParentId == null ? undefined : folderById(data, f.ParentId))
    names.unshift(f.DisplayName)
  return names.join('/')
}

/** The folder's ancestors, nearest first. */
export function ancestors(data: TenantData, folder: SimFolder): SimFolder[] {
  const result: SimFolder[] = []
  for (let id = folder.ParentId; id != null; id = folderById(data, id).ParentId) result.push(folderById(data, id))
  return result
}

export function assign(data: TenantData, folderId: number, accountId: number, roleIds: number[]): void {
  if (!data.assignments.has(folderId)) data.assignments.set(folderId, new Map())
  const byAccount = data.assignments.get(folderId)!
  if (!byAccount.has(accountId)) byAccount.set(accountId, new Set())
  for (const roleId of roleIds) byAccount.get(accountId)!.add(roleId)
}

export function generateTenant(options: TenantOptions = {}): TenantData {
  const o = {
    seed: 6,
    users: 20,
    robots: 4,
    groups: 3,
    apps: 1,
    folders: 10,
    depth: 3,
    personalFolders: 2,
    customRoles: 2,
    auditLogs: 30,
    platformAuditLogs: 0,
    historyDays: 10,
    now: new Date(),
    ...options
  }
  const rng = new Random(o.seed)
  const data: TenantData = {
    accounts: [],
    roles: [],
    folders: [],
    assignments: new Map(),
    auditLogs: [],
    platformAudit: [],
    // Separate ranges per table, so a source that mixes up id kinds fails the tests.
    next: { account: 1001, role: 1, folder: 5001, audit: 900001 }
  }
  const when = (daysAgoMax: number) => new Date(o.now.getTime() - rng.next() * daysAgoMax * 86_400_000).toISOString()

  data.roles.push(...builtInRoles(() => data.next.role++))
  for (let i = 1; i <= o.customRoles; i++) {
    const folderLevel = i % 2 === 1
    const pool = folderLevel ? FOLDER_PERMISSIONS : GLOBAL_PERMISSIONS
    data.roles.push({
      Id: data.next.role++,
      Name: `${folderLevel ? 'Folder' : 'Tenant'} custom ${i}`,
      DisplayName: `${folderLevel ? 'Folder' : 'Tenant'} custom ${i}`,
      Type: folderLevel ? 'Folder' : 'Tenant',
      IsStatic: false,
      IsEditable: true,
      Permissions: permissions(rng.sample(pool, rng.int(2, 6)).sort(), folderLevel ? 'Folder' : 'Global')
    })
  }
  const tenantRoles = data.roles.filter((r) => r.Type !== 'Folder' && r.Name !== 'Administrator')
  const folderRoles = data.roles.filter((r) => r.Type !== 'Tenant' && r.Name !== 'Personal Workspace Administrator')

  const account = (fields: Partial<SimAccount> & Pick<SimAccount, 'UserName' | 'Type'>): SimAccount => {
    const created: SimAccount = {
      Id: data.next.account++,
      Name: '',
      Surname: '',
      EmailAddress: null,
      Domain: null,
      IsActive: true,
      ProvisionType: 'Manual',
      CreationTime: when(400),
      LastLoginTime: rng.chance(0.7) ? when(30) : null,
      tenantRoles: [],
      members: [],
      ...fields
    }
    data.accounts.push(created)
    return created
  }

  const humans: SimAccount[] = []
  for (let i = 0; i < o.users; i++) {
    const first = FIRST[i % FIRST.length]!
    const last = LAST[Math.floor(i / FIRST.length) % LAST.length]!
    const directory = i > 0 && rng.chance(0.4)
    const login = `${first}.${last}${i >= FIRST.length * LAST.length ? i : ''}`.toLowerCase()
    humans.push(
      account({
        UserName: directory ? `${login}@${DOMAIN}` : login,
        Name: first,
        Surname: last,
        EmailAddress: `${login}@${DOMAIN}`,
        Domain: directory ? DOMAIN : null,
        Type: directory ? 'DirectoryUser' : 'User',
        ProvisionType: directory ? 'Automatic' : 'Manual',
        IsActive: i === 0 || rng.chance(0.92),
        // The first user administers the tenant; others mostly hold one "allow to be" role.
        tenantRoles:
          i === 0 ? [roleByName(data, 'Administrator').Id] : rng.chance(0.6) ? [rng.pick(tenantRoles).Id] : []
      })
    )
  }
  const robots: SimAccount[] = []
  for (let i = 1; i <= o.robots; i++) {
    const directory = i % 3 === 0
    robots.push(
      account({
        UserName: directory ? `svc-robot-${i}@${DOMAIN}` : `robot-${i}`,
        Name: `Robot ${i}`,
        Type: directory ? 'DirectoryRobot' : 'Robot',
        Domain: directory ? DOMAIN : null,
        tenantRoles: rng.chance(0.3) ? [roleByName(data, 'Allow to be Automation User').Id] : []
      })
    )
  }
  const apps: SimAccount[] = []
  for (let i = 1; i <= o.apps; i++) {
    apps.push(
      account({ UserName: `integration-app-${i}`, Name: `Integration app ${i}`, Type: 'DirectoryExternalApplication' })
    )
  }
  const directoryUsers = humans.filter((h) => h.Type === 'DirectoryUser')
  const groups: SimAccount[] = []
  for (let i = 1; i <= o.groups; i++) {
    const area = AREAS[(i - 1) % AREAS.length]!
    const size = Math.min(directoryUsers.length, Math.max(2, Math.round(directoryUsers.length / o.groups) + 1))
    groups.push(
      account({
        UserName: `${area.toLowerCase()}-team${i > AREAS.length ? `-${i}` : ''}`,
        Name: `${area} team`,
        Type: 'DirectoryGroup',
        Domain: DOMAIN,
        ProvisionType: 'Automatic',
        EmailAddress: null,
        LastLoginTime: null,
        // The last group holds no role anywhere: Orchestrator cannot show who is in it.
        tenantRoles: i < o.groups && rng.chance(0.5) ? [rng.pick(tenantRoles).Id] : [],
        members: rng
          .sample(directoryUsers, size)
          .map((u) => u.Id)
          .sort((a, b) => a - b)
      })
    )
  }

  // The folder tree: a few roots, the rest hung under earlier folders up to `depth` levels.
  const depthOf = new Map<number, number>()
  const roots = Math.max(1, Math.round(o.folders / 5))
  for (let i = 0; i < o.folders; i++) {
    const parents = data.folders.filter((f) => (depthOf.get(f.Id) ?? 0) < o.depth - 1)
    const parent = i < roots || parents.length === 0 ? undefined : rng.pick(parents)
    const siblings = new Set(data.folders.filter((f) => f.ParentId === (parent?.Id ?? null)).map((f) => f.DisplayName))
    const base = parent ? rng.pick(TOPICS) : AREAS[i % AREAS.length]!
    let name = base
    for (let n = 2; siblings.has(name); n++) name = `${base} ${n}`
    const folder: SimFolder = {
      Id: data.next.folder++,
      Key: key(rng),
      DisplayName: name,
      Description: rng.chance(0.3) ? `${name} automations` : null,
      ParentId: parent?.Id ?? null,
      PermissionModel: 'FineGrained',
      IsPersonal: false
    }
    depthOf.set(folder.Id, parent ? depthOf.get(parent.Id)! + 1 : 0)
    data.folders.push(folder)
  }
  const shared = [...data.folders]

  for (const folder of shared) {
    const root = folder.ParentId == null
    const people = rng.sample(humans, rng.int(root ? 2 : 0, root ? 4 : 2))
    for (const person of people)
      assign(
        data,
        folder.Id,
        person.Id,
        rng.sample(folderRoles, rng.int(1, 2)).map((r) => r.Id)
      )
    if (rng.chance(root ? 0.6 : 0.2) && groups.length > 1)
      assign(data, folder.Id, rng.pick(groups.slice(0, -1)).Id, [rng.pick(folderRoles).Id])
  }
  // Every group but the last holds a folder role somewhere, so its members can be seen.
  groups
    .slice(0, -1)
    .forEach((group, i) =>
      assign(data, shared[i % shared.length]!.Id, group.Id, [roleByName(data, 'Automation User').Id])
    )
  for (const robot of robots) {
    for (const folder of rng.sample(shared, rng.int(1, 2)))
      assign(data, folder.Id, robot.Id, [roleByName(data, 'Automation User').Id])
  }
  for (const app of apps) assign(data, rng.pick(shared).Id, app.Id, [roleByName(data, 'Folder Viewer').Id])

  for (const owner of humans.slice(0, o.personalFolders)) {
    const folder: SimFolder = {
      Id: data.next.folder++,
      Key: key(rng),
      DisplayName: `${owner.Name} ${owner.Surname}'s workspace`,
      Description: null,
      ParentId: null,
      PermissionModel: 'FineGrained',
      IsPersonal: true
    }
    data.folders.push(folder)
    assign(data, folder.Id, owner.Id, [roleByName(data, 'Personal Workspace Administrator').Id])
  }

  const admin = humans[0]!
  const components = ['Users', 'Roles', 'Folders', 'Settings', 'Robots', 'Jobs', 'Processes']
  const times = Array.from({ length: o.auditLogs }, () => when(o.historyDays)).sort()
  for (const time of times) {
    const component = rng.pick(components)
    const target =
      component === 'Folders'
        ? { EntityId: rng.pick(shared).Id, EntityName: '' }
        : component === 'Roles'
          ? { EntityId: rng.pick(data.roles).Id, EntityName: '' }
          : { EntityId: rng.pick(humans).Id, EntityName: '' }
    target.EntityName =
      component === 'Folders'
        ? fullyQualifiedName(data, folderById(data, target.EntityId))
        : component === 'Roles'
          ? data.roles.find((r) => r.Id === target.EntityId)!.Name
          : accountById(data, target.EntityId).UserName
    recordAudit(data, admin, {
      time: new Date(time),
      component,
      action: rng.pick(['Create', 'Update', 'Delete']),
      method: `${component}_Update`,
      text: `User ${admin.UserName} changed ${component.toLowerCase()} ${target.EntityName}`,
      entities: [target]
    })
  }
  generatePlatformHistory(data, { count: o.platformAuditLogs, days: o.historyDays, now: o.now, seed: o.seed + 1 })
  return data
}

/** Appends an audit entry as Orchestrator writes one: who, when, what component, which entities. */
export function recordAudit(
  data: TenantData,
  actor: SimAccount,
  entry: { time: Date; component: string; action: string; method: string; text: string; entities: SimAuditEntity[] }
): SimAuditLog {
  const log: SimAuditLog = {
    Id: data.next.audit++,
    ServiceName: `UiPath.Server.Configuration.OData.${entry.component}Controller`,
    MethodName: entry.method,
    Parameters: JSON.stringify({ ids: entry.entities.map((e) => e.EntityId) }),
    ExecutionTime: entry.time.toISOString(),
    Action: entry.action,
    Component: entry.component,
    DisplayName: entry.entities[0]?.EntityName ?? '',
    EntityId: entry.entities[0]?.EntityId ?? null,
    OperationText: entry.text,
    UserName: actor.UserName,
    UserType: actor.Type === 'DirectoryUser' ? 'DirectoryUser' : 'User',
    UserId: actor.Id,
    UserIsDeleted: false,
    ExternalClientId: null,
    Entities: entry.entities
  }
  data.auditLogs.push(log)
  return log
}

function key(rng: Random): string {
  const hex = () =>
    Math.floor(rng.next() * 0x10000)
      .toString(16)
      .padStart(4, '0')
  return `${hex()}${hex()}-${hex()}-${hex()}-${hex()}-${hex()}${hex()}${hex()}`
}
