/**
 * The GitHub source's API cost (`npm run bench`; also `npx tsx bench/github.bench.ts`):
 * for organizations S, M and L it prints the HTTP requests and GraphQL points
 * one snapshot takes against the simulator with 20 ms latency per request,
 * the requests a REST-only exporter needs for the same data (computed from the
 * generated organization), wall time and peak RSS. Targets for L: at most 600
 * requests + points, at least 14× fewer than REST-only, under 60 s, under 1 GiB.
 */
import { pathToFileURL } from 'node:url'
import { githubSource } from '../src/sources/github/index.js'
import { silentLogger } from '../src/util/log.js'
import { generateOrg, type OrgSize } from '../test/sim/github/data.js'
import { restOnlyRequests } from '../test/sim/github/rest-only.js'
import { startGitHubSim } from '../test/sim/github/server.js'

const SIZES: Array<{ label: string; size: OrgSize }> = [
  { label: 'S', size: { members: 50, teams: 8, repos: 20, plan: 'team' } },
  { label: 'M', size: { members: 2_000, teams: 200, repos: 500, plan: 'team' } },
  { label: 'L', size: { members: 20_000, teams: 1_000, repos: 5_000, plan: 'team' } },
  // Custom repository roles (Enterprise Cloud) make GraphQL's team permission ambiguous: REST names them per team.
  { label: 'L, GHEC custom roles', size: { members: 20_000, teams: 1_000, repos: 5_000, plan: 'enterprise' } }
]

interface Row {
  label: string
  shape: string
  requests: number
  points: number
  restOnly: number
  seconds: number
  rssMiB: number
}

async function measure(label: string, size: OrgSize): Promise<Row> {
  const org = generateOrg(size)
  const restOnly = restOnlyRequests(org)
  const github = await startGitHubSim({ org })
  github.sim.latencyMs = 20
  try {
    const settings = githubSource.settings.parse({
      organization: org.login,
      'token-env': 'GITHUB_TOKEN',
      'api-url': github.url
    })
    const started = performance.now()
    await githubSource.create(settings, org.login).fetch({
      log: silentLogger,
      eventsSince: new Date(0),
      eventsUntil: new Date(),
      env: { GITHUB_TOKEN: github.token }
    })
    return {
      label,
      shape: `${size.members} / ${size.teams} / ${size.repos}`,
      requests: github.sim.requests.length,
      points: github.graphql.points,
      restOnly,
      seconds: (performance.now() - started) / 1000,
      rssMiB: process.resourceUsage().maxRSS / 1024
    }
  } finally {
    await github.stop()
  }
}

export async function run(): Promise<void> {
  const rows: Row[] = []
  for (const { label, size } of SIZES) rows.push(await measure(label, size))
  const table = [
    '| Org | members / teams / repos | HTTP requests | GraphQL points | requests + points | REST-only requests | fewer | wall time | peak RSS |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|',
    ...rows.map((r) => {
      const total = r.requests + r.points
      return `| ${r.label} | ${r.shape} | ${r.requests} | ${r.points} | ${total} | ${r.restOnly} | ${(r.restOnly / total).toFixed(1)}× | ${r.seconds.toFixed(1)} s | ${Math.round(r.rssMiB)} MiB |`
    })
  ]
  process.stdout.write(
    `GitHub source: one snapshot against the simulator, 20 ms latency per request (peak RSS is the process's, so it only grows down the table)\n\n${table.join('\n')}\n`
  )
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
