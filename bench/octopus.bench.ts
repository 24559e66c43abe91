/**
 * Requests per Octopus snapshot, for the seeded demo-sized instance and large
 * ones (50 spaces, 2,000 users, 500 and 2,000 teams), against the fewest
 * requests the endpoints allow: one per `/all` route, one per paged list
 * (Octopus documents no maximum `take`; the system routes name 50 spaces per
 * request), one per space for its scoped roles plus the system's and their
 * count, and one per space collection that names a restriction; and against
 * the target of about 5 per space plus 10, whatever the number of teams. Also
 * at Octopus's default `take` of 30, the page size its own example scripts use.
 *
 *   npx tsx bench/octopus.bench.ts
 */
import { pathToFileURL } from 'node:url'
import { octopusSource } from '../src/sources/octopus/index.js'
import { silentLogger } from '../src/util/log.js'
import { ADMIN_KEY, generateOctopus, SMALL, type OctopusSize, type OctopusState } from '../test/sim/octopus/data.js'
import { octopusServer } from '../test/sim/octopus/server.js'

/** Simulated network latency per request, so concurrency and request counts show in the time. */
const LATENCY_MS = 10
const DAYS = 7

const LARGE: OctopusSize = {
  spaces: 50,
  users: 2_000,
  teams: 500,
  projectsPerSpace: 20,
  environmentsPerSpace: 5,
  tenantsPerSpace: 10,
  projectGroupsPerSpace: 3,
  bigTeamScopedRoles: 35,
  events: 3_000,
  eventDays: 30
}

/** The fewest requests the endpoints allow for this instance, counted from the ground truth. */
function minimumRequests(state: OctopusState): number {
  const lists = new Set<string>()
  for (const s of state.scopedUserRoles) {
    if (!s.SpaceId) continue
    const real = (ids: string[]) => ids.some((id) => !/^[a-z]+-(all|unrelated)$/.test(id))
    if (real(s.ProjectIds)) lists.add(`${s.SpaceId}/projects`)
    if (real(s.ProjectGroupIds)) lists.add(`${s.SpaceId}/projectgroups`)
    if (real(s.EnvironmentIds)) lists.add(`${s.SpaceId}/environments`)
    if (real(s.TenantIds)) lists.add(`${s.SpaceId}/tenants`)
  }
  const selections = Math.max(Math.ceil(state.spaces.length / 50), 1)
  // spaces, users, user roles (/all) + teams + scoped roles per space, the system's and their count
  // + name lists + events (teams, count and events: one page per 50 spaces)
  return 3 + selections + state.spaces.length + 1 + selections + lists.size + selections
}

async function measure(label: string, size: OctopusSize, pageSize: number) {
  const now = new Date()
  const state = generateOctopus(42, size, now)
  const server = octopusServer(state)
  server.latencyMs = LATENCY_MS
  const url = await server.start()
  try {
    const settings = octopusSource.settings.parse({ url, 'api-key-env': 'OCTOPUS_BENCH_KEY', 'page-size': pageSize })
    const started = performance.now()
    const result = await octopusSource.create(settings, 'bench').fetch({
      log: silentLogger,
      eventsSince: new Date(now.getTime() - DAYS * 86_400_000),
      eventsUntil: now,
      env: { OCTOPUS_BENCH_KEY: ADMIN_KEY }
    })
    const seconds = (performance.now() - started) / 1000
    return {
      instance: label,
      'page-size': pageSize,
      teams: state.teams.length,
      grants: result.snapshot.grants.length,
      events: result.events.length,
      requests: result.stats!.requests,
      minimum: minimumRequests(state),
      target: 5 * state.spaces.length + 10,
      seconds: Number(seconds.toFixed(2)),
      'peak RSS MB': Math.round(process.resourceUsage().maxRSS / 1024)
    }
  } finally {
    await server.stop()
  }
}

export async function run(): Promise<void> {
  const rows = []
  for (const [label, size] of [
    ['seeded (3 spaces, 40 users, 17 teams)', SMALL],
    ['large (50 spaces, 2,000 users, 500 teams)', LARGE],
    ['large (50 spaces, 2,000 users, 2,000 teams)', { ...LARGE, teams: 2_000 }]
  ] as const) {
    for (const pageSize of [1_000, 30]) rows.push(await measure(label, size, pageSize))
  }
  console.log(
    `Octopus source: requests per snapshot (${LATENCY_MS} ms simulated latency, concurrency 4, ${DAYS}-day event window)`
  )
  console.table(rows)
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
