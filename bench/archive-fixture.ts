/**
 * A long event archive on disk, written fast, for the daily-run benchmarks of
 * the sources that derive their state from it (CyberArk EPM, Opsera).
 *
 * One real day is fetched from the simulator by the pipeline itself (so its
 * files are exactly what a run stores), then copied to every earlier day by
 * rewriting each event's time (whole days back) and id (a suffix per copy):
 * text substitution, not a YAML round trip, so a year of files takes seconds.
 * Order within a file survives, since every time moves by the same amount and
 * every id (all of one length) gets the same suffix. The stored state is then
 * dated as deriving it from those copies would date it: every administrator
 * and token of the day was first seen on the oldest copy, with the same role.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { parseConfig } from '../src/config/load.js'
import { runSnapshot } from '../src/pipeline/run.js'
import { silentLogger } from '../src/util/log.js'
import { dailyRun } from './daily-run.js'

export const DAY_MS = 86_400_000

interface ArchiveOptions {
  /** The source's config entry. */
  source: { type: string; name: string; [key: string]: unknown }
  env: Record<string, string>
  /** A UTC midnight: the archive ends there, and the daily run starts there. */
  until: number
  days: number
  /** Remove the stored state first, as a rebuild does: the run derives it from every day file. */
  rebuild?: boolean
}

/**
 * The daily run at `until` over an archive of `days` days before it, in a
 * folder of its own (removed afterwards), as one row of a benchmark's table.
 * With `rebuild`, the run finds no state to fold onto and reads the archive.
 */
export async function archiveDailyRun(options: ArchiveOptions): Promise<Record<string, unknown>> {
  const root = await mkdtemp(path.join(tmpdir(), `${options.source.type}-archive-`))
  try {
    const archived = await writeArchive({ ...options, root, until: options.until - DAY_MS })
    const { source, env } = options
    if (options.rebuild) {
      for (const entry of ['principals.yaml', 'roles.yaml', 'groups', 'scopes'])
        await rm(path.join(root, source.type, source.name, entry), { recursive: true, force: true })
    }
    const run = await dailyRun({ root, config: { sources: [source] }, env, now: new Date(options.until).toISOString() })
    return {
      'archive days': options.rebuild ? `${options.days} (state removed)` : options.days,
      'archived events': archived,
      'window events': run.events,
      requests: run.requests,
      status: run.error ? `${run.status}: ${run.error}` : run.status,
      seconds: run.seconds,
      'cpu seconds': run.cpuSeconds,
      'peak RSS MB': run.peakRssMb
    }
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

/** Today's UTC midnight. */
export function lastMidnight(): number {
  const today = new Date()
  return Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
}

const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/**
 * Stores the day before `until` (a UTC midnight) as the pipeline would, then
 * `days - 1` copies of it on the days before. Returns the number of archived events.
 */
async function writeArchive(options: ArchiveOptions & { root: string }): Promise<number> {
  const { root, source, until, days } = options
  const config = parseConfig({ events: { 'lookback-days': 1 }, sources: [source] }, 'bench.yml')
  const run = await runSnapshot({ config, root, now: new Date(until), env: options.env, log: silentLogger })
  const outcome = run.report.outcomes[0]!
  if (outcome.status !== 'ok') throw new Error(`the template day failed: ${outcome.error}`)

  const folder = path.join(root, source.type, source.name)
  const templateDay = day(until - DAY_MS)
  const template = await readFile(path.join(folder, 'events', `${templateDay}.yaml`), 'utf8')
  const extra = (await readdir(path.join(folder, 'events'))).filter((f) => f !== `${templateDay}.yaml`)
  if (extra.length > 0) throw new Error(`the template run stored events outside ${templateDay}: ${extra.join(', ')}`)
  const perDay = template.match(/^ {2}- id: /gm)?.length ?? 0
  for (let copy = 1; copy < days; copy += 8) {
    await Promise.all(
      Array.from({ length: Math.min(8, days - copy) }, (_, i) => {
        const back = copy + i
        const text = template
          .replace(/^( {2}- id: .+)$/gm, `$1-${back}`)
          .replace(
            /^( {4}time: ')([^']+)'$/gm,
            (_, key: string, time: string) => `${key}${new Date(Date.parse(time) - back * DAY_MS).toISOString()}'`
          )
        return writeFile(path.join(folder, 'events', `${day(until - (back + 1) * DAY_MS)}.yaml`), text)
      })
    )
  }
  // The state as derived from every copy: first seen on the oldest one.
  const oldest = day(until - days * DAY_MS)
  for (const file of await stateFiles(folder)) {
    const text = await readFile(file, 'utf8')
    const dated = text.replaceAll(`first-seen: '${templateDay}'`, `first-seen: '${oldest}'`)
    if (dated !== text) await writeFile(file, dated)
  }
  return perDay * days
}

async function stateFiles(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.yaml') && !e.parentPath.endsWith(`${path.sep}events`))
    .map((e) => path.join(e.parentPath, e.name))
}
