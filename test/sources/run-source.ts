/**
 * Runs a source the way the pipeline does — settings through its schema, a
 * real context, credentials from an environment — and keeps its log lines, so
 * every source's tests exercise the same contract.
 */
import type { AuditEvent, Snapshot } from '../../src/model/types.js'
import { canonicalEvents, eventDay } from '../../src/store/canonical.js'
import type { EventArchive, SourceDefinition, SourceResult } from '../../src/sources/types.js'
import type { Logger } from '../../src/util/log.js'

export interface CapturedLog extends Logger {
  lines: string[]
}

export function captureLog(): CapturedLog {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), debug: () => {} }
}

export interface SourceRun {
  /** The config entry's type-specific keys, validated by the source's schema. */
  settings: Record<string, unknown>
  env: NodeJS.ProcessEnv
  instance?: string
  /** Default: `until` minus seven days. */
  since?: Date
  /** Default: now. */
  until?: Date
  /** Events the archive already holds. */
  stored?: AuditEvent[]
  /** The stored snapshot of the previous run. */
  previous?: Snapshot
}

export async function runSource<S>(
  definition: SourceDefinition<S>,
  run: SourceRun
): Promise<SourceResult & { log: string[] }> {
  const log = captureLog()
  const until = run.until ?? new Date()
  const result = await definition
    .create(definition.settings.parse(run.settings), run.instance ?? definition.type)
    .fetch({
      log,
      eventsSince: run.since ?? new Date(until.getTime() - 7 * 86_400_000),
      eventsUntil: until,
      ...(run.stored ? { archive: memoryArchive(run.stored) } : {}),
      previous: run.previous,
      env: run.env
    })
  return { ...result, log: log.lines }
}

/** An archive holding `events` by UTC day, in the store's order, as the pipeline hands one to a source. */
export function memoryArchive(events: AuditEvent[], foldable?: EventArchive['foldable']): EventArchive {
  const days = new Map<string, AuditEvent[]>()
  for (const event of canonicalEvents(events)) {
    const ofDay = days.get(eventDay(event.time))
    if (ofDay) ofDay.push(event)
    else days.set(eventDay(event.time), [event])
  }
  return {
    days: async () => [...days.keys()].sort(),
    day: async (day) => days.get(day) ?? [],
    ...(foldable ? { foldable } : {})
  }
}
