/**
 * A simulated GitHub with one repository (real bare git repository on disk),
 * the shared GitHub client pointed at it, and a logger that keeps its lines
 * for assertions.
 */
import { readTreeAt } from '../../src/git/read-tree.js'
import { createGitHubClient } from '../../src/github/octokit.js'
import type { PublishSnapshotOptions, PublishTarget } from '../../src/publish/index.js'
import type { Logger } from '../../src/util/log.js'
import { runGit } from '../sim/github/repository-git.js'
import { mountRepository, type SimRepository, type SimRepositoryOptions } from '../sim/github/repository.js'
import { GitHubRestApi } from '../sim/github/rest.js'
import { SimServer } from '../sim/server.js'

export const TOKEN = 'ghs_simulated_installation_token'

export interface RecordingLogger extends Logger {
  lines: string[]
}

export function recordingLogger(): RecordingLogger {
  const lines: string[] = []
  return {
    lines,
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    debug: () => {}
  }
}

export interface Harness {
  sim: SimServer
  rest: GitHubRestApi
  repo: SimRepository
  log: RecordingLogger
  target: PublishTarget
  /** A target using another token (e.g. a read-only or personal one). */
  targetWith(token: string, repoName?: string): PublishTarget
  stop(): Promise<void>
}

export async function startHarness(
  options: Partial<SimRepositoryOptions> = {},
  /** '/api/v3' serves the repository as GitHub Enterprise Server does. */
  prefix: '' | '/api/v3' = ''
): Promise<Harness> {
  const sim = new SimServer()
  const rest = new GitHubRestApi(sim, prefix)
  rest.addToken(TOKEN)
  const repo = await mountRepository(rest, {
    owner: 'acme',
    name: 'permissions',
    files: { 'README.md': '# Permissions\n', '.github/permission-snapshot.yml': 'sources: []\n' },
    ...options
  })
  await sim.start()
  const log = recordingLogger()
  const targetWith = (token: string, repoName = 'permissions'): PublishTarget => ({
    client: createGitHubClient({ auth: token, baseUrl: `${sim.url}${prefix}`, log, rateLimitRetries: 0 }),
    owner: 'acme',
    repo: repoName,
    log
  })
  return {
    sim,
    rest,
    repo,
    log,
    target: targetWith(TOKEN),
    targetWith,
    stop: async () => {
      await sim.stop()
      await repo.remove()
    }
  }
}

/** Files under `folder` at `rev` in a clone, as path → content, read with git itself. */
export const filesAt = (cloneDir: string, rev: string, folder: string) => readTreeAt(cloneDir, rev, folder)

/** Every file path at `rev` in a clone. */
export async function pathsAt(cloneDir: string, rev: string): Promise<string[]> {
  const listing = await runGit(undefined, ['-C', cloneDir, 'ls-tree', '-r', '-z', '--name-only', rev])
  return listing.toString('utf8').split('\0').filter(Boolean)
}

/** `git log --format=%H %P` of `rev` in a clone: each commit with its parents, newest first. */
export async function history(cloneDir: string, rev: string): Promise<Array<{ sha: string; parents: string[] }>> {
  const out = (await runGit(undefined, ['-C', cloneDir, 'log', '--format=%H %P', rev])).toString('utf8')
  return out
    .trim()
    .split('\n')
    .map((line) => {
      const [sha = '', ...parents] = line.split(' ')
      return { sha, parents }
    })
}

export const snapshotFiles = (entries: Record<string, string>) => new Map(Object.entries(entries))

/** Snapshot files (relative to the folder) as repository paths under `snapshots/`, for `commitFiles`. */
export const inSnapshots = (files: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.entries(files).map(([path, content]) => [`snapshots/${path}`, content]))

/** Two days of a small snapshot folder: day 2 adds a member. */
export const DAY1 = {
  'github/acme/principals.yaml': 'principals:\n  - id: U_1\n    name: ada\n',
  'github/acme/groups/platform.yaml': 'id: T_1\nmembers: []\n',
  'github/acme/scopes/repository/api.yaml': 'grants: []\n'
}
export const DAY2 = {
  ...DAY1,
  'github/acme/principals.yaml': 'principals:\n  - id: U_1\n    name: ada\n  - id: U_2\n    name: alan\n'
}

/** Options for a `pull-request` mode run on the fixed branch. */
export function pullRequestRun(
  files: Record<string, string>,
  extra: Partial<PublishSnapshotOptions> = {}
): PublishSnapshotOptions {
  return {
    mode: 'pull-request',
    branch: 'permission-snapshot/daily',
    path: 'snapshots',
    files: snapshotFiles(files),
    message: 'Permission snapshot',
    pullRequest: { title: 'Permission changes 2026-03-01', body: '## Report\n', labels: ['permissions'] },
    ...extra
  }
}
