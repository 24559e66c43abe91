/**
 * Who made a change, from the structured effects the sources put on audit
 * events (`EventEffect`): an event counts only when it can cause that kind
 * of change and names the same entities, by id where the record has one,
 * else by name or slug. Words of a message are never evidence, and an event
 * without effects (archived before they existed) is never used.
 *
 * - An event that names everything the change is about, and is not
 *   `uncertain`, is exact: the latest exact event wins (it made the state
 *   the diff shows).
 * - Otherwise events that name part of it (a team modified, no member
 *   named) are believed only when they all have the same actor.
 * - Otherwise nothing is shown: no answer is better than a guess.
 */
import { compareStrings } from '../diff/canonical.js'
import type { AuditEvent, ChangeKind, EventEffect, EventRef } from '../model/types.js'

/** Who made a change and when, from the audit event that records it. */
export interface Attribution {
  actor?: string
  time: string
  event: string
}

/** A model entity as attribution matches it: its id, every name it had on either side, a group's slugs. */
export interface Entity {
  /** `principal`, `group`, `role`, or the scope's type. */
  type?: string
  id: string
  names: string[]
  slugs?: string[]
}

/** What an attention item is about; `kinds` are the change kinds that make it. */
export interface Change {
  kinds: ChangeKind[]
  subject?: Entity
  scope?: Entity
  group?: Entity
  /** The grant's own id, where the model stores one. */
  grant?: string
  setting?: string
}

const FIELDS = ['subject', 'scope', 'group'] as const
type Verdict = 'match' | 'unknown' | 'mismatch'

interface Entry {
  event: AuditEvent
  effect: EventEffect
}

export class EventIndex {
  /** `kind field key` → the effects naming that entity in that role. */
  private readonly byKey = new Map<string, Entry[]>()

  constructor(events: AuditEvent[]) {
    for (const event of events) {
      for (const effect of event.effects ?? []) {
        const entry = { event, effect }
        for (const kind of effect.kinds) {
          for (const field of FIELDS) {
            const key = refKey(effect[field])
            if (key) this.add(`${kind}\u0000${field}\u0000${key}`, entry)
          }
          if (effect.grant?.id !== undefined) this.add(`${kind}\u0000grant\u0000id:${effect.grant.id}`, entry)
        }
      }
    }
  }

  private add(key: string, entry: Entry): void {
    const list = this.byKey.get(key)
    if (list) list.push(entry)
    else this.byKey.set(key, [entry])
  }

  /** The event that made `change`, by the rules above; undefined when none can be told. */
  find(change: Change): Attribution | undefined {
    const candidates = new Set<Entry>()
    for (const kind of change.kinds) {
      for (const field of FIELDS) {
        const entity = change[field]
        if (!entity) continue
        for (const key of entityKeys(entity)) {
          for (const entry of this.byKey.get(`${kind}\u0000${field}\u0000${key}`) ?? []) candidates.add(entry)
        }
      }
      if (change.grant !== undefined) {
        for (const entry of this.byKey.get(`${kind}\u0000grant\u0000id:${change.grant}`) ?? []) candidates.add(entry)
      }
    }
    const exact: AuditEvent[] = []
    const partial: AuditEvent[] = []
    for (const { event, effect } of candidates) {
      const verdict = judge(effect, change)
      if (verdict === 'match') exact.push(event)
      else if (verdict === 'unknown') partial.push(event)
    }
    if (exact.length > 0) return attribution(latest(exact))
    const actors = new Set(partial.map((e) => (e.actor ? `${e.actor.id ?? ''}\u0000${e.actor.name}` : undefined)))
    if (partial.length > 0 && actors.size === 1 && !actors.has(undefined)) return attribution(latest(partial))
    return undefined
  }
}

/**
 * `match`: the effect certainly made this change; `unknown`: it may have
 * (it leaves something out, or is uncertain); `mismatch`: it is about
 * something else.
 */
function judge(effect: EventEffect, change: Change): Verdict {
  let unknown = effect.uncertain === true
  let grantMatched = false
  if (change.grant !== undefined && effect.grant?.id !== undefined) {
    if (effect.grant.id !== change.grant) return 'mismatch'
    grantMatched = true
  }
  for (const field of FIELDS) {
    const entity = change[field]
    if (!entity) continue
    const verdict = compare(effect[field], entity)
    if (verdict === 'mismatch') return 'mismatch'
    // The grant's own id already says who holds it and where.
    if (verdict === 'unknown' && !(grantMatched && field !== 'group')) unknown = true
  }
  if (change.setting !== undefined) {
    if (effect.setting === undefined) unknown = true
    else if (effect.setting !== change.setting) return 'mismatch'
  }
  return unknown ? 'unknown' : 'match'
}

function compare(ref: EventRef | undefined, entity: Entity): Verdict {
  if (!ref || refKey(ref) === undefined) return 'unknown'
  if (ref.type !== undefined && entity.type !== undefined && ref.type !== entity.type) return 'mismatch'
  return entityKeys(entity).includes(refKey(ref)!) ? 'match' : 'mismatch'
}

/** A reference by its most exact handle: the id, else the slug, else the name (names compare case-insensitively). */
function refKey(ref: EventRef | undefined): string | undefined {
  if (ref?.id !== undefined) return `id:${ref.id}`
  if (ref?.slug !== undefined) return `slug:${ref.slug.toLowerCase()}`
  if (ref?.name !== undefined) return `name:${ref.name.toLowerCase()}`
  return undefined
}

function entityKeys(entity: Entity): string[] {
  return [
    `id:${entity.id}`,
    ...entity.names.map((n) => `name:${n.toLowerCase()}`),
    ...(entity.slugs ?? []).map((s) => `slug:${s.toLowerCase()}`)
  ]
}

function latest(events: AuditEvent[]): AuditEvent {
  return events.reduce((best, event) =>
    compareStrings(event.time, best.time) > 0 || (event.time === best.time && compareStrings(event.id, best.id) > 0)
      ? event
      : best
  )
}

function attribution(event: AuditEvent): Attribution {
  return { actor: event.actor?.name, time: event.time, event: event.id }
}
