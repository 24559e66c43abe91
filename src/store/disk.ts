import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import type { AuditEvent, Snapshot, SourceRef } from '../model/types.js'
import { mapLimit } from '../util/concurrency.js'
import { canonicalEvents, eventDay } from './canonical.js'
import { EVENT_DAY_FILE, mergeEventDay, parseEventDay, renderEventDay } from './events-files.js'
import { sourceFolder } from './paths.js'
import {
  containedPath,
  IO_CONCURRENCY,
  listFiles,
  makeContainedDir,
  replaceFiles,
  TEMPORARY_SUFFIX,
  writeIfChanged
} from './safe-fs.js'
import { parseSnapshot, renderSnapshot } from './snapshot-files.js'

/** What a snapshot write owns in a source's folder; `events/` belongs to `appendEvents`. */
const STATE_ENTRIES = ['principals.yaml', 'roles.yaml', 'groups', 'scopes']

export function sourceDir(root: string, source: SourceRef): string {
  return containedPath(path.resolve(root), sourceFolder(source))
}

/**
 * Replaces the stored state of the snapshot's source: writes the files whose
 * bytes changed, deletes the files of entities that disappeared, never touches
 * `events/`. Returns both lists as posix paths relative to `root`.
 */
export async function writeSnapshot(
  root: string,
  snapshot: Snapshot
): Promise<{ changed: string[]; removed: string[] }> {
  const files = renderSnapshot(snapshot)
  const folder = sourceFolder(snapshot.source)
  const dir = sourceDir(root, snapshot.source)
  await makeContainedDir(root, dir)
  const { changed, removed } = await replaceFiles(root, dir, files, await stateFiles(dir))
  return { changed: changed.map((file) => `${folder}/${file}`), removed: removed.map((file) => `${folder}/${file}`) }
}

/** The stored state of a source, or undefined when none was ever written. */
export async function readSnapshot(root: string, source: SourceRef): Promise<Snapshot | undefined> {
  const dir = sourceDir(root, source)
  // Leftovers of an interrupted write are not state; the next write removes them.
  const existing = (await stateFiles(dir)).filter((file) => !file.endsWith(TEMPORARY_SUFFIX))
  if (existing.length === 0) return undefined
  const contents = await mapLimit(existing, IO_CONCURRENCY, (file) => readFile(containedPath(dir, file), 'utf8'))
  return parseSnapshot(new Map(existing.map((file, i) => [file, contents[i] as string])), source)
}

/**
 * Merges events into their UTC day files, de-duplicated by id (a stored event
 * wins over a new one with the same id; among new ones sharing an id, the one
 * sorting first wins, whatever the input order), so fetching an overlapping
 * window again changes nothing.
 */
export async function appendEvents(
  root: string,
  source: SourceRef,
  events: AuditEvent[]
): Promise<{ changed: string[]; added: number }> {
  return mergeIntoDays(root, sourceFolder(source), canonicalEvents(events, `events for ${source.type}/${source.name}:`))
}

/**
 * Writes a source's new state and its new events together. When any write
 * fails, the files the write may have touched (the state, and the day files
 * of the new events) are put back byte for byte as they were and the error is
 * rethrown: events never land without the state they belong to, nor the state
 * without its events. Only those files are saved beforehand, so the cost of a
 * write does not grow with the archive. Returns the files written or removed.
 */
export async function writeSource(root: string, snapshot: Snapshot, events: AuditEvent[]): Promise<string[]> {
  const dir = sourceDir(root, snapshot.source)
  // An unreadable time fails the event write below, once the state is written: it is put back then.
  const days = [...new Set(events.map((e) => e.time).filter((t) => !Number.isNaN(Date.parse(t))))].map(
    (time) => `events/${eventDay(time)}.yaml`
  )
  const touched = async () => [...(await stateFiles(dir)), ...(await existing(dir, [...new Set(days)]))]
  const saved = new Map<string, string>()
  for (const file of await touched()) saved.set(file, await readFile(containedPath(dir, file), 'utf8'))
  try {
    const { changed, removed } = await writeSnapshot(root, snapshot)
    const eventFiles = events.length > 0 ? (await appendEvents(root, snapshot.source, events)).changed : []
    return [...eventFiles, ...changed, ...removed]
  } catch (error) {
    try {
      await replaceFiles(root, dir, saved, await touched())
    } catch (restore) {
      throw new Error(
        `${(error as Error).message}; putting the previous files of ${sourceFolder(snapshot.source)} back also failed: ${(restore as Error).message}`,
        { cause: restore }
      )
    }
    throw error
  }
}

/** Those of `files` (relative to `dir`) that exist as regular files. */
async function existing(dir: string, files: string[]): Promise<string[]> {
  return (await Promise.all(files.map((file) => listFiles(dir, file)))).flat().filter((file) => files.includes(file))
}

/**
 * Merges the event archives that `files` holds (a snapshot folder as relative
 * path → content, e.g. the last commit of a pull request closed without
 * merging) into the folder at `root`, de-duplicated by id, so that recreating
 * a branch never loses an archived event. Returns how many events were new.
 */
export async function carryEvents(
  root: string,
  files: ReadonlyMap<string, string>
): Promise<{ changed: string[]; added: number }> {
  const bySource = new Map<string, AuditEvent[]>()
  for (const [file, text] of files) {
    const [type, name, ...rest] = file.split('/')
    if (!type || !name || !EVENT_DAY_FILE.test(rest.join('/'))) continue
    const folder = `${type}/${name}`
    bySource.set(folder, [...(bySource.get(folder) ?? []), ...parseEventDay(text, file)])
  }
  const result = { changed: [] as string[], added: 0 }
  for (const [folder, events] of [...bySource].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const { changed, added } = await mergeIntoDays(root, folder, events)
    for (const file of changed) result.changed.push(file)
    result.added += added
  }
  return result
}

/** Merges canonical events into the day files of the source folder `folder` (relative to `root`). */
async function mergeIntoDays(
  root: string,
  folder: string,
  events: AuditEvent[]
): Promise<{ changed: string[]; added: number }> {
  const byDay = new Map<string, AuditEvent[]>()
  for (const event of events) {
    const day = eventDay(event.time)
    const ofDay = byDay.get(day)
    if (ofDay) ofDay.push(event)
    else byDay.set(day, [event])
  }
  if (byDay.size === 0) return { changed: [], added: 0 }
  const dir = containedPath(path.resolve(root), folder)
  await makeContainedDir(root, containedPath(dir, 'events'))
  const changed: string[] = []
  let added = 0
  for (const [day, incoming] of [...byDay].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const file = `events/${day}.yaml`
    const target = containedPath(dir, file)
    const merged = mergeEventDay(await readDayFile(dir, day), incoming)
    added += merged.added
    if (await writeIfChanged(target, renderEventDay(merged.events))) changed.push(`${folder}/${file}`)
  }
  return { changed, added }
}

/** Every stored event of a source, oldest day first. Sources that derive state from events read a day at a time instead. */
export async function readEvents(root: string, source: SourceRef): Promise<AuditEvent[]> {
  const days = await eventDays(root, source)
  return (await mapLimit(days, IO_CONCURRENCY, (day) => readEventDay(root, source, day))).flat()
}

/** The UTC days (`YYYY-MM-DD`) a source's archive holds a file for, oldest first: a listing, nothing is parsed. */
export async function eventDays(root: string, source: SourceRef): Promise<string[]> {
  return (await dayFiles(sourceDir(root, source))).map((file) => file.slice('events/'.length, -'.yaml'.length))
}

/** The stored events of one UTC day (`YYYY-MM-DD`), sorted by time then id; none when the day has no file. */
export async function readEventDay(root: string, source: SourceRef, day: string): Promise<AuditEvent[]> {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a UTC day: ${JSON.stringify(day)}`)
  return readDayFile(sourceDir(root, source), day)
}

/** The events of `events/<day>.yaml` in a source's folder `dir`; none when there is no such file. */
async function readDayFile(dir: string, day: string): Promise<AuditEvent[]> {
  const file = `events/${day}.yaml`
  if ((await listFiles(dir, file)).length === 0) return []
  const target = containedPath(dir, file)
  return parseEventDay(await readFile(target, 'utf8'), target)
}

/** The newest stored event time, reading only the newest day file that holds events. */
export async function newestEventTime(root: string, source: SourceRef): Promise<string | undefined> {
  for (const day of (await eventDays(root, source)).reverse()) {
    const newest = (await readEventDay(root, source, day)).at(-1)
    if (newest) return newest.time
  }
  return undefined
}

/** Every `<type>/<name>` folder under `root` that holds a stored state or events. */
export async function listSources(root: string): Promise<SourceRef[]> {
  const sources: SourceRef[] = []
  for (const type of await folders(path.resolve(root))) {
    for (const name of await folders(path.join(path.resolve(root), type))) {
      const dir = path.join(path.resolve(root), type, name)
      const entries = await readdir(dir)
      if (entries.includes('principals.yaml') || entries.includes('events')) sources.push({ type, name })
    }
  }
  return sources
}

async function stateFiles(dir: string): Promise<string[]> {
  return (await Promise.all(STATE_ENTRIES.map((entry) => listFiles(dir, entry)))).flat()
}

/** Day files in date order; other files in `events/` are not the store's and are left alone. */
async function dayFiles(dir: string): Promise<string[]> {
  return (await listFiles(dir, 'events')).filter((file) => EVENT_DAY_FILE.test(file)).sort()
}

/** Sub-folders, not hidden ones (`.git`), not links, in name order. */
async function folders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  return entries
    .filter((entry) => entry.isDirectory() && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
}
