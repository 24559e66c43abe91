import type { HttpClient } from '../../http/client.js'
import type { AuditEvent, ChangeKind, EventEffect } from '../../model/types.js'
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
  const effects = targetId ? effectsOf(raw.Category, targetId) : []
  if (effects.length > 0) event.effects = effects
  const details: Record<string, string> = {}
  if (raw.SpaceId) details.space = raw.SpaceId
  if (raw.RelatedDocumentIds.length > 1) details.related = [...raw.RelatedDocumentIds].sort().join(', ')
  if (Object.keys(details).length > 0) event.details = details
  return event
}

/**
 * What a document event did, in the model's terms (reference §8: the
 * `Document` group's `Created`, `Modified`, `Deleted`). Octopus writes one
 * generic `Modified` event for a team, a space, a user or a user role
 * whatever changed in it (a team's scoped roles included, reference §10) and
 * the differences are left out here: such an event only says something about
 * that document changed (`uncertain`), and names no member or setting. Ids
 * are the snapshot's own; a scoped user role's id is its grant's id.
 */
function effectsOf(category: string, id: string): EventEffect[] {
  const action = ['Created', 'Modified', 'Deleted'].indexOf(category)
  if (action < 0) return []
  const type = id.split('-')[0]!
  if (type === 'Teams') {
    const team = { type: 'group', id }
    if (category === 'Created') return [{ kinds: ['group-added'], subject: team }]
    if (category === 'Deleted')
      return [
        { kinds: ['grant-removed', 'group-removed'], subject: team },
        { kinds: ['member-removed'], group: team }
      ]
    return [
      { kinds: ['grant-added', 'grant-changed', 'grant-removed', 'group-changed'], subject: team, uncertain: true },
      { kinds: ['member-added', 'member-removed'], group: team, uncertain: true }
    ]
  }
  const document = DOCUMENTS[type]
  if (!document) return []
  const effect: EventEffect = {
    kinds: [document.kinds[action]!],
    [document.field]: document.type ? { type: document.type, id } : { id }
  }
  // A scoped user role is one grant: modifying it changes that grant. Other documents hold more.
  if (category === 'Modified' && type !== 'ScopedUserRoles') effect.uncertain = true
  return [effect]
}

/** Documents other than teams: where the event's id goes, and the kinds of `Created`, `Modified`, `Deleted`. */
const DOCUMENTS: Record<string, { field: 'subject' | 'scope' | 'grant'; type?: string; kinds: ChangeKind[] }> = {
  ScopedUserRoles: { field: 'grant', kinds: ['grant-added', 'grant-changed', 'grant-removed'] },
  Spaces: { field: 'scope', type: 'space', kinds: ['scope-added', 'setting-changed', 'scope-removed'] },
  Users: { field: 'subject', type: 'principal', kinds: ['principal-added', 'principal-changed', 'principal-removed'] },
  UserRoles: { field: 'subject', type: 'role', kinds: ['role-added', 'role-changed', 'role-removed'] }
}

/** The document's name as the message spelled it when the event happened (it may have been renamed since). */
function referencedText(raw: OctopusEvent, id: string): string | undefined {
  const reference = raw.MessageReferences.find((r) => r.ReferencedDocumentId === id)
  if (!reference || !raw.Message || reference.StartIndex < 0 || reference.Length <= 0) return undefined
  return raw.Message.slice(reference.StartIndex, reference.StartIndex + reference.Length) || undefined
}
