/**
 * Tries the action through `@github/local-action` against the offline GitHub
 * simulator: `npx tsx test/action/local-action-sim.ts`. Starts the demo
 * organization with a repository to publish to, clones it as the workspace,
 * writes an env file in the shape of `.env.example` pointing at the
 * simulator, runs `local-action . src/action/main.ts <that file>` (what `npm
 * run local-action` runs with `.env`), and prints the pull request the
 * simulator then holds. Pass `--keep` to leave the simulator running for your
 * own `.env` (the values to use are printed); stop it with Ctrl-C.
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'
import { startGitHubDemo } from '../sim/github/demo.js'
import { mountRepository } from '../sim/github/repository.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** The publishing token the simulator accepts: an App installation token, so commits are signed. */
const PUBLISH_TOKEN = 'ghs_local_action_installation_token'

const demo = await startGitHubDemo()
demo.github.addToken(PUBLISH_TOKEN)
const repo = await mountRepository(demo.github.rest, {
  owner: 'acme',
  name: 'permissions',
  files: {
    'README.md': '# Permissions\n',
    '.github/permission-snapshot.yml': yaml.dump({ sources: [demo.source] })
  }
})
const workspace = await repo.clone()
const temp = await mkdtemp(join(tmpdir(), 'local-action-sim-'))
const env: Record<string, string> = {
  GITHUB_WORKSPACE: workspace,
  GITHUB_REPOSITORY: 'acme/permissions',
  GITHUB_API_URL: demo.github.url,
  GITHUB_GRAPHQL_URL: demo.github.graphqlUrl,
  GITHUB_STEP_SUMMARY: join(temp, 'step-summary.md'),
  RUNNER_TEMP: temp,
  INPUT_TOKEN: PUBLISH_TOKEN,
  INPUT_LABELS: 'permissions',
  ...demo.env
}
const envFile = join(temp, 'sim.env')
await writeFile(
  envFile,
  Object.entries(env)
    .map(([k, v]) => `${k}="${v}"\n`)
    .join('')
)

let code = 0
try {
  if (process.argv.includes('--keep')) {
    process.stdout.write(`Simulator running. Put these in .env, then: npm run local-action\n\n`)
    process.stdout.write(
      Object.entries(env)
        .map(([k, v]) => `${k}="${v}"\n`)
        .join('')
    )
    await new Promise((resolve) => process.once('SIGINT', resolve))
  } else {
    const localAction = join(ROOT, 'node_modules', '.bin', 'local-action')
    const child = spawn(localAction, ['.', 'src/action/main.ts', envFile], { cwd: ROOT, stdio: 'inherit' })
    code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)))
  }
  for (const pr of repo.pulls.all) {
    process.stdout.write(`\nPull request #${pr.number} (${pr.state}) ${pr.title}\n\n${pr.body ?? ''}\n`)
  }
  if (repo.pulls.all.length === 0) {
    process.stdout.write('\nThe simulator received no pull request.\n')
    code ||= 1
  }
} finally {
  await demo.stop()
  await repo.remove()
  await rm(dirname(workspace), { recursive: true, force: true })
  await rm(temp, { recursive: true, force: true })
}
process.exitCode = code
