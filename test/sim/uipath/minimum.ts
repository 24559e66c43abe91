/**
 * The fewest requests a complete snapshot of a simulated tenant can take with
 * the endpoints Orchestrator offers: one token, every OData list read in pages
 * of the server's cap, one `GetUsersForFolder` walk per shared folder, one
 * `GetAllRolesForUser` walk per directory user (when any group holds a role),
 * the audit window, and the classic organization audit read newest first up
 * to the first page that reaches past the window start. Worked out from the
 * data, for tests and the bench.
 */
import { ancestors, type TenantData } from './data.js'

export interface MinimumOptions {
  pageCap: number
  eventsSince: Date
  eventsUntil: Date
  auditComponents?: string[]
  groupMembership?: boolean
  /** The classic organization audit is read (the default for an Automation Cloud URL). */
  platformAudit?: boolean
}

const pages = (items: number, cap: number) => Math.max(1, Math.ceil(items / cap))

export function minimumRequests(data: TenantData, o: MinimumOptions): Record<string, number> {
  const shared = data.folders.filter((f) => !f.IsPersonal)
  const perFolder = shared.map((folder) => {
    const accounts = new Set<number>()
    for (const from of [folder, ...ancestors(data, folder)])
      for (const id of data.assignments.get(from.Id)?.keys() ?? []) accounts.add(id)
    return pages(accounts.size, o.pageCap)
  })
  const groups = data.accounts.filter((a) => a.Type === 'DirectoryGroup')
  const groupsHoldRoles = groups.some(
    (g) => g.tenantRoles.length > 0 || [...data.assignments.values()].some((byAccount) => byAccount.has(g.Id))
  )
  const perUser =
    (o.groupMembership ?? true) && groupsHoldRoles
      ? data.accounts
          .filter((a) => a.Type === 'DirectoryUser' && !/[\\/]/.test(a.UserName))
          .map((user) => {
            const holders = new Set([user.Id, ...groups.filter((g) => g.members.includes(user.Id)).map((g) => g.Id)])
            const folders = data.folders.filter((f) =>
              [...(data.assignments.get(f.Id)?.keys() ?? [])].some((id) => holders.has(id))
            )
            return pages(folders.length, o.pageCap)
          })
      : []
  const components = o.auditComponents ?? ['Users', 'Roles', 'Folders', 'Settings']
  const events = data.auditLogs.filter((log) => {
    const at = Date.parse(log.ExecutionTime)
    return at >= o.eventsSince.getTime() && at < o.eventsUntil.getTime() && components.includes(log.Component)
  }).length
  const counts = {
    token: 1,
    users: pages(data.accounts.length, o.pageCap),
    roles: pages(data.roles.length, o.pageCap),
    folders: pages(data.folders.length, o.pageCap),
    folderAssignments: perFolder.reduce((a, b) => a + b, 0),
    groupMembership: perUser.reduce((a, b) => a + b, 0),
    auditLogs: pages(events, o.pageCap),
    platformAudit: o.platformAudit === false ? 0 : classicPages(data, o)
  }
  return { ...counts, total: Object.values(counts).reduce((a, b) => a + b, 0) }
}

/** Newest-first pages until one ends before the window start, or until every record was read. */
export function classicPages(data: TenantData, o: Pick<MinimumOptions, 'pageCap' | 'eventsSince'>): number {
  const records = data.platformAudit.filter((r) => r.level === 'organization')
  const recent = records.filter((r) => Date.parse(r.createdOn) >= o.eventsSince.getTime()).length
  return recent === records.length ? pages(recent, o.pageCap) : Math.floor(recent / o.pageCap) + 1
}
