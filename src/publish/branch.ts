/**
 * Where the snapshot commit goes, and how racing runs (a schedule and a
 * manual dispatch) are kept from losing each other's commits.
 *
 * Mode `pull-request`, a fixed branch:
 * - An open pull request exists for the branch: the new commit's parent is
 *   the branch head, so history accumulates and "new since the last run" is
 *   previous head → new head. The ref moves with `force: false`, a
 *   fast-forward: if a racing run moved the branch meanwhile, GitHub refuses,
 *   and this run re-reads everything and rebuilds on the new head.
 * - No open pull request (first run, or yesterday's was merged or closed):
 *   the commit's parent is the base head and the branch is (re)created. A
 *   leftover branch is deleted first, after checking again that no pull
 *   request has been opened on it (GitHub has no conditional delete, so a
 *   racing run that created the branch but has not opened its pull request
 *   yet can still lose its branch in that window of a few requests; its
 *   pull request then carries this run's snapshot, which is as recent).
 *   Creating the ref answers "Reference already exists" when a racing run
 *   got there first, and this run starts over (and then finds that run's
 *   pull request).
 * - The files equal the base branch's snapshot: nothing is committed; the
 *   caller closes an open pull request.
 * Mode `commit`: the commit goes straight onto the base branch with
 * `force: false`, rebuilt on the new head when a racing run moved it.
 *
 * After `attempts` lost races the run fails with an explanation; commits
 * already on the branch are never overwritten.
 */
import { createSnapshotCommit, snapshotChange, type SnapshotCommit } from './commit.js'
import { isGitHubAnswer } from './errors.js'
import { findOpenPullRequest, type OpenPullRequest } from './open-pull.js'
import { listSnapshot, snapshotFolder } from './snapshot-tree.js'
import { branchHead, commitTree, explain, type PublishTarget } from './target.js'

export type PublishMode = 'pull-request' | 'commit'

export interface CommitSnapshotOptions {
  mode: PublishMode
  /** The branch the snapshot is reviewed against (`pull-request`) or committed to (`commit`). */
  baseBranch: string
  /** The fixed pull-request branch (`pull-request` mode). */
  branch: string
  /** The snapshot folder, e.g. `snapshots`. */
  path: string
  /** The COMPLETE desired content of the folder: relative path → content. */
  files: ReadonlyMap<string, string>
  /**
   * Source folders (`<type>/<name>`, relative to `path`) of sources that did
   * not succeed: whatever `files` says, their state stays exactly as the
   * parent commit holds it, on every rebuild; their event archive is the
   * union of the parent's and `files`'.
   */
  keep?: readonly string[]
  message: string
  /** How many times to rebuild after a racing run moved the branch (default 3). */
  attempts?: number
}

export interface CommittedSnapshot {
  /** The branch that holds the snapshot: the pull-request branch, or the base in `commit` mode. */
  branch: string
  baseSha: string
  /** The new commit; undefined when nothing needed committing. */
  commit?: SnapshotCommit
  /** Head of `branch` after the run; undefined when the pull-request branch was not needed. */
  headSha?: string
  /** The branch head the commit was built on when an open pull request accumulated: the previous run's head. */
  previousHeadSha?: string
  /** The files equal the base branch's snapshot: nothing to review. */
  sameAsBase: boolean
  /** `pull-request` mode: the open pull request of the branch, as found before committing. */
  openPull?: OpenPullRequest
}

/** A racing run moved the branch: read again and rebuild. */
const RACED = 'raced'

export async function commitSnapshot(
  target: PublishTarget,
  options: CommitSnapshotOptions
): Promise<CommittedSnapshot> {
  snapshotFolder(options.path)
  const attempts = options.attempts ?? 3
  const branch = options.mode === 'commit' ? options.baseBranch : options.branch
  for (let attempt = 1; ; attempt++) {
    const outcome =
      options.mode === 'commit' ? await commitOnBase(target, options) : await commitOnPullBranch(target, options)
    if (outcome !== RACED) return outcome
    if (attempt >= attempts)
      throw new Error(
        `${target.owner}/${target.repo}: branch ${branch} kept moving while this run published (${attempts} attempts); another run is probably publishing at the same time. Nothing was overwritten: run again once it has finished.`
      )
    target.log.info(
      `branch ${branch} moved while publishing (another run?); reading it again (attempt ${attempt + 1}/${attempts})`
    )
  }
}

async function readBase(target: PublishTarget, options: CommitSnapshotOptions) {
  const sha = await branchHead(target, options.baseBranch)
  if (!sha)
    throw new Error(
      `${target.owner}/${target.repo} has no branch '${options.baseBranch}': set the \`base\` input to an existing branch`
    )
  const tree = await commitTree(target, sha)
  const current = await listSnapshot(target, tree, options.path)
  return { sha, tree, current, same: !snapshotChange(current, options.files) }
}

/** Moves `ref` to `sha` as a fast-forward only; false when a racing run moved it first. */
async function fastForward(target: PublishTarget, branch: string, sha: string): Promise<boolean> {
  try {
    await target.client.rest.git.updateRef({
      owner: target.owner,
      repo: target.repo,
      ref: `heads/${branch}`,
      sha,
      force: false
    })
    return true
  } catch (error) {
    // "Update is not a fast forward", "Reference cannot be updated", "Reference does not exist".
    if (isGitHubAnswer(error, 422)) return false
    explain(target, `update branch ${branch}`, error)
  }
}

async function commitOnBase(
  target: PublishTarget,
  options: CommitSnapshotOptions
): Promise<CommittedSnapshot | typeof RACED> {
  const base = await readBase(target, options)
  const result = { branch: options.baseBranch, baseSha: base.sha, sameAsBase: base.same }
  if (base.same) return { ...result, headSha: base.sha }
  const commit = await createSnapshotCommit(target, { ...options, parent: base, current: base.current })
  // Only the kept folders differed, and the base holds them as they must stay.
  if (!commit) return { ...result, sameAsBase: true, headSha: base.sha }
  if (!(await fastForward(target, options.baseBranch, commit.sha))) return RACED
  return { ...result, commit, headSha: commit.sha }
}

async function commitOnPullBranch(
  target: PublishTarget,
  options: CommitSnapshotOptions
): Promise<CommittedSnapshot | typeof RACED> {
  const { branch, baseBranch } = options
  const base = await readBase(target, options)
  const openPull = await findOpenPullRequest(target, branch)
  if (openPull && openPull.base !== baseBranch)
    throw new Error(
      `${target.owner}/${target.repo}: branch ${branch} already has open pull request #${openPull.number} into ${openPull.base}, not ${baseBranch}: close it or choose another \`branch\``
    )
  const result = { branch, baseSha: base.sha, sameAsBase: base.same, openPull }

  if (openPull) {
    const head = await branchHead(target, branch)
    // The branch vanished since the pull request was listed (GitHub closes the pull request).
    if (!head) return RACED
    if (base.same) return { ...result, headSha: head }
    const commit = await createSnapshotCommit(target, {
      ...options,
      parent: { sha: head, tree: await commitTree(target, head) }
    })
    if (!commit) return { ...result, headSha: head, previousHeadSha: head }
    if (!(await fastForward(target, branch, commit.sha))) return RACED
    return { ...result, commit, headSha: commit.sha, previousHeadSha: head }
  }

  if (base.same) return { ...result, headSha: undefined }
  const commit = await createSnapshotCommit(target, { ...options, parent: base, current: base.current })
  // Only the kept folders differed, and the base holds them as they must stay: nothing to review.
  if (!commit) return { ...result, sameAsBase: true, headSha: undefined }
  const stale = await branchHead(target, branch)
  if (stale) {
    // A pull request opened since the listing above means a racing run owns the branch now.
    if (await findOpenPullRequest(target, branch)) return RACED
    try {
      await target.client.rest.git.deleteRef({ owner: target.owner, repo: target.repo, ref: `heads/${branch}` })
      target.log.info(`deleted branch ${branch} (was ${stale}): its pull request was merged or closed`)
    } catch (error) {
      // Already deleted by someone else: the create below decides.
      if (!isGitHubAnswer(error, 422) && !isGitHubAnswer(error, 404))
        explain(target, `delete the old branch ${branch}`, error)
    }
  }
  try {
    await target.client.rest.git.createRef({
      owner: target.owner,
      repo: target.repo,
      ref: `refs/heads/${branch}`,
      sha: commit.sha
    })
  } catch (error) {
    if (isGitHubAnswer(error, 422, /already exists/i)) return RACED
    explain(target, `create branch ${branch}`, error)
  }
  return { ...result, commit, headSha: commit.sha }
}
