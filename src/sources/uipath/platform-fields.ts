/**
 * What the two platform audit trails share: the route type, how a record
 * becomes an audit event, and how its free-form details become the model's
 * string attributes.
 */
import type { AuditEvent, Attributes, EventEffect } from '../../model/types.js'
import { utcInstant } from './events.js'

/** One route of a trail: an absolute URL, and whether it holds organization or tenant records. */
export interface PlatformRoute {
  url: string
  level: 'organization' | 'tenant'
}

export interface Window {
  since: Date
  until: Date
}

/**
 * A JSON value as flat string attributes (`details.group.name`,
 * `details.users.0`), so attribution can match its values and the archive
 * keeps all of it; null is absence.
 */
export function flatten(value: unknown, key: string, into: Attributes = {}): Attributes {
  if (value === null || value === undefined) return into
  if (Array.isArray(value)) value.forEach((item, i) => flatten(item, `${key}.${i}`, into))
  else if (typeof value === 'object')
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) flatten(item, `${key}.${name}`, into)
  else into[key] = String(value)
  return into
}

/** A details field that should hold JSON text: parsed and flattened, or kept as the raw string when it is not JSON. */
export function detailsText(raw: string | undefined, key: string): Attributes {
  if (raw === undefined || raw.trim() === '') return {}
  try {
    return flatten(JSON.parse(raw), key)
  } catch {
    return { [key]: raw }
  }
}

/** `Robot Account` → `robot-account`: a category as the model's lower-case target type. */
export function targetType(category: string): string {
  return category
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
}

/** What a trail's record says, in the model's terms; `what` names the record for errors. */
export interface RecordParts {
  id: string
  /** UiPath's own string: kept as `created-on` beside the normalized `time`. */
  createdOn: string
  what: string
  action?: string | null
  category?: string | null
  actorName?: string | null
  /** Identifies the actor where the name does not (an address, an id). */
  actorId?: string | null
  /** The kind of thing acted on, as the trail names it (`User`, `External Application`). */
  target?: string | null
  message?: string | null
  details: Attributes
}

export function platformEvent(parts: RecordParts): AuditEvent {
  const event: AuditEvent = {
    id: parts.id,
    time: utcInstant(parts.createdOn, `the createdOn of ${parts.what}`),
    action: parts.action || 'Unknown',
    category: parts.category || 'Unknown'
  }
  const name = parts.actorName || parts.actorId
  if (name) event.actor = parts.actorId && parts.actorId !== name ? { id: parts.actorId, name } : { name }
  if (parts.target) event.target = { type: targetType(parts.target) }
  if (parts.message) event.message = parts.message
  event.details = { 'created-on': parts.createdOn, ...parts.details }
  const effects = membershipEffects(parts)
  if (effects.length > 0) event.effects = effects
  return event
}

const MEMBERSHIP_ACTIONS: Record<string, EventEffect['kinds']> = {
  AddMembers: ['member-added'],
  RemoveMembers: ['member-removed']
}

/**
 * A group's members added or removed, as the trail's `Group` records say in
 * their details (`groupName`, `members` by address: the vocabulary is the
 * simulator's, not published by UiPath). A member is named by its address,
 * which is the user name of a directory user in Orchestrator; a local user
 * has another name there and is not matched. Other records claim nothing.
 */
function membershipEffects(parts: RecordParts): EventEffect[] {
  const kinds = parts.category === 'Group' && parts.action ? MEMBERSHIP_ACTIONS[parts.action] : undefined
  const group = parts.details['details.groupName']
  if (!kinds || !group) return []
  return Object.entries(parts.details)
    .filter(([key]) => /^details\.members\.\d+$/.test(key))
    .map(([, member]) => ({
      kinds,
      subject: { type: 'principal', name: member },
      group: { type: 'group', name: group }
    }))
}

/** The events inside the window, once per id (a record read twice while paging is one event). */
export function inWindow(events: AuditEvent[], window: Window): AuditEvent[] {
  const kept = new Map<string, AuditEvent>()
  for (const event of events) {
    const time = Date.parse(event.time)
    if (time >= window.since.getTime() && time <= window.until.getTime()) kept.set(event.id, event)
  }
  return [...kept.values()]
}
