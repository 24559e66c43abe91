/**
 * What a `mode: collect` job hands the `mode: assemble` job, through a
 * workflow artifact: per source, its outcome (the report data a single run
 * would have kept in memory), the files of its snapshot folder after the run,
 * and a fingerprint of everything that outcome was computed from.
 *
 *   <collected-path>/[<artifact>/]<type>/<name>/collected.json
 *   <collected-path>/[<artifact>/]<type>/<name>/files/...   (the source's folder; only when it succeeded)
 *
 * `actions/download-artifact` puts each artifact in a folder of its own, or
 * all of them in one with `merge-multiple`: both layouts are read.
 */
import { createHash } from 'node:crypto'
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { massRemovalPolicy, type Config, type ConfiguredSource } from '../config/load.js'
import type { SourceOutcome } from '../report/types.js'
import { readFolder, replaceFolder, sourceFiles } from '../store/folder.js'
import { sourceFolder } from '../store/paths.js'
import { containedPath, listFiles } from '../store/safe-fs.js'

/** Changes whenever the content below changes meaning: an assemble job refuses what it cannot read faithfully. */
export const COLLECTED_FORMAT = 'permission-snapshot/collected@1'
const MANIFEST = 'collected.json'
const FILES = 'files'

export interface Collected {
  format: typeof COLLECTED_FORMAT
  /** `<type>/<name>`. */
  folder: string
  fingerprint: string
  outcome: SourceOutcome
  /** Files the run wrote or removed, relative to the snapshot folder. */
  changed: string[]
}

/** One collected result as the assemble job found it, or what is wrong with it. */
export type CollectedSource =
  | (Collected & {
      /** The source's snapshot folder after the run (relative to it → content); empty unless it succeeded. */
      files: Map<string, string>
      /** Where it was read (relative to the collected folder), for messages. */
      from: string
    })
  | { folder: string; from: string; problem: string }

/**
 * Everything a source's outcome depends on besides the system itself: the
 * files its run started from (the previous state, the archive that sets its
 * event window), what the mass-removal guard compared with, its config entry
 * (settings, filters, email policy, deadline, guard) and the run's settings.
 * A collected outcome is used only when the assemble job, starting from the
 * commits it builds on, arrives at the same one.
 */
export function fingerprint(options: {
  source: ConfiguredSource
  config: Config
  allowMassRemoval: boolean
  /** The snapshot folder the run starts from (relative path → content). */
  start: ReadonlyMap<string, string>
  /** What the guard also compares with (the base of an open pull request), if anything. */
  base?: ReadonlyMap<string, string>
}): string {
  const { source, config } = options
  const folder = sourceFolder(source)
  const digest = (files: ReadonlyMap<string, string>) =>
    [...sourceFiles(files, folder)]
      .map(([file, text]) => `${file}\u0000${createHash('sha256').update(text).digest('hex')}`)
      .sort()
  const { definition, ...entry } = source
  const inputs = {
    source: { ...entry, definition: definition.type },
    lookbackDays: config.eventsLookbackDays,
    overlapMinutes: config.eventsOverlapMinutes,
    massRemoval: massRemovalPolicy(config, source),
    allowMassRemoval: options.allowMassRemoval,
    start: digest(options.start),
    base: options.base ? digest(options.base) : null
  }
  return `sha256:${createHash('sha256').update(JSON.stringify(inputs)).digest('hex')}`
}

/**
 * Writes one source's collected result under `dir`, replacing what an earlier
 * attempt left there: `root` is the snapshot folder after the run.
 */
export async function writeCollected(
  dir: string,
  root: string,
  collected: Omit<Collected, 'format' | 'folder'>
): Promise<void> {
  const folder = sourceFolder(collected.outcome.source)
  const target = containedPath(dir, folder)
  await rm(target, { recursive: true, force: true })
  await mkdir(target, { recursive: true })
  const manifest: Collected = { format: COLLECTED_FORMAT, folder, ...collected }
  await writeFile(path.join(target, MANIFEST), `${JSON.stringify(manifest)}\n`)
  if (collected.outcome.status === 'ok') {
    await replaceFolder(path.join(target, FILES), sourceFiles(await readFolder(root), folder))
  }
}

/**
 * Every collected result under `dir`, by source folder: more than one when two
 * jobs collected the same source. One that cannot be read is kept as a
 * problem, so only its source fails.
 */
export async function readCollected(dir: string): Promise<Map<string, CollectedSource[]>> {
  const found = new Map<string, CollectedSource[]>()
  const manifests = (await listFiles(path.dirname(dir), path.basename(dir)))
    .map((file) => file.split('/').slice(1))
    // `<type>/<name>/collected.json`, or the same one folder down (one folder per artifact).
    .filter((segments) => segments.at(-1) === MANIFEST && (segments.length === 3 || segments.length === 4))
  for (const segments of manifests) {
    const at = path.join(dir, ...segments.slice(0, -1))
    const from = segments.slice(0, -1).join('/')
    const folder = segments.slice(-3, -1).join('/')
    let entry: CollectedSource
    try {
      const manifest = parseManifest(await readFile(path.join(at, MANIFEST), 'utf8'))
      if (manifest.folder !== folder || sourceFolder(manifest.outcome.source) !== folder)
        throw new Error(`it holds the result of ${manifest.folder}`)
      const files = manifest.outcome.status === 'ok' ? await readFolder(path.join(at, FILES)) : new Map()
      entry = { ...manifest, files, from }
    } catch (error) {
      entry = { folder, from, problem: `${from}/${MANIFEST} cannot be used: ${(error as Error).message}` }
    }
    found.set(folder, [...(found.get(folder) ?? []), entry])
  }
  return found
}

function parseManifest(text: string): Collected {
  const value = JSON.parse(text) as Partial<Collected>
  if (value.format !== COLLECTED_FORMAT) {
    throw new Error(
      `it was written as ${JSON.stringify(value.format)} and this version reads ${COLLECTED_FORMAT}; run the collect and assemble jobs with the same version of the action`
    )
  }
  const outcome = value.outcome
  if (
    typeof value.folder !== 'string' ||
    typeof value.fingerprint !== 'string' ||
    !Array.isArray(value.changed) ||
    !outcome ||
    !['ok', 'failed', 'held'].includes(outcome.status) ||
    typeof outcome.source?.type !== 'string' ||
    typeof outcome.source.name !== 'string' ||
    !Array.isArray(outcome.notes) ||
    !Array.isArray(outcome.events)
  ) {
    throw new Error('it is not a collected result')
  }
  return value as Collected
}
