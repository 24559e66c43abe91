/**
 * Requests per UiPath snapshot against the fewest the endpoints allow, run
 * time and peak RSS, for the seeded demo tenant and for one with 1,000 folders
 * and 5,000 users, at the documented page maximum (1000) and with
 * Pagination.Limits on (100); and the classic organization audit with 250 and
 * with 20,000 records in the 7-day window (plus 1,000 older ones it must not
 * read), at a server cap on `top` of 100 and of 1000. `npx tsx bench/uipath.bench.ts`
 */
import { pathToFileURL } from 'node:url'
import { uipathSource } from '../src/sources/uipath/index.js'
import { silentLogger } from '../src/util/log.js'
import { generateTenant, type TenantOptions } from '../test/sim/uipath/data.js'
import { minimumRequests } from '../test/sim/uipath/minimum.js'
import { generatePlatformHistory } from '../test/sim/uipath/platform-audit.js'
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, UipathSim } from '../test/sim/uipath/server.js'

interface Scenario {
  name: string
  tenant: TenantOptions
  pageCap: number
  latencyMs?: number
  groupMembership?: boolean
  /** Organization audit records in the window (the classic trail is read by default on Automation Cloud). */
  platformRecords?: number
}

const SEEDED: TenantOptions = { seed: 6 }
const LARGE: TenantOptions = {
  seed: 6,
  users: 5_000,
  robots: 200,
  groups: 50,
  apps: 10,
  folders: 1_000,
  depth: 4,
  personalFolders: 300,
  customRoles: 20,
  auditLogs: 3_000
}

const SCENARIOS: Scenario[] = [
  { name: 'seeded demo tenant', tenant: SEEDED, pageCap: 1000 },
  { name: 'seeded demo tenant', tenant: SEEDED, pageCap: 100 },
  { name: '1,000 folders / 5,000 users', tenant: LARGE, pageCap: 1000 },
  { name: '1,000 folders / 5,000 users', tenant: LARGE, pageCap: 100 },
  { name: '1,000 folders / 5,000 users, no group membership', tenant: LARGE, pageCap: 1000, groupMembership: false },
  { name: '1,000 folders / 5,000 users, 20 ms latency', tenant: LARGE, pageCap: 1000, latencyMs: 20 },
  { name: 'organization audit: 250 records in the window', tenant: SEEDED, pageCap: 100, platformRecords: 250 },
  { name: 'organization audit: 250 records in the window', tenant: SEEDED, pageCap: 1000, platformRecords: 250 },
  { name: 'organization audit: 20,000 records in the window', tenant: SEEDED, pageCap: 100, platformRecords: 20_000 },
  { name: 'organization audit: 20,000 records in the window', tenant: SEEDED, pageCap: 1000, platformRecords: 20_000 }
]

const DAY_MS = 86_400_000

async function measure(scenario: Scenario) {
  const now = new Date()
  const data = generateTenant({ ...scenario.tenant, now })
  if (scenario.platformRecords) {
    // Older records first (8 to 30 days back), which paging must stop before, then the window's.
    generatePlatformHistory(data, { count: 1_000, days: 22, now: new Date(now.getTime() - 8 * DAY_MS), seed: 1 })
    generatePlatformHistory(data, { count: scenario.platformRecords, days: 7, now, seed: 2 })
  }
  const sim = new UipathSim(data, { pageCap: scenario.pageCap })
  sim.server.latencyMs = scenario.latencyMs ?? 0
  await sim.start()
  try {
    const settings = uipathSource.settings.parse({
      url: sim.url,
      'client-id-env': 'UIPATH_CLIENT_ID',
      'client-secret-env': 'UIPATH_CLIENT_SECRET',
      'group-membership': scenario.groupMembership ?? true
    })
    const eventsSince = new Date(now.getTime() - 7 * DAY_MS)
    const eventsUntil = new Date(now.getTime() + 1)
    const started = performance.now()
    const result = await uipathSource.create(settings, 'bench').fetch({
      log: silentLogger,
      eventsSince,
      eventsUntil,
      env: { UIPATH_CLIENT_ID: SIM_CLIENT_ID, UIPATH_CLIENT_SECRET: SIM_CLIENT_SECRET }
    })
    const seconds = (performance.now() - started) / 1000
    const minimum = minimumRequests(data, {
      pageCap: scenario.pageCap,
      eventsSince,
      eventsUntil,
      groupMembership: scenario.groupMembership
    })
    return {
      scenario: scenario.name,
      'page cap': scenario.pageCap,
      requests: result.stats?.requests ?? sim.server.count(),
      minimum: minimum.total,
      'per-folder': minimum.folderAssignments,
      'per-user': minimum.groupMembership,
      'org audit': sim.server.count(/\/audit_\/api\/auditlogs$/),
      grants: result.snapshot.grants.length,
      events: result.events.length,
      seconds: Number(seconds.toFixed(2)),
      'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024)
    }
  } finally {
    await sim.stop()
  }
}

export async function run(): Promise<void> {
  const rows = []
  for (const scenario of SCENARIOS) rows.push(await measure(scenario))
  console.log(
    'UiPath Orchestrator: requests per snapshot (simulator and source in one process; RSS is the process peak)'
  )
  console.table(rows)
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
