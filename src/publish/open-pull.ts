import { call, type PublishTarget } from './target.js'

/** The open pull request of the snapshot branch, as the publishing step needs it. */
export interface OpenPullRequest {
  number: number
  url: string
  /** GraphQL node id, for `enablePullRequestAutoMerge`. */
  nodeId: string
  /** Head sha when listed; the branch ref is the authority (it may have moved since). */
  headSha: string
  /** The branch it merges into. */
  base: string
  title: string
  body: string
  labels: string[]
  autoMergeEnabled: boolean
}

/**
 * The open pull request from `branch`, if any, whatever its base: a pull
 * request into another base still closes when the branch is deleted, so the
 * caller must know about it.
 */
export async function findOpenPullRequest(target: PublishTarget, branch: string): Promise<OpenPullRequest | undefined> {
  const { data } = await call(target, `look for an open pull request from ${branch}`, () =>
    target.client.rest.pulls.list({
      owner: target.owner,
      repo: target.repo,
      head: `${target.owner}:${branch}`,
      state: 'open',
      per_page: 10
    })
  )
  const pr = data[0]
  if (!pr) return undefined
  return {
    number: pr.number,
    url: pr.html_url,
    nodeId: pr.node_id,
    headSha: pr.head.sha,
    base: pr.base.ref,
    title: pr.title,
    body: pr.body ?? '',
    labels: pr.labels.map((l) => l.name ?? '').filter(Boolean),
    autoMergeEnabled: Boolean(pr.auto_merge)
  }
}

/** A pull request of the snapshot branch that was closed, merged or not. */
export interface ClosedPullRequest {
  number: number
  /** The head it had when it was closed: GitHub keeps it (and the commits) after the branch is deleted. */
  headSha: string
  merged: boolean
}

/**
 * The most recently opened pull request from `branch` into `base` that is
 * closed, if any. A list answer has `merged_at`, not `merged`.
 */
export async function lastClosedPullRequest(
  target: PublishTarget,
  branch: string,
  base: string
): Promise<ClosedPullRequest | undefined> {
  const { data } = await call(target, `look for a closed pull request from ${branch}`, () =>
    target.client.rest.pulls.list({
      owner: target.owner,
      repo: target.repo,
      head: `${target.owner}:${branch}`,
      base,
      state: 'closed',
      sort: 'created',
      direction: 'desc',
      per_page: 1
    })
  )
  const pr = data[0]
  return pr && { number: pr.number, headSha: pr.head.sha, merged: pr.merged_at !== null }
}
