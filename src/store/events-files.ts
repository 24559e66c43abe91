import type { AuditEvent } from '../model/types.js'
import { canonicalEvents } from './canonical.js'
import * as f from './fields.js'
import { fromYaml, toYamlFile } from './yaml.js'

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
