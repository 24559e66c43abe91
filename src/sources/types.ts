import type { ZodType } from 'zod'
import type { AuditEvent, Snapshot } from '../model/types.js'
import type { HttpStats } from '../http/client.js'
import type { Logger } from '../util/log.js'

/** What the pipeline hands a source for one run. */
export interface SourceContext {
  /** Progress and warnings; every line passes through secret redaction. */
  log: Logger
  /** Start of the audit-event window: the newest stored event minus an overlap, or now minus the lookback. */
  eventsSince: Date
  /** End of the audit-event window (the run's start). */
  eventsUntil: Date
  /** Events already archived for this source instance (read lazily; sources that derive state from events use it). */
  storedEvents(): Promise<AuditEvent[]>
  /**
   * The stored snapshot as read before the run (undefined on the first run):
   * under the email policy it was written with, and filtered by the current
   * include/exclude, so a scope excluded now is not expected back. Sources
   * whose credentials can lose sight of part of a system compare their scope
   * ids with it (`vanishedScopes`); nothing else may be taken from it.
   */
  previous?: Snapshot
  /** Environment the credentials are read from (names come from the config). */
  env: NodeJS.ProcessEnv
  /** Aborted when the run is cancelled. */
  signal?: AbortSignal
  /**
   * The config's `emails` policy for data other than a principal's email
   * field (identity under `keep`). Stored events already went through it: a
   * source that derives state from them applies it to what it fetched, and
   * to anything it compares with them, so both carry the same identities.
   */
  maskEmails?: <T>(value: T) => T
}

export interface SourceResult {
  snapshot: Snapshot
  /** Audit events seen in the window; the store merges them into dated files. */
  events: AuditEvent[]
  /** Things the reviewer should know that do not make the data incomplete (a plan-gated feature skipped). */
  notes: string[]
  /** Requests made, for the report's footer and the benchmarks. */
  stats?: HttpStats
  /**
   * Scopes of the previous snapshot the source cannot see now, with no
   * deletion in the window to explain it: the pipeline holds the source back
   * like a mass removal (files kept, the report says why) unless removals
   * are allowed, which is also how a real deletion is accepted.
   */
  vanished?: VanishedScopes
}

/** What `SourceResult.vanished` says: which scopes, and what hides them from these credentials. */
export interface VanishedScopes {
  message: string
  hint: string
}

/**
 * A source fetches the permission state of one system instance and returns it
 * normalized. It throws (a `SourceError` where it can say more) when it cannot
 * return complete data: partial data must never look like revoked access.
 */
export interface Source {
  fetch(context: SourceContext): Promise<SourceResult>
}

/** Thrown by a source that cannot deliver complete data. */
export class SourceError extends Error {
  constructor(
    message: string,
    /** What the user can do about it. */
    readonly hint?: string,
    options?: ErrorOptions
  ) {
    super(message, options)
    this.name = 'SourceError'
  }
}

/**
 * How a system plugs in: its type name, the schema of its config entry (the
 * keys beside the common `type`, `name`, `include`, `exclude`), and a factory.
 * Credentials are named in the config by environment variable, never inline.
 */
export interface SourceDefinition<Settings = unknown> {
  type: string
  /** One line for `--help` and the README. */
  description: string
  settings: ZodType<Settings>
  create(settings: Settings, instance: string): Source
}
