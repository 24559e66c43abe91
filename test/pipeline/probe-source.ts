/**
 * A source that returns what the test scripts and records the context the
 * pipeline hands it: the only way to observe the event window from outside.
 * It is plugged in through a hand-built Config, never through the registry.
 */
import { z } from 'zod'
import type { Config } from '../../src/config/load.js'
import type { AuditEvent, Snapshot } from '../../src/model/types.js'
import type { SourceContext, SourceDefinition } from '../../src/sources/types.js'

export interface Probe {
  /** What the next fetch returns. */
  snapshot: Snapshot
  events: AuditEvent[]
  /** Every context the source received, with the events its archive held at that moment. */
  calls: (SourceContext & { stored: AuditEvent[] })[]
  config: Config
}

export function probe(options: { lookbackDays: number; overlapMinutes: number; massRemovalThreshold?: number }): Probe {
  const state: Probe = {
    snapshot: { source: { type: 'probe', name: 'p' }, principals: [], groups: [], roles: [], scopes: [], grants: [] },
    events: [],
    calls: [],
    config: undefined as unknown as Config
  }
  const definition: SourceDefinition<Record<string, never>> = {
    type: 'probe',
    description: 'test probe',
    settings: z.strictObject({}),
    create: () => ({
      async fetch(context) {
        const archive = context.archive!
        const stored = (await Promise.all((await archive.days()).map((day) => archive.day(day)))).flat()
        state.calls.push({ ...context, stored })
        return { snapshot: structuredClone(state.snapshot), events: structuredClone(state.events), notes: [] }
      }
    })
  }
  state.config = {
    file: 'probe.yml',
    massRemovalThreshold: options.massRemovalThreshold ?? 0.25,
    massRemovalMinimum: 5,
    eventsLookbackDays: options.lookbackDays,
    eventsOverlapMinutes: options.overlapMinutes,
    sources: [{ type: 'probe', name: 'p', emails: 'keep', definition: definition as SourceDefinition, settings: {} }]
  }
  return state
}

/** A member-added event at `time`. */
export function memberAdded(id: string, time: string, actor = 'alice'): AuditEvent {
  return {
    id,
    time,
    actor: { id: actor, name: actor },
    action: 'group.add_member',
    target: { type: 'group', id: 'g1' }
  }
}

/** One principal holding `grants` read grants on scope `s`. */
export function probeSnapshot(grants: number): Snapshot {
  return {
    source: { type: 'probe', name: 'p' },
    principals: Array.from({ length: grants }, (_, i) => ({ id: `u${i}`, name: `user${i}`, kind: 'user' as const })),
    groups: [],
    roles: [{ id: 'read', name: 'Read', permissions: [], privilege: 'read' }],
    scopes: [{ id: 's', type: 'space', name: 'Space' }],
    grants: Array.from({ length: grants }, (_, i) => ({
      subject: { type: 'principal' as const, id: `u${i}` },
      role: 'read',
      scope: 's'
    }))
  }
}
