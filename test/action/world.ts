/**
 * The world the bundled action's end-to-end tests run in: one GitHub
 * simulator serving both the organization the github sources read and the
 * repositories the snapshot is published to (real git objects), and runs of
 * dist/index.js under Node 24 in a fresh checkout of the base branch, as a
 * scheduled workflow gets one every day.
 */
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { expect } from 'vitest'
import { runAction, type ActionRun } from '../sim/action-runner.js'
import { generateOrg, type GeneratedOrg } from '../sim/github/data.js'
import { runGit } from '../sim/github/repository-git.js'
import { mountRepository, type SimRepository } from '../sim/github/repository.js'
import { startGitHubSim, type GitHubSim } from '../sim/github/server.js'

/** The `token` input: an App installation token (its commits are signed by GitHub). */
export const PUBLISH_TOKEN = 'ghs_e2ePublishInstallationToken0123'
/** The source's token, named in the config by `token-env`. */
export const SOURCE_TOKEN = 'ghp_e2eSourceOrgReadToken456789abc'
/** A revoked token: the simulator does not know it. */
export const REVOKED_TOKEN = 'ghp_e2eRevokedToken0123456789xyzw'
const SECRETS = [PUBLISH_TOKEN, SOURCE_TOKEN, REVOKED_TOKEN]
export const BRANCH = 'permission-snapshot/daily'
export const TODAY = () => new Date().toISOString().slice(0, 10)

/** One repository the snapshot is published to, and how to run the action on it. */
export interface Repository {
  repo: SimRepository
  /**
   * Runs the action in a fresh checkout of the base branch, as `actions/checkout` would give it, or of
   * `checkout` (a commit): a dispatch from another branch, or a merge that landed after the checkout.
   */
  run(inputs?: Record<string, string>, env?: Record<string, string>, checkout?: string): Promise<ActionRun>
  /** Runs the action in `workspace`, a clone made by `clone()` (after earlier steps of the job put files in it). */
  runIn(workspace: string, inputs?: Record<string, string>, env?: Record<string, string>): Promise<ActionRun>
  /** A fresh clone of the simulated repository, for inspecting what was published. */
  clone(): Promise<string>
}

export interface World extends Repository {
  gh: GitHubSim
  org: GeneratedOrg
  /** The organization's owner (first member) and the other members' logins. */
  owner: string
  members: string[]
  /** Another repository with the same config, for comparing two ways of publishing the same days. */
  repository(name: string): Promise<Repository>
}

const worlds: World[] = []
const repositories: SimRepository[] = []
const clones: string[] = []

/** For `afterEach`: stops every simulator and removes every repository and clone the tests made. */
export async function stopWorlds(): Promise<void> {
  for (const w of worlds.splice(0)) await w.gh.stop()
  for (const repo of repositories.splice(0)) await repo.remove()
  await Promise.all(clones.splice(0).map((dir) => rm(dirname(dir), { recursive: true, force: true })))
}

/** `sources` maps each github source's instance name to the environment variable holding its token. */
export async function startWorld(sources: Record<string, string> = { acme: 'ACME_GITHUB_TOKEN' }): Promise<World> {
  const org = generateOrg({ seed: 11, login: 'acme', members: 8, teams: 3, repos: 3, plan: 'enterprise' })
  const gh = await startGitHubSim({ org })
  gh.addToken(PUBLISH_TOKEN)
  gh.addToken(SOURCE_TOKEN)
  const config = [
    'sources:',
    ...Object.entries(sources).flatMap(([name, tokenEnv]) => [
      '  - type: github',
      `    name: ${name}`,
      '    organization: acme',
      `    token-env: ${tokenEnv}`,
      `    api-url: ${gh.url}`,
      '    audit-log: true'
    ]),
    ''
  ].join('\n')
  const repository = async (name: string): Promise<Repository> => {
    const repo = await mountRepository(gh.rest, {
      owner: 'acme',
      name,
      files: { 'README.md': '# Permissions\n', '.github/permission-snapshot.yml': config }
    })
    repositories.push(repo)
    const clone = async () => {
      const dir = await repo.clone()
      clones.push(dir)
      return dir
    }
    const runIn = (workspace: string, inputs: Record<string, string> = {}, env: Record<string, string> = {}) =>
      runAction({
        workspace,
        repository: `acme/${name}`,
        apiUrl: gh.url,
        graphqlUrl: gh.graphqlUrl,
        inputs: { token: PUBLISH_TOKEN, labels: 'permissions', ...inputs },
        env: { ...Object.fromEntries(Object.values(sources).map((v) => [v, SOURCE_TOKEN])), ...env }
      })
    return {
      repo,
      clone,
      runIn,
      run: async (inputs = {}, env = {}, checkout) => {
        const workspace = await clone()
        if (checkout) await runGit(undefined, ['-C', workspace, 'checkout', '--quiet', checkout])
        return runIn(workspace, inputs, env)
      }
    }
  }
  const logins = [...org.members].filter(([, role]) => role === 'member').map(([id]) => org.users.get(id)!.login)
  const owner = org.users.get([...org.members].find(([, role]) => role === 'admin')![0])!.login
  const world: World = { gh, org, owner, members: logins, repository, ...(await repository('permissions')) }
  worlds.push(world)
  return world
}

/** What a person could read: the job log, stderr, the job summary, the outputs and every pull request body. */
export function expectNoSecrets(repository: Repository, run: ActionRun): void {
  const visible = [
    run.log,
    run.stderr,
    run.summary,
    ...Object.values(run.outputs),
    ...repository.repo.pulls.all.map((p) => p.body ?? '')
  ]
  for (const secret of SECRETS) for (const text of visible) expect(text).not.toContain(secret)
}
