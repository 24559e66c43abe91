/** The tenant audit trail (`/odata/AuditLogs`) for the run's window, as normalized audit events. */
import type { HttpClient } from '../../http/client.js'
import type { AuditEvent, ChangeKind, EventEffect, EventRef } from '../../model/types.js'
import { SourceError } from '../types.js'
import { auditLogDto, type AuditLogDto } from './api.js'
import { SYSTEM } from './client.js'
import { TENANT_SCOPE } from './normalize.js'
import { odataList } from './odata.js'

/** Target types in the model's singular lower-case vocabulary, for the components that concern access. */
const TARGET_TYPES: Record<string, string> = {
  Users: 'user',
  Roles: 'role',
  Folders: 'folder',
  Settings: 'setting',
  Robots: 'robot',
  Machines: 'machine'
}

/** Entries with `since <= ExecutionTime <= until` in the configured components, oldest first (an entry at the very instant the run started is kept; duplicates across windows are dropped by id). */
export async function fetchEvents(
  client: HttpClient,
  components: string[],
  since: Date,
  until: Date
): Promise<AuditEvent[]> {
  // Component names are validated as plain words in the settings, so they cannot break out of the literal.
  const filter = [
    `ExecutionTime ge ${since.toISOString()}`,
    `ExecutionTime le ${until.toISOString()}`,
    `(${components.map((c) => `Component eq '${c}'`).join(' or ')})`
  ].join(' and ')
  const logs = await odataList(client, 'odata/AuditLogs', auditLogDto, { $filter: filter })
  return logs.map(toEvent)
}

export function toEvent(log: AuditLogDto): AuditEvent {
  const component = log.Component ?? 'Unknown'
  const entity = log.Entities?.find((e) => e.EntityId === log.EntityId) ?? log.Entities?.[0]
  const targetName = entity?.EntityName || log.DisplayName || undefined
  const event: AuditEvent = {
    id: String(log.Id),
    time: utcInstant(log.ExecutionTime, `the ExecutionTime of audit log entry ${log.Id}`),
    actor: actor(log),
    action: log.Action ?? 'Unknown',
    category: component
  }
  if (log.EntityId != null || targetName) {
    event.target = { type: TARGET_TYPES[component] ?? component.toLowerCase() }
    if (log.EntityId != null) event.target.id = String(log.EntityId)
    if (targetName) event.target.name = targetName
  }
  if (log.OperationText) event.message = log.OperationText
  const details = Object.entries({ service: log.ServiceName, method: log.MethodName, 'actor-type': log.UserType })
  const kept = details.filter((entry): entry is [string, string] => !!entry[1])
  if (kept.length > 0) event.details = Object.fromEntries(kept)
  const effects = effectsOf(log)
  if (effects.length > 0) event.effects = effects
  return event
}

const TENANT: EventRef = { type: TENANT_SCOPE.type, id: TENANT_SCOPE.id }

/**
 * What an entry did, in the model's terms, from its component and action.
 * Ids are the snapshot's own (Orchestrator's numeric ids). A folder
 * assignment names the folder (`EntityId`) and the accounts assigned; a
 * user's `Update` may have changed its tenant roles or anything else about
 * it (`uncertain`), as may a role's. Other components claim nothing.
 */
function effectsOf(log: AuditLogDto): EventEffect[] {
  if (log.EntityId == null) return []
  const id = String(log.EntityId)
  const action = log.Action ?? ''
  const change = (kinds: ChangeKind[], refs: Omit<EventEffect, 'kinds'>): EventEffect[] => [{ kinds, ...refs }]
  switch (log.Component) {
    case 'Folders': {
      const folder = { type: 'folder', id }
      if (action === 'Create') return change(['scope-added'], { scope: folder })
      if (action === 'Delete') return change(['scope-removed'], { scope: folder })
      const kinds: ChangeKind[] | undefined =
        action === 'Assign'
          ? ['grant-added', 'grant-changed']
          : action === 'Unassign'
            ? ['grant-changed', 'grant-removed']
            : undefined
      if (!kinds) return []
      const accounts = (log.Entities ?? []).filter((e) => e.EntityId != null && e.EntityId !== log.EntityId)
      return accounts.map((e) => ({ kinds, subject: { id: String(e.EntityId) }, scope: folder }))
    }
    case 'Users': {
      // Users and directory groups are both accounts, one id space: the subject's type is left open.
      const account = { id }
      if (action === 'Create') return change(['grant-added', 'principal-added'], { subject: account, scope: TENANT })
      if (action === 'Delete')
        return change(['grant-removed', 'principal-removed'], { subject: account, scope: TENANT })
      if (action === 'Update')
        return change(['grant-added', 'grant-changed', 'grant-removed', 'principal-changed'], {
          subject: account,
          scope: TENANT,
          uncertain: true
        })
      return []
    }
    case 'Roles': {
      const role = { type: 'role', id }
      if (action === 'Create') return change(['role-added'], { subject: role })
      if (action === 'Delete') return change(['role-removed'], { subject: role })
      if (action === 'Update') return change(['role-changed'], { subject: role, uncertain: true })
      return []
    }
    default:
      return []
  }
}

function actor(log: AuditLogDto): AuditEvent['actor'] {
  if (log.UserName) return log.UserId == null ? { name: log.UserName } : { id: String(log.UserId), name: log.UserName }
  // Calls made by an external application carry its client id instead of a user.
  if (log.ExternalClientId) return { id: log.ExternalClientId, name: `external application ${log.ExternalClientId}` }
  return undefined
}

/** UiPath writes UTC instants; some versions leave out the zone designator. `what` names the field for the error. */
export function utcInstant(value: string, what: string): string {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`
  const time = Date.parse(zoned)
  if (Number.isNaN(time)) throw new SourceError(`${SYSTEM}: ${what} is unreadable`)
  return new Date(time).toISOString()
}
