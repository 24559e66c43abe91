import type { AuditEvent } from '../model/types.js'
import { canonicalEvents } from './canonical.js'
import * as f from './fields.js'
import { fromYaml, toYamlFile } from './yaml.js'

/** A day file of the audit archive, relative to its source's folder. */
export const EVENT_DAY_FILE = /^events\/\d{4}-\d{2}-\d{2}\.yaml$/

/** One day file of the audit archive (`events/YYYY-MM-DD.yaml`): the events sorted by time, then id. */
export function renderEventDay(events: AuditEvent[]): string {
  return toYamlFile({ events: canonicalEvents(events) })
}

export function parseEventDay(text: string, file = 'events'): AuditEvent[] {
  const where = `${file}:`
  return canonicalEvents(
    f.list(f.mapping(fromYaml(text, file), where, ['events']), 'events', where),
    f.at(where, 'events')
  )
}

/**
 * Adds `incoming` to a day's `stored` events, de-duplicated by id: a stored
 * event wins over an incoming one with the same id, so merging the same events
 * twice changes nothing. Returns the merged day and how many events were new.
 */
export function mergeEventDay(stored: AuditEvent[], incoming: AuditEvent[]): { events: AuditEvent[]; added: number } {
  const merged = new Map(stored.map((event) => [event.id, event]))
  let added = 0
  for (const event of incoming) {
    if (merged.has(event.id)) continue
    merged.set(event.id, event)
    added++
  }
  return { events: [...merged.values()], added }
}

/** Two versions of one day file as one: every event of both, `ours` winning on a shared id. */
export function mergeEventDayFiles(ours: string, theirs: string, file = 'events'): string {
  return renderEventDay(mergeEventDay(parseEventDay(ours, file), parseEventDay(theirs, file)).events)
}
