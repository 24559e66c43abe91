/**
 * The publishing step end to end: commit the snapshot folder, then open,
 * update or close the pull request (mode `pull-request`), or commit straight
 * onto the base branch (mode `commit`). `inspectPublishTarget` comes first
 * when the caller needs the previous state (the base's snapshot, and the
 * open pull request's head for "new since the last run") to write the report.
 */
import { commitSnapshot, type PublishMode } from './branch.js'
import { findOpenPullRequest, lastClosedPullRequest, type OpenPullRequest } from './open-pull.js'
import { syncPullRequest, type PullRequestOperation, type PullRequestSettings } from './pull-request.js'
import { branchHead, defaultBranch, type PublishTarget } from './target.js'

export interface PublishState {
  /** The base branch: as configured, or the repository's default branch. */
  base: string
  baseSha: string
  /** `pull-request` mode: the open pull request of the branch, with its branch head (yesterday's snapshot). */
  openPull?: OpenPullRequest & { branchHeadSha: string }
  /**
   * `pull-request` mode, no open pull request: the last snapshot of a branch
   * that was not merged (its pull request was closed without merging, or the
   * branch was left without one), which this run replaces with a fresh branch
   * from the base. Its event archive must be carried forward. `pull` is the
   * closed pull request it belonged to.
   */
  unmerged?: { sha: string; pull?: number }
}

/** Where publishing will start from: the base branch's head and, in `pull-request` mode, the open pull request. */
export async function inspectPublishTarget(
  target: PublishTarget,
  options: { mode: PublishMode; base?: string; branch: string }
): Promise<PublishState> {
  const base = options.base || (await defaultBranch(target))
  const baseSha = await branchHead(target, base)
  if (!baseSha)
    throw new Error(
      `${target.owner}/${target.repo} has no branch '${base}': set the \`base\` input to an existing branch`
    )
  if (options.mode !== 'pull-request') return { base, baseSha }
  const pull = await findOpenPullRequest(target, options.branch)
  const head = await branchHead(target, options.branch)
  if (pull)
    return { base, baseSha, ...(pull.base === base && head ? { openPull: { ...pull, branchHeadSha: head } } : {}) }
  // The branch may already be gone ("delete branch on merge", or by hand): a closed pull request keeps its head.
  const closed = await lastClosedPullRequest(target, options.branch, base)
  const sha = head ?? (closed && !closed.merged ? closed.headSha : undefined)
  if (!sha || (closed?.merged && closed.headSha === sha)) return { base, baseSha }
  return { base, baseSha, unmerged: { sha, ...(closed?.headSha === sha ? { pull: closed.number } : {}) } }
}

export interface PublishSnapshotOptions {
  mode: PublishMode
  /** Default: the repository's default branch. */
  base?: string
  /** The fixed pull-request branch, e.g. `permission-snapshot/daily`. */
  branch: string
  /** The snapshot folder, e.g. `snapshots`. */
  path: string
  /** The COMPLETE desired content of the folder: relative path → content. */
  files: ReadonlyMap<string, string>
  /** Folders of sources that did not succeed: kept as the parent commit holds them (see `commitSnapshot`). */
  keep?: readonly string[]
  /** Commit message (write logins without `@`: a commit message notifies). */
  message: string
  /** Used in `pull-request` mode. */
  pullRequest: PullRequestSettings
  /** How many times to rebuild after a racing run moved the branch (default 3). */
  attempts?: number
}

export interface PublishResult {
  /** A commit was made. */
  changed: boolean
  commitSha?: string
  /** GitHub's `verification.verified` for the new commit. */
  verified?: boolean
  base: string
  /** The branch that holds the snapshot. */
  branch: string
  operation: PullRequestOperation
  pullRequest?: { number: number; url: string; headSha?: string }
  warnings: string[]
}

export async function publishSnapshot(target: PublishTarget, options: PublishSnapshotOptions): Promise<PublishResult> {
  const base = options.base || (await defaultBranch(target))
  const committed = await commitSnapshot(target, { ...options, baseBranch: base })
  const result = {
    changed: committed.commit !== undefined,
    commitSha: committed.commit?.sha,
    verified: committed.commit?.verified,
    base,
    branch: committed.branch
  }
  if (options.mode === 'commit') return { ...result, operation: 'none', warnings: [] }
  const pull = await syncPullRequest(target, committed, base, options.pullRequest)
  return {
    ...result,
    operation: pull.operation,
    ...(pull.number !== undefined && pull.url !== undefined
      ? { pullRequest: { number: pull.number, url: pull.url, headSha: pull.headSha } }
      : {}),
    warnings: pull.warnings
  }
}
