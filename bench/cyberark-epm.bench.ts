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
 * Also: deriving the state from a 30-day archive (300,000 events).
 *
 *   npx tsx bench/cyberark-epm.bench.ts
 */
import { pathToFileURL } from 'node:url'
import type { AuditEvent } from '../src/model/types.js'
import { cyberarkEpmSource } from '../src/sources/cyberark-epm/index.js'
import { deriveSnapshot } from '../src/sources/cyberark-epm/state.js'
import { silentLogger } from '../src/util/log.js'
import { API_PASSWORD, API_USER, DAY_MS, generateEpm, type EpmSize } from '../test/sim/cyberark-epm/data.js'
import { EpmSimulator } from '../test/sim/cyberark-epm/server.js'

const LATENCY_MS = 5
const PACE_MS = 300
const WINDOW_MS = DAY_MS + 60 * 60_000
const ACCOUNT: EpmSize = { sets: 20, adminsPerSet: 8, accountAdmins: 3, rowsPerDay: 10_000, days: 2, roleChanges: 0.2 }
const ARCHIVE_DAYS = 30

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
      storedEvents: async () => [],
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

/** Deriving the state from an archive of `ARCHIVE_DAYS` days at 10,000 rows a day, as a run after a month does. */
async function deriveFromArchive() {
  const now = Date.now()
  const state = generateEpm(43, { ...ACCOUNT, days: 1 }, now)
  const sim = new EpmSimulator(state)
  sim.rateLimit = undefined
  const url = await sim.start()
  let day: AuditEvent[]
  try {
    const settings = cyberarkEpmSource.settings.parse({
      url,
      'username-env': 'EPM_USER',
      'password-env': 'EPM_PASSWORD',
      'min-interval-ms': 0
    })
    day = (
      await cyberarkEpmSource.create(settings, 'bench').fetch({
        log: silentLogger,
        eventsSince: new Date(now - DAY_MS),
        eventsUntil: new Date(now),
        storedEvents: async () => [],
        env: { EPM_USER: API_USER, EPM_PASSWORD: API_PASSWORD }
      })
    ).events
  } finally {
    await sim.stop()
  }
  const archive = Array.from({ length: ARCHIVE_DAYS }, (_, d) =>
    day.map((e) => ({ ...e, id: `${e.id}-${d}`, time: new Date(Date.parse(e.time) - d * DAY_MS).toISOString() }))
  ).flat()
  const sets = state.sets.map((s) => ({ id: s.Id, name: s.Name }))
  const started = performance.now()
  const snapshot = deriveSnapshot(archive, { instance: 'bench', sets, account: true, username: API_USER })
  return {
    'archived events': archive.length,
    grants: snapshot.grants.length,
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024)
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
  console.log(`CyberArk EPM source: deriving the state from a ${ARCHIVE_DAYS}-day archive`)
  console.table([await deriveFromArchive()])
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
