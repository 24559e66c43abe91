/**
 * The repository the snapshot is published to, and the few reads every
 * publishing step needs (default branch, branch heads, commits). Every call
 * goes through `call`, so a failure always says what was attempted and how to
 * fix it.
 */
import type { GitHubClient } from '../github/octokit.js'
import type { Logger } from '../util/log.js'
import { explainGitHubError, isGitHubAnswer } from './errors.js'

export interface PublishTarget {
  /** From `createGitHubClient` (src/github/octokit.ts): throttling and retries included. */
  client: GitHubClient
  owner: string
  repo: string
  log: Logger
}

/** Rethrows a failed request as an error that names it and the fix. */
export function explain(target: PublishTarget, what: string, error: unknown): never {
  explainGitHubError(error, what, `${target.owner}/${target.repo}`)
}

/** Runs one GitHub request, translating a failure into an error that names the request and the fix. */
export async function call<T>(target: PublishTarget, what: string, request: () => Promise<T>): Promise<T> {
  try {
    return await request()
  } catch (error) {
    explain(target, what, error)
  }
}

export async function defaultBranch(target: PublishTarget): Promise<string> {
  const { data } = await call(target, 'read the repository', () =>
    target.client.rest.repos.get({ owner: target.owner, repo: target.repo })
  )
  return data.default_branch
}

/** The sha `branch` points to, or undefined when the branch does not exist. */
export async function branchHead(target: PublishTarget, branch: string): Promise<string | undefined> {
  try {
    const { data } = await target.client.rest.git.getRef({
      owner: target.owner,
      repo: target.repo,
      ref: `heads/${branch}`
    })
    return data.object.sha
  } catch (error) {
    if (isGitHubAnswer(error, 404)) return undefined
    explain(target, `read branch ${branch}`, error)
  }
}

/** The root tree of a commit. */
export async function commitTree(target: PublishTarget, sha: string): Promise<string> {
  const { data } = await call(target, `read commit ${sha}`, () =>
    target.client.rest.git.getCommit({ owner: target.owner, repo: target.repo, commit_sha: sha })
  )
  return data.tree.sha
}
