import type { MassRemovalPolicy } from '../diff/mass-removal.js'
import type { SnapshotChanges } from '../diff/types.js'
import type { AuditEvent, Snapshot, SourceRef } from '../model/types.js'

/** What happened to one source in one run; the pipeline fills it, the renderers read it. */
export interface SourceOutcome {
  source: SourceRef
  /** `held`: the run would remove more than the mass-removal guard allows, so nothing was written. */
  status: 'ok' | 'failed' | 'held'
  /** Failed or held: why, and what to do about it. */
  error?: string
  hint?: string
  /** Informational (a plan-gated feature skipped, possible truncation). */
  notes: string[]
  /** First snapshot of this source: summarized, no per-item alarms. */
  baseline: boolean
  /** To resolve ids to names; `after` may be missing when the source failed. */
  before?: Snapshot
  after?: Snapshot
  changes?: SnapshotChanges
  /** The mass-removal guard that applies to this source (the report's threshold when absent). */
  massRemoval?: MassRemovalPolicy
  /** Audit events of the run window, to say who made a change. */
  events: AuditEvent[]
  /** Changed YAML files (relative to the snapshot folder), for the verbose text report. */
  files?: { path: string; before?: string; after?: string }[]
}

export interface Report {
  generatedFor?: string
  outcomes: SourceOutcome[]
  /** The top-level share (0..1) of a kind whose removal counts as a mass removal; sources may override it. */
  massRemovalThreshold: number
  /** Fetched and compared, nothing written: the report must not say anything was recorded. */
  dryRun?: boolean
}
