/**
 * The daily Opsera run of the whole pipeline after a month and after a year
 * of archive, each in a process of its own: an account of 300 users and 150
 * personal access tokens whose two audit logs hold about 1,350 records a day
 * (below Opsera's cap of 1,000 per log and day, so nothing is truncated).
 *
 *   npx tsx bench/opsera.bench.ts
 */
import { pathToFileURL } from 'node:url'
import { generateOpsera, TOOL_TOKEN, type OpseraSize } from '../test/sim/opsera/data.js'
import { OpseraSimulator } from '../test/sim/opsera/server.js'
import { archiveDailyRun, lastMidnight } from './archive-fixture.js'

const ACCOUNT: OpseraSize = { users: 300, tokens: 150, actionsPerDay: 900, tokenUsesPerDay: 900, days: 2 }
const ARCHIVE_DAYS = [30, 365]

async function dailyOverArchive(days: number, rebuild = false) {
  const now = lastMidnight()
  const sim = new OpseraSimulator(generateOpsera(44, ACCOUNT, now))
  const url = await sim.start()
  try {
    const source = { type: 'opsera', name: 'bench', url, 'token-env': 'OPSERA_TOKEN' }
    return await archiveDailyRun({ source, env: { OPSERA_TOKEN: TOOL_TOKEN }, until: now, days, rebuild })
  } finally {
    await sim.stop()
  }
}

export async function run(): Promise<void> {
  const rows = []
  for (const days of ARCHIVE_DAYS) rows.push(await dailyOverArchive(days))
  rows.push(await dailyOverArchive(ARCHIVE_DAYS.at(-1)!, true))
  console.log('Opsera: the daily run of the pipeline (a 25-hour window) over an archive of about 1,350 records a day')
  console.table(rows)
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
