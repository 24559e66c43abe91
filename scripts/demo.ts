/**
 * The offline demo (`npm run demo`): starts every simulator on loopback, runs
 * the daily job twice in a scratch git repository — day 1 is the baseline,
 * day 2 follows a scripted set of permission changes — commits each day, and
 * prints the day-2 report. Alongside, the bundled action (dist/index.js, under
 * Node 24 as the Actions runner would run it) publishes the same two days to
 * a repository on the simulated GitHub, and the demo ends with the pull
 * request that simulator received. No network, no credentials.
 */
import { execFileSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import yaml from 'js-yaml'
import { loadConfig } from '../src/config/load.js'
import { readState } from '../src/pipeline/pages.js'
import { runSnapshot } from '../src/pipeline/run.js'
import { oneNewline } from '../src/pages/pages.js'
import { findPeople } from '../src/pages/rows.js'
import { showDocument } from '../src/pages/show.js'
import { renderText } from '../src/report/render.js'
import { stderrLogger, type Logger } from '../src/util/log.js'
import { BUNDLE, runAction } from '../test/sim/action-runner.js'
import { startCyberArkEpmDemo } from '../test/sim/cyberark-epm/demo.js'
import { startFileDemo } from '../test/sim/file/demo.js'
import { startGitHubDemo, type GitHubDemo } from '../test/sim/github/demo.js'
import { startOctopusDemo } from '../test/sim/octopus/demo.js'
import { startOpseraDemo } from '../test/sim/opsera/demo.js'
import { startUipathDemo } from '../test/sim/uipath/demo.js'
import { mountRepository, type SimRepository } from '../test/sim/github/repository.js'
import type { SimulatedSystem } from '../test/sim/system.js'

/** The token the action publishes with: an App installation token, so GitHub signs its commits. */
const PUBLISH_TOKEN = 'ghs_demo_installation_token'

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
  const github = systems.find((s): s is GitHubDemo => 'github' in s)!
  let published: SimRepository | undefined
  try {
    const repo = await mkdtemp(join(tmpdir(), 'permission-snapshot-demo-'))
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, encoding: 'utf8' })
    git('init', '-q', '-b', 'main')
    git('config', 'user.name', 'permission-snapshot demo')
    git('config', 'user.email', 'demo@example.invalid')
    await mkdir(join(repo, '.github'), { recursive: true })
    const configPath = join(repo, '.github', 'permission-snapshot.yml')
    // Alice is alice@example.com in the finance export and EPM (joined by address); her GitHub
    // account shows no address, so the identities map says which one is hers.
    const org = github.github.org
    const login = [...org.members.keys()].map((id) => org.users.get(id)!).find((u) => u.email === null)!.login
    const identities = { 'alice@example.com': { 'github/acme': login } }
    const configText = yaml.dump({ emails: 'keep', identities, sources: systems.map((s) => s.source) })
    await writeFile(configPath, configText)
    const credentials: Record<string, string> = Object.assign({}, ...systems.map((s) => s.env))
    const env = { ...process.env, ...credentials }
    const config = await loadConfig(configPath)
    const root = join(repo, 'snapshots')

    log.info('\n== Day 1: baseline')
    await runSnapshot({ config, root, env, log })
    git('add', '-A')
    git('commit', '-q', '-m', 'Permission snapshot, day 1 (baseline)')

    // The same config in a repository on the simulated GitHub, published by the bundled action.
    if (existsSync(BUNDLE)) {
      github.github.addToken(PUBLISH_TOKEN)
      published = await mountRepository(github.github.rest, {
        owner: 'acme',
        name: 'permissions',
        files: { 'README.md': '# Permissions\n', '.github/permission-snapshot.yml': configText }
      })
      await runTheAction(published, github.github.url, github.github.graphqlUrl, credentials, 'day 1', log)
    }

    log.info('\n== Between the runs, these permissions change:')
    for (const line of systems.flatMap((s) => s.day2())) log.info(`   - ${line}`)

    log.info('\n== Day 2')
    const day2 = await runSnapshot({ config, root, env, log })
    git('add', '-A')
    git('commit', '-q', '-m', 'Permission snapshot, day 2')
    if (published) await runTheAction(published, github.github.url, github.github.graphqlUrl, credentials, 'day 2', log)

    process.stdout.write(`\n${renderText(day2.report, { verbose: false })}\n`)
    // The state pages were written with the snapshot; `show` reads them back without fetching anything.
    const state = await readState(root, config)
    const alice = findPeople(state.people, 'alice@example.com')
    process.stdout.write(
      `== One person across systems (permission-snapshot show --who alice@example.com):\n\n${oneNewline(showDocument(state, { people: alice }, 'text'))}\n`
    )
    process.stdout.write(
      [
        `The scratch repository is at ${repo}`,
        `  git -C ${repo} log --stat          # the history is the audit trail`,
        `  cd ${repo} && npx --prefix ${process.cwd()} permission-snapshot diff   # day 1 → day 2 again`,
        `  cd ${repo} && npx --prefix ${process.cwd()} permission-snapshot show --scope Finance --format csv`,
        'The state pages, committed with the snapshot:',
        `  ${join(root, 'README.md')}   # every source, with links`,
        `  ${join(root, 'people.md')}   # one person, all systems`,
        ...state.views.map((view) => `  ${join(root, view.key, 'README.md')}`),
        ''
      ].join('\n')
    )
    if (published) printPullRequests(published)
    else
      process.stdout.write(
        `\n${BUNDLE} is missing: run npm run build, then npm run demo again to see the pull request.\n`
      )
    if (day2.failed) process.exitCode = 1
  } finally {
    await Promise.all(systems.map((s) => s.stop()))
    await published?.remove()
  }
}

/** One scheduled run of the bundled action: a fresh checkout of the base branch as the workspace. */
async function runTheAction(
  repo: SimRepository,
  apiUrl: string,
  graphqlUrl: string,
  credentials: Record<string, string>,
  day: string,
  log: Logger
): Promise<void> {
  const workspace = await repo.clone()
  const run = await runAction({
    workspace,
    repository: repo.fullName,
    apiUrl,
    graphqlUrl,
    inputs: { token: PUBLISH_TOKEN, labels: 'permissions' },
    env: credentials
  })
  await rm(dirname(workspace), { recursive: true, force: true })
  const { outputs } = run
  log.info(
    `\n== The action (dist/index.js, Node 24), ${day}: pull request #${outputs['pull-request-number'] || '-'} ${outputs['pull-request-operation'] ?? 'not reached'}, commit ${outputs['commit-sha'] || 'none'}`
  )
  if (run.exitCode !== 0) {
    log.warn(`the action failed (exit code ${run.exitCode}):\n${run.errors.join('\n') || run.stderr || run.log}`)
    process.exitCode = 1
  }
}

function printPullRequests(repo: SimRepository): void {
  for (const pr of repo.pulls.all) {
    process.stdout.write(
      [
        '',
        `== The pull request the simulated GitHub received: ${repo.fullName} #${pr.number} (${pr.state}, ${pr.head} → ${pr.base}, labels: ${pr.labels.join(', ') || 'none'})`,
        `Title: ${pr.title}`,
        '',
        pr.body ?? '',
        ''
      ].join('\n')
    )
  }
  if (repo.pulls.all.length === 0) process.stdout.write('\nThe simulated GitHub received no pull request.\n')
}

await main()
