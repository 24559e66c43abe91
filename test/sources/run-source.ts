/**
 * Runs a source the way the pipeline does — settings through its schema, a
 * real context, credentials from an environment — and keeps its log lines, so
 * every source's tests exercise the same contract.
 */
import type { AuditEvent, Snapshot } from '../../src/model/types.js'
import type { SourceDefinition, SourceResult } from '../../src/sources/types.js'
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
      storedEvents: async () => run.stored ?? [],
      previous: run.previous,
      env: run.env
    })
  return { ...result, log: log.lines }
}
