import * as core from '@actions/core'
import { isAbsolute, relative, resolve } from 'node:path'
import { DEFAULT_CONFIG_PATH, DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'

/** Where `collect` writes and `assemble` reads, relative to the workspace (the artifact's `path`). */
export const DEFAULT_COLLECTED_DIR = 'permission-snapshot-collected'
import { registerSecret } from '../util/secrets.js'

export const MODES = ['pull-request', 'commit', 'dry-run', 'collect', 'assemble'] as const
export const AUTO_MERGE = ['false', 'merge', 'squash', 'rebase'] as const

/** Everything the action reads from its inputs and the runner's environment, validated. */
export interface ActionSettings {
  /** Absolute path of the config file inside the workspace. */
  configPath: string
  /** Token for the commit and the pull request (not for the sources: those name their own). */
  token: string
  /** Snapshot folder relative to the workspace, POSIX separators. */
  path: string
  /** Absolute path of the workspace checkout. */
  workspace: string
  /**
   * `pull-request` (default), `commit` straight to the base branch, `dry-run` (no writes to GitHub), or one
   * half of a pull-request run split across jobs: `collect` (fetch `sources`, write them to `collectedPath`,
   * publish nothing) and `assemble` (publish what the collect jobs wrote).
   */
  mode: (typeof MODES)[number]
  /** `collect`: the sources to fetch, as `type/name`; empty means every configured source. */
  sources: string[]
  /** `collect` and `assemble`: absolute path of the folder the collected results are written to and read from. */
  collectedPath: string
  /** The fixed branch the pull request comes from. */
  branch: string
  /** The base branch; empty means the repository's default branch. */
  base: string
  /** Pull request title; `{date}` is replaced with the run's UTC date. */
  title: string
  labels: string[]
  reviewers: string[]
  teamReviewers: string[]
  draft: boolean
  /** Merge method for auto-merge, or undefined to leave it off. */
  autoMerge?: 'merge' | 'squash' | 'rebase'
  /** Overrides the config's `mass-removal-threshold` when set. */
  massRemovalThreshold?: number
  allowMassRemoval: boolean
  owner: string
  repo: string
  apiUrl: string
}

export class InputError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'InputError'
  }
}

/** Reads and validates every input; errors name the input and what it accepts. */
export function getSettings(env: NodeJS.ProcessEnv = process.env): ActionSettings {
  const workspace = resolve(env.GITHUB_WORKSPACE || process.cwd())
  const repository = env.GITHUB_REPOSITORY ?? ''
  const [owner, repo] = repository.split('/')
  if (!owner || !repo)
    throw new InputError(
      `GITHUB_REPOSITORY '${repository}' is not in the form owner/repo; run this action in a workflow.`
    )
  const token = core.getInput('token')
  if (!token)
    throw new InputError(
      "Input 'token' is empty. Pass a token with contents: write and pull-requests: write (the default is github.token)."
    )
  // Masked by the runner, and redacted from the action's own messages (errors, the report) as well.
  core.setSecret(token)
  registerSecret(token)
  const mode = oneOf('mode', MODES, 'pull-request')
  const autoMerge = oneOf('auto-merge', AUTO_MERGE, 'false')
  const threshold = core.getInput('mass-removal-threshold')
  let massRemovalThreshold: number | undefined
  if (threshold) {
    massRemovalThreshold = Number(threshold.replace(/%$/, '')) / (threshold.endsWith('%') ? 100 : 1)
    if (!Number.isFinite(massRemovalThreshold) || massRemovalThreshold < 0 || massRemovalThreshold > 1) {
      throw new InputError(
        `Input 'mass-removal-threshold' is '${threshold}'; expected a share between 0 and 1 (e.g. 0.25) or a percentage (25%).`
      )
    }
  }
  const branch = core.getInput('branch') || 'permission-snapshot/daily'
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || branch.includes('..') || branch.startsWith('/') || branch.endsWith('/')) {
    throw new InputError(`Input 'branch' is '${branch}'; expected a branch name such as permission-snapshot/daily.`)
  }
  const path = inside(workspace, 'path', core.getInput('path') || DEFAULT_SNAPSHOT_DIR)
  const sources = list('sources')
  if (sources.length > 0 && mode !== 'collect')
    throw new InputError(`Input 'sources' is read only by mode: collect (the mode is '${mode}').`)
  const collectedPath = inside(workspace, 'collected-path', core.getInput('collected-path') || DEFAULT_COLLECTED_DIR)
  if (isWithin(collectedPath, path) || isWithin(path, collectedPath)) {
    throw new InputError(
      `Input 'collected-path' (${relative(workspace, collectedPath)}) and input 'path' (${relative(workspace, path)}) must not contain one another.`
    )
  }
  return {
    configPath: inside(workspace, 'config', core.getInput('config') || DEFAULT_CONFIG_PATH),
    token,
    path: relative(workspace, path).split('\\').join('/'),
    workspace,
    mode,
    sources: sources.includes('all') ? [] : sources,
    collectedPath,
    branch,
    base: core.getInput('base'),
    title: core.getInput('title') || 'Permission changes {date}',
    labels: list('labels'),
    reviewers: list('reviewers'),
    teamReviewers: list('team-reviewers'),
    draft: core.getBooleanInput('draft'),
    autoMerge: autoMerge === 'false' ? undefined : autoMerge,
    massRemovalThreshold,
    allowMassRemoval: core.getBooleanInput('allow-mass-removal'),
    owner,
    repo,
    // GraphQL (auto-merge) is derived from it by Octokit, `/api/v3` → `/api/graphql` on Enterprise Server.
    apiUrl: env.GITHUB_API_URL || 'https://api.github.com'
  }
}

function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
  const value = (core.getInput(name) || fallback).toLowerCase()
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`Input '${name}' is '${value}'; expected one of ${allowed.join(', ')}.`)
  }
  return value as T
}

/** Comma- or newline-separated values, trimmed, empties dropped. */
function list(name: string): string[] {
  return core
    .getInput(name)
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** Whether `path` is `folder` or inside it. */
function isWithin(path: string, folder: string): boolean {
  const rel = relative(folder, path)
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel))
}

/** Resolves a workspace-relative input and refuses anything outside the workspace. */
function inside(workspace: string, name: string, value: string): string {
  const path = resolve(workspace, value)
  const rel = relative(workspace, path)
  if (rel.startsWith('..') || isAbsolute(rel) || rel === '') {
    throw new InputError(`Input '${name}' is '${value}'; it must be a path inside the workspace (${workspace}).`)
  }
  return path
}
