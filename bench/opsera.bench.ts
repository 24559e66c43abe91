/**
 * The daily Opsera run of the whole pipeline after a month and after a year
 * of archive, each in a process of its own: an account of 300 users and 150
 * personal access tokens whose two audit logs hold about 1,800 records a day
 * (below Opsera's cap of 1,000 per log and day, so nothing is truncated).
 *
 *   npx tsx bench/opsera.bench.ts
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { DAY_MS, generateOpsera, TOOL_TOKEN, type OpseraSize } from '../test/sim/opsera/data.js'
import { OpseraSimulator } from '../test/sim/opsera/server.js'
import { writeArchive } from './archive-fixture.js'
import { dailyRun } from './daily-run.js'

const ACCOUNT: OpseraSize = { users: 300, tokens: 150, actionsPerDay: 900, tokenUsesPerDay: 900, days: 2 }
const ARCHIVE_DAYS = [30, 365]

async function dailyOverArchive(days: number) {
  const today = new Date()
  const now = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate())
  const sim = new OpseraSimulator(generateOpsera(44, ACCOUNT, now))
  const url = await sim.start()
  const root = await mkdtemp(path.join(tmpdir(), 'opsera-archive-'))
  try {
    const source = { type: 'opsera', name: 'bench', url, 'token-env': 'OPSERA_TOKEN' }
    const env = { OPSERA_TOKEN: TOOL_TOKEN }
    const archived = await writeArchive({ root, source, env, until: now - DAY_MS, days })
    const run = await dailyRun({ root, config: { sources: [source] }, env, now: new Date(now).toISOString() })
    return {
      'archive days': days,
      'archived events': archived,
      'window events': run.events,
      requests: run.requests,
      status: run.error ? `${run.status}: ${run.error}` : run.status,
      seconds: run.seconds,
      'cpu seconds': run.cpuSeconds,
      'peak RSS MB': run.peakRssMb
    }
  } finally {
    await sim.stop()
    await rm(root, { recursive: true, force: true })
  }
}

export async function run(): Promise<void> {
  const rows = []
  for (const days of ARCHIVE_DAYS) rows.push(await dailyOverArchive(days))
  console.log('Opsera: the daily run of the pipeline (a 25-hour window) over an archive of about 1,800 records a day')
  console.table(rows)
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
