/**
 * The offline demo (`npm run demo`): starts every simulator on loopback, runs
 * the daily job twice in a scratch git repository — day 1 is the baseline,
 * day 2 follows a scripted set of permission changes — commits each day, and
 * prints the day-2 report. No network, no credentials.
 */
import { execFileSync } from 'node:child_process'
import { mkdtemp, mkdir, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import { loadConfig } from '../src/config/load.js'
import { runSnapshot } from '../src/pipeline/run.js'
import { renderText } from '../src/report/render.js'
import { stderrLogger } from '../src/util/log.js'
import { startCyberArkEpmDemo } from '../test/sim/cyberark-epm/demo.js'
import { startFileDemo } from '../test/sim/file/demo.js'
import { startGitHubDemo } from '../test/sim/github/demo.js'
import { startOctopusDemo } from '../test/sim/octopus/demo.js'
import { startOpseraDemo } from '../test/sim/opsera/demo.js'
import { startUipathDemo } from '../test/sim/uipath/demo.js'
import type { SimulatedSystem } from '../test/sim/system.js'

const STARTERS: Array<() => Promise<SimulatedSystem>> = [
  startFileDemo,
  startGitHubDemo,
  startOctopusDemo,
  startUipathDemo,
  startCyberArkEpmDemo,
  startOpseraDemo
]

async function main(): Promise<void> {
  const log = stderrLogger()
  const systems = await Promise.all(STARTERS.map((start) => start()))
  try {
    const repo = await mkdtemp(join(tmpdir(), 'permission-snapshot-demo-'))
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    git('config', 'user.name', 'permission-snapshot demo')
    git('config', 'user.email', 'demo@example.invalid')
    await mkdir(join(repo, '.github'), { recursive: true })
    const configPath = join(repo, '.github', 'permission-snapshot.yml')
    await writeFile(configPath, yaml.dump({ emails: 'keep', sources: systems.map((s) => s.source) }))
    const env = { ...process.env, ...Object.assign({}, ...systems.map((s) => s.env)) }
    const config = await loadConfig(configPath)
    const root = join(repo, 'snapshots')

    log.info('\n== Day 1: baseline')
    await runSnapshot({ config, root, env, log })
    git('add', '-A')
    git('commit', '-q', '-m', 'Permission snapshot, day 1 (baseline)')

    log.info('\n== Between the runs, these permissions change:')
    for (const line of systems.flatMap((s) => s.day2())) log.info(`   - ${line}`)

    log.info('\n== Day 2')
    const day2 = await runSnapshot({ config, root, env, log })
    git('add', '-A')
    git('commit', '-q', '-m', 'Permission snapshot, day 2')

    process.stdout.write(`\n${renderText(day2.report, { verbose: false })}\n`)
    process.stdout.write(
      [
        `The scratch repository is at ${repo}`,
        `  git -C ${repo} log --stat          # the history is the audit trail`,
        `  cd ${repo} && npx --prefix ${process.cwd()} permission-snapshot diff   # day 1 → day 2 again`,
        ''
      ].join('\n')
    )
    if (day2.failed) process.exitCode = 1
  } finally {
    await Promise.all(systems.map((s) => s.stop()))
  }
}

await main()
