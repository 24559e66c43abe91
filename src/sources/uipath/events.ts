/** The tenant audit trail (`/odata/AuditLogs`) for the run's window, as normalized audit events. */
import type { HttpClient } from '../../http/client.js'
import type { AuditEvent } from '../../model/types.js'
import { SourceError } from '../types.js'
import { auditLogDto, type AuditLogDto } from './api.js'
import { SYSTEM } from './client.js'
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
  return event
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
