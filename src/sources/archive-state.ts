/**
 * The state of a source that is what its audit trail reveals (CyberArk EPM,
 * Opsera), at a daily cost that does not grow with the archive.
 *
 * A derivation folds events, oldest first, onto a state. Deriving from the
 * whole archive folds every stored day in turn, one day file at a time, then
 * the window. The daily run instead resumes from the state the previous run
 * stored and folds only the days it may not reflect: from `foldable.from` (the
 * window's first day, or the first day of events carried in) to the end,
 * stored and new events together. Every event before those days is already
 * in the stored state and every event on them is later, so a derivation whose
 * fold keeps the latest value of what changes and the earliest day of what is
 * first seen gives the same state either way.
 */
import type { AuditEvent, Snapshot } from '../model/types.js'
import { canonicalEvents, eventDay } from '../store/canonical.js'
import type { EventArchive } from './types.js'

export interface Derivation<S> {
  /** The state before any event. */
  empty(): S
  /**
   * The state `previous` holds, for the events of the days from `from` on to
   * be folded onto; undefined when it cannot stand for the whole archive
   * (the scopes changed since it was derived), so the archive is read.
   */
  resume(previous: Snapshot, from: string): S | undefined
  /** Folds events onto the state: oldest first, in the order of the archive's day files, each once. */
  fold(state: S, events: AuditEvent[]): void
  /**
   * After a resumed fold: fills in what only the days before `before` can
   * still tell (read newest first, and only as far as needed).
   */
  settle?(state: S, archive: EventArchive, before: string): Promise<void>
}

export interface ArchiveState<S> {
  state: S
  /** Whether the previous state was resumed, and how many stored days and events were read. */
  resumed: boolean
  days: number
  events: number
}

/**
 * The state after the window's `events` (already under the email policy),
 * from the archive: resumed from its foldable state where possible, else
 * derived from every stored day.
 */
export async function archiveState<S>(
  archive: EventArchive | undefined,
  events: AuditEvent[],
  derivation: Derivation<S>
): Promise<ArchiveState<S>> {
  const days = archive ? await archive.days() : []
  const earliest = events.reduce<string | undefined>((day, e) => {
    const of = eventDay(e.time)
    return day === undefined || of < day ? of : day
  }, undefined)
  const foldable = archive?.foldable
  const resumed = foldable && derivation.resume(foldable.state, foldable.from)
  // The window can reach into the day before `from` (EPM widens it to whole seconds): fold from there then.
  const from = [resumed ? foldable.from : undefined, earliest].filter((d) => d !== undefined).sort()[0]
  const state = resumed || derivation.empty()
  let read = 0
  let count = 0
  if (!resumed) {
    // One day file at a time: memory holds a day, not the archive.
    for (const day of days.filter((d) => from === undefined || d < from)) {
      const stored = await archive!.day(day)
      derivation.fold(state, stored)
      read++
      count += stored.length
    }
  }
  // The days the window touches (and any not reflected yet), stored and new together, each event once:
  // a stored event wins over a new one with its id, as in the archive.
  const tail = new Map<string, AuditEvent>()
  for (const day of from === undefined ? [] : days.filter((d) => d >= from)) {
    for (const event of await archive!.day(day)) tail.set(event.id, event)
    read++
  }
  count += tail.size
  for (const event of events) if (!tail.has(event.id)) tail.set(event.id, event)
  // In the store's order and form: what deriving from the archive would read, once these are stored.
  derivation.fold(state, canonicalEvents([...tail.values()]))
  if (resumed && from !== undefined && derivation.settle) await derivation.settle(state, archive!, from)
  return { state, resumed: Boolean(resumed), days: read, events: count }
}

/** For a source's log line: where the state came from, and what of the archive was read for it. */
export function archiveSummary(derived: ArchiveState<unknown>): string {
  const days = `${derived.days} day${derived.days === 1 ? '' : 's'}`
  return derived.resumed
    ? `(the window folded onto the previous state; ${days} of the archive read again)`
    : `(derived from the whole archive: ${days}, ${derived.events} events)`
}
