/**
 * Requests per daily CyberArk EPM run for an account with 20 sets and 10,000
 * administrator audit rows a day, against the fewest the endpoints allow: one
 * logon, one set list, one audit page per set and one account-audit page (EPM
 * documents no maximum `Limit`). The window is the pipeline's daily one: the
 * last day plus the default 60-minute overlap.
 *
 * The source paces calls 300 ms apart to stay within EPM's documented 5 calls
 * per second and 1,000 per 5 minutes, so a run's duration is about requests x
 * 0.3 s; the default page size is measured paced against a simulator that
 * enforces those limits, the others unpaced with the pace added as an estimate.
 * Also: the daily run of the whole pipeline after a month and after a year
 * of archive (3.65 million events), in a process of its own.
 *
 *   npx tsx bench/cyberark-epm.bench.ts
 */
import { pathToFileURL } from 'node:url'
import { cyberarkEpmSource } from '../src/sources/cyberark-epm/index.js'
import { silentLogger } from '../src/util/log.js'
import { API_PASSWORD, API_USER, DAY_MS, generateEpm, type EpmSize } from '../test/sim/cyberark-epm/data.js'
import { EpmSimulator } from '../test/sim/cyberark-epm/server.js'
import { archiveDailyRun, lastMidnight } from './archive-fixture.js'

const LATENCY_MS = 5
const PACE_MS = 300
const WINDOW_MS = DAY_MS + 60 * 60_000
const ACCOUNT: EpmSize = { sets: 20, adminsPerSet: 8, accountAdmins: 3, rowsPerDay: 10_000, days: 2, roleChanges: 0.2 }
/** A month, and a year, of archive. */
const ARCHIVE_DAYS = [30, 365]
/** The generator crowds rows toward the middle of its history: this puts about 10,000 on the archived day. */
const ARCHIVE_ACCOUNT: EpmSize = { ...ACCOUNT, rowsPerDay: 13_100 }

async function measure(pageSize: number, paced: boolean) {
  const now = new Date()
  const state = generateEpm(42, ACCOUNT, now.getTime())
  const sim = new EpmSimulator(state)
  sim.manager.latencyMs = LATENCY_MS
  if (!paced) sim.rateLimit = undefined
  const url = await sim.start()
  try {
    const settings = cyberarkEpmSource.settings.parse({
      url,
      'username-env': 'EPM_USER',
      'password-env': 'EPM_PASSWORD',
      'page-size': pageSize,
      'min-interval-ms': paced ? PACE_MS : 0
    })
    const started = performance.now()
    const result = await cyberarkEpmSource.create(settings, 'bench').fetch({
      log: silentLogger,
      eventsSince: new Date(now.getTime() - WINDOW_MS),
      eventsUntil: now,
      env: { EPM_USER: API_USER, EPM_PASSWORD: API_PASSWORD }
    })
    const seconds = (performance.now() - started) / 1000
    const requests = result.stats!.requests
    return {
      'page-size': pageSize,
      'rows read': result.events.length,
      requests,
      minimum: 1 + 1 + ACCOUNT.sets + 1,
      throttled: result.stats!.throttled,
      seconds: paced ? Number(seconds.toFixed(1)) : `${(requests * PACE_MS) / 1000} (paced, est.)`,
      'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024)
    }
  } finally {
    await sim.stop()
  }
}

/**
 * A daily run of the pipeline over an archive of `days` days at 10,000 rows a
 * day, in a process of its own: what the run after a month, or a year, costs.
 * Unpaced (the pace is the same whatever the archive holds; see the table above).
 */
async function dailyOverArchive(days: number, rebuild = false) {
  const now = lastMidnight()
  const sim = new EpmSimulator(generateEpm(43, ARCHIVE_ACCOUNT, now))
  sim.rateLimit = undefined
  const url = await sim.start()
  try {
    return await archiveDailyRun({
      source: {
        type: 'cyberark-epm',
        name: 'bench',
        url,
        'username-env': 'EPM_USER',
        'password-env': 'EPM_PASSWORD',
        'min-interval-ms': 0
      },
      env: { EPM_USER: API_USER, EPM_PASSWORD: API_PASSWORD },
      until: now,
      days,
      rebuild
    })
  } finally {
    await sim.stop()
  }
}

export async function run(): Promise<void> {
  const rows = []
  for (const pageSize of [50, 1_000, 5_000]) rows.push(await measure(pageSize, false))
  rows.push(await measure(500, true))
  console.log(
    `CyberArk EPM source: requests per daily run (${ACCOUNT.sets} sets, ${ACCOUNT.rowsPerDay.toLocaleString('en-US')} audit rows a day, 25-hour window, ${LATENCY_MS} ms simulated latency)`
  )
  console.table(rows)
  console.log(
    'CyberArk EPM: the daily run of the pipeline (a 25-hour window, unpaced) over an archive of 10,000 rows a day'
  )
  const daily = []
  for (const days of ARCHIVE_DAYS) daily.push(await dailyOverArchive(days))
  daily.push(await dailyOverArchive(ARCHIVE_DAYS.at(-1)!, true))
  console.table(daily)
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
