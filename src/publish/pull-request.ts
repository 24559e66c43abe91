/**
 * The rolling pull request of the snapshot branch: opened on the first run
 * (title, body, draft, labels, reviewers, team reviewers, auto-merge),
 * updated on later runs while it is open, closed when the base branch already
 * holds the snapshot (like create-pull-request, reference github.md §8.2).
 *
 * Reviewers are requested only when the pull request is opened: a review
 * request notifies, and a reviewer who already reviewed should not be asked
 * again every day. Labels are re-added on update (idempotent). `draft` only
 * applies at creation (the REST API cannot toggle it). Failing to add
 * reviewers, labels or auto-merge does not fail the run: it becomes a warning.
 */
import { limitBody } from './body-limit.js'
import type { CommittedSnapshot } from './branch.js'
import { describeGitHubError, explainGitHubError, isGitHubAnswer } from './errors.js'
import { findOpenPullRequest, type OpenPullRequest } from './open-pull.js'
import { call, type PublishTarget } from './target.js'

export type MergeMethod = 'merge' | 'squash' | 'rebase'

export interface PullRequestSettings {
  title: string
  /** Markdown; cut to GitHub's 65,536-character limit if longer. */
  body: string
  labels?: string[]
  reviewers?: string[]
  teamReviewers?: string[]
  draft?: boolean
  /** Turn on auto-merge with this method (GraphQL `enablePullRequestAutoMerge`). */
  autoMerge?: MergeMethod
}

export type PullRequestOperation = 'created' | 'updated' | 'closed' | 'none'

export interface PullRequestResult {
  operation: PullRequestOperation
  number?: number
  url?: string
  headSha?: string
  /** What did not work without stopping the run (reviewers, labels, auto-merge), with the fix. */
  warnings: string[]
}

/**
 * Brings the pull request in line with a committed snapshot (from
 * `commitSnapshot` in `pull-request` mode). `updated` means the branch got a
 * new commit; with no new commit the operation is `none`, though the title
 * and body are still refreshed when they differ (e.g. a source's failure).
 */
export async function syncPullRequest(
  target: PublishTarget,
  committed: CommittedSnapshot,
  baseBranch: string,
  settings: PullRequestSettings
): Promise<PullRequestResult> {
  const warnings: string[] = []
  const { openPull } = committed
  if (committed.sameAsBase) {
    if (!openPull) return { operation: 'none', warnings }
    await call(target, `close pull request #${openPull.number}`, () =>
      target.client.rest.pulls.update({
        owner: target.owner,
        repo: target.repo,
        pull_number: openPull.number,
        state: 'closed'
      })
    )
    target.log.info(`closed pull request #${openPull.number}: ${baseBranch} already holds this snapshot`)
    return { operation: 'closed', number: openPull.number, url: openPull.url, headSha: committed.headSha, warnings }
  }
  const settled = { ...settings, body: limitBody(settings.body) }
  if (openPull) {
    await update(target, openPull, settled, warnings)
    const operation = committed.commit ? 'updated' : 'none'
    return { operation, number: openPull.number, url: openPull.url, headSha: committed.headSha, warnings }
  }
  const created = await create(target, committed.branch, baseBranch, settled)
  if ('existing' in created) {
    // A racing run opened it between our listing and our create: it carries our branch head now.
    await update(target, created.existing, settled, warnings)
    return {
      operation: 'updated',
      number: created.existing.number,
      url: created.existing.url,
      headSha: committed.headSha,
      warnings
    }
  }
  await addLabels(target, created.number, settled.labels ?? [], warnings)
  await requestReviewers(target, created.number, settled, warnings)
  if (settled.autoMerge) await enableAutoMerge(target, created.number, created.nodeId, settled.autoMerge, warnings)
  target.log.info(`opened pull request #${created.number}: ${created.url}`)
  return { operation: 'created', number: created.number, url: created.url, headSha: committed.headSha, warnings }
}

async function create(
  target: PublishTarget,
  branch: string,
  base: string,
  settings: PullRequestSettings
): Promise<{ number: number; url: string; nodeId: string } | { existing: OpenPullRequest }> {
  try {
    const { data } = await target.client.rest.pulls.create({
      owner: target.owner,
      repo: target.repo,
      head: branch,
      base,
      title: settings.title,
      body: settings.body,
      draft: settings.draft ?? false
    })
    return { number: data.number, url: data.html_url, nodeId: data.node_id }
  } catch (error) {
    if (isGitHubAnswer(error, 422, /A pull request already exists/)) {
      const existing = await findOpenPullRequest(target, branch)
      if (existing) return { existing }
    }
    explainGitHubError(error, `open the pull request from ${branch} into ${base}`, `${target.owner}/${target.repo}`)
  }
}

async function update(target: PublishTarget, pull: OpenPullRequest, settings: PullRequestSettings, warnings: string[]) {
  if (pull.title !== settings.title || pull.body !== settings.body) {
    await call(target, `update pull request #${pull.number}`, () =>
      target.client.rest.pulls.update({
        owner: target.owner,
        repo: target.repo,
        pull_number: pull.number,
        title: settings.title,
        body: settings.body
      })
    )
    target.log.info(`updated pull request #${pull.number}: ${pull.url}`)
  }
  const missing = (settings.labels ?? []).filter((l) => !pull.labels.includes(l))
  await addLabels(target, pull.number, missing, warnings)
  if (settings.autoMerge && !pull.autoMergeEnabled)
    await enableAutoMerge(target, pull.number, pull.nodeId, settings.autoMerge, warnings)
}

/** Runs a non-essential request; a failure becomes a warning carrying GitHub's answer and the fix. */
async function optional(target: PublishTarget, what: string, warnings: string[], request: () => Promise<unknown>) {
  try {
    await request()
  } catch (error) {
    const message = (describeGitHubError(error, what, `${target.owner}/${target.repo}`) ?? (error as Error)).message
    target.log.warn(message)
    warnings.push(message)
  }
}

async function addLabels(target: PublishTarget, number: number, labels: string[], warnings: string[]) {
  if (labels.length === 0) return
  await optional(target, `label pull request #${number}`, warnings, () =>
    target.client.rest.issues.addLabels({ owner: target.owner, repo: target.repo, issue_number: number, labels })
  )
}

async function requestReviewers(
  target: PublishTarget,
  number: number,
  settings: PullRequestSettings,
  warnings: string[]
) {
  const reviewers = settings.reviewers ?? []
  const teamReviewers = settings.teamReviewers ?? []
  if (reviewers.length === 0 && teamReviewers.length === 0) return
  await optional(target, `request reviewers on pull request #${number}`, warnings, () =>
    target.client.rest.pulls.requestReviewers({
      owner: target.owner,
      repo: target.repo,
      pull_number: number,
      reviewers,
      team_reviewers: teamReviewers
    })
  )
}

const ENABLE_AUTO_MERGE = `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!) {
  enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $mergeMethod }) { pullRequest { number } }
}`

async function enableAutoMerge(
  target: PublishTarget,
  number: number,
  nodeId: string,
  method: MergeMethod,
  warnings: string[]
) {
  try {
    await target.client.graphql(ENABLE_AUTO_MERGE, { id: nodeId, mergeMethod: method.toUpperCase() })
    target.log.info(`auto-merge (${method}) enabled on pull request #${number}`)
  } catch (error) {
    const message = `GitHub: could not enable auto-merge on pull request #${number}: ${(error as Error).message.replace(/\s+/g, ' ')}. Turn on "Allow auto-merge" in the repository settings; GitHub also refuses while the pull request can already be merged (protect the base branch with required reviews or checks), and the token needs \`pull-requests: write\` and \`contents: write\`.`
    target.log.warn(message)
    warnings.push(message)
  }
}
