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
  /**
   * The events already archived for this source instance, read a day file
   * at a time, for sources that derive their state from them. Absent where
   * nothing is archived (a source run on its own, in tests).
   */
  archive?: EventArchive
  /**
   * The stored snapshot as read before the run (undefined on the first run):
   * under the email policy it was written with, and filtered by the current
   * include/exclude, so a scope excluded now is not expected back. Sources
   * whose credentials can lose sight of part of a system compare their scope
   * ids with it (`vanishedScopes`); the state of a source derived from its
   * archive is folded onto `archive.foldable`, never onto this.
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

/**
 * A source's event archive (one file per UTC day), for sources whose state is
 * what their audit trail reveals (CyberArk EPM, Opsera). Their daily cost must
 * not grow with the archive: they fold the events of the window's days onto
 * the state the previous run derived, and read the whole archive, one day at a
 * time, only when there is no such state to fold onto.
 */
export interface EventArchive {
  /** The UTC days (`YYYY-MM-DD`) the archive holds a file for, oldest first; nothing is parsed. */
  days(): Promise<string[]>
  /** The stored events of one UTC day, sorted by time then id. */
  day(day: string): Promise<AuditEvent[]>
  /**
   * What the window's events can be folded onto: the stored state, which is
   * everything the previous run derived (the config leaves no scope out of
   * it), and `from`, the first UTC day whose stored events it may not reflect
   * yet (the window's first day, or an earlier one when events were carried in
   * from a pull request closed without merging). Events of the days before
   * `from` are all reflected in `state`. Undefined when the state must be
   * derived from the whole archive: on the first run, after the state files
   * were removed, and while include/exclude leaves scopes out of them.
   */
  foldable?: { state: Snapshot; from: string }
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
