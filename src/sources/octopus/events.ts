import type { HttpClient } from '../../http/client.js'
import type { AuditEvent } from '../../model/types.js'
import { SourceError } from '../types.js'
import { event as eventSchema, type OctopusEvent } from './api.js'
import { mapLimit } from '../../util/concurrency.js'
import { listPaged, spaceSelections, SYSTEM } from './client.js'

/**
 * Document types whose events concern access: who exists, team membership,
 * user roles, scoped user roles, API keys and spaces (their managers). A
 * document's type is the prefix of its id (`Teams-1` → `Teams`).
 */
export const DEFAULT_EVENT_DOCUMENT_TYPES = ['ApiKeys', 'ScopedUserRoles', 'Spaces', 'Teams', 'UserRoles', 'Users']

const TARGET_TYPES: Record<string, string> = {
  apikeys: 'api-key',
  scopeduserroles: 'scoped-user-role',
  spaces: 'space',
  teams: 'team',
  userroles: 'user-role',
  users: 'user'
}

export interface EventWindow {
  since: Date
  until: Date
  documentTypes: string[]
  pageSize: number
  /** The spaces the snapshot lists: their events are asked for by id, with the system's. */
  spaces: ReadonlyArray<{ Id: string }>
  concurrency: number
}

/**
 * Every event in the window, all pages, system and every listed space (named
 * by id: `spaces=all` is not documented, and a server ignoring it would drop
 * every space's events unnoticed). Differences are left out
 * (`excludeDifference`): they are opaque and can carry the very e-mail
 * addresses the `emails` setting may be hiding.
 */
export async function fetchEvents(http: HttpClient, window: EventWindow): Promise<AuditEvent[]> {
  const query = {
    from: window.since.toISOString(),
    to: window.until.toISOString(),
    documentTypes: window.documentTypes.join(','),
    excludeDifference: true
  }
  const lists = await mapLimit(spaceSelections(window.spaces), window.concurrency, (selection) =>
    listPaged(http, 'events', { ...query, ...selection }, window.pageSize, eventSchema, 'events')
  )
  const raw = lists.flat()
  const seen = new Set<string>()
  const events: AuditEvent[] = []
  for (const item of raw) {
    const normalized = toAuditEvent(item)
    const time = Date.parse(normalized.time)
    // The server filters too; this keeps the window exact whatever its from/to bounds mean.
    if (time < window.since.getTime() || time > window.until.getTime() || seen.has(normalized.id)) continue
    seen.add(normalized.id)
    events.push(normalized)
  }
  return events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id < b.id ? -1 : 1))
}

export function toAuditEvent(raw: OctopusEvent): AuditEvent {
  const time = new Date(raw.Occurred)
  if (Number.isNaN(time.getTime())) {
    throw new SourceError(`${SYSTEM}: event ${raw.Id} has an unreadable time '${raw.Occurred.slice(0, 40)}'`)
  }
  const event: AuditEvent = { id: raw.Id, time: time.toISOString(), action: raw.Category }
  if (raw.Username || raw.UserId) event.actor = { id: raw.UserId, name: raw.Username ?? raw.UserId ?? '' }
  const context = raw.ChangeDetails?.DocumentContext
  const targetId = context?.Id || raw.RelatedDocumentIds[0]
  if (targetId) {
    const prefix = targetId.split('-')[0]!.toLowerCase()
    event.target = { type: TARGET_TYPES[prefix] ?? prefix, id: targetId }
    const name = context?.Id === targetId && context.Name ? context.Name : referencedText(raw, targetId)
    if (name) event.target.name = name
  }
  if (raw.Message) event.message = raw.Message
  const details: Record<string, string> = {}
  if (raw.SpaceId) details.space = raw.SpaceId
  if (raw.RelatedDocumentIds.length > 1) details.related = [...raw.RelatedDocumentIds].sort().join(', ')
  if (Object.keys(details).length > 0) event.details = details
  return event
}

/** The document's name as the message spelled it when the event happened (it may have been renamed since). */
function referencedText(raw: OctopusEvent, id: string): string | undefined {
  const reference = raw.MessageReferences.find((r) => r.ReferencedDocumentId === id)
  if (!reference || !raw.Message || reference.StartIndex < 0 || reference.Length <= 0) return undefined
  return raw.Message.slice(reference.StartIndex, reference.StartIndex + reference.Length) || undefined
}
