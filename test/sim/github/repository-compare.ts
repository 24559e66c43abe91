/**
 * `GET /repos/{owner}/{repo}/compare/{basehead}` of one simulated repository,
 * as GitHub answers it (the `commit-comparison` schema of
 * `@octokit/openapi-types`, operation `repos/compare-commits`):
 * - `basehead` is `BASE...HEAD`, each a branch name or a commit sha; an
 *   unknown one answers 404 "Not Found", unrelated histories 404 "No common
 *   ancestor between BASE and HEAD.".
 * - `commits` are those of `git log BASE..HEAD` in chronological order
 *   (oldest first). Without `per_page` or `page` the list holds at most the
 *   250 most recent ones; with either, it is paged (default 30, at most 100
 *   per page) from the oldest, with a `Link` header.
 * - `status`, `ahead_by`, `behind_by`, `total_commits`, `base_commit` and
 *   `merge_base_commit` as GitHub computes them.
 * Not served: `files` (optional in the schema; GitHub lists at most 300
 * changed files on the first page), so no client of the simulator can come to
 * depend on it.
 */
import type { SimRequest } from '../server.js'
import type { SimRepository } from './repository.js'
import { githubError, paginate } from './rest.js'

/** Without paging parameters GitHub returns at most this many commits: the most recent ones. */
const UNPAGED_COMMITS = 250
const SHA = /^[0-9a-f]{40}$/

/** A branch name or a full commit sha, resolved to a commit; undefined when neither. */
async function resolve(repo: SimRepository, rev: string): Promise<string | undefined> {
  const branch = await repo.headOf(rev)
  if (branch) return branch
  return SHA.test(rev) && (await repo.git.typeOf(rev)) === 'commit' ? rev : undefined
}

/** One entry of `commits` (schema `commit`): what the REST API shows of a commit. */
async function commitJson(req: SimRequest, repo: SimRepository, sha: string) {
  const git = await repo.commitJson(req, await repo.git.readCommit(sha))
  return {
    url: repo.apiUrl(req, `/commits/${sha}`),
    sha,
    node_id: git.node_id,
    html_url: repo.htmlUrl(`/commit/${sha}`),
    comments_url: repo.apiUrl(req, `/commits/${sha}/comments`),
    commit: {
      url: git.url,
      author: git.author,
      committer: git.committer,
      message: git.message,
      comment_count: 0,
      tree: git.tree,
      verification: git.verification
    },
    // Only commits whose e-mail belongs to a GitHub account name one; the simulator knows no accounts.
    author: null,
    committer: null,
    parents: git.parents.map((p) => ({ sha: p.sha, url: repo.apiUrl(req, `/commits/${p.sha}`), html_url: p.html_url }))
  }
}

export function mountCompare(repo: SimRepository): void {
  repo.route('GET', '/compare/*', async (req) => {
    const basehead = req.params.rest ?? ''
    const split = basehead.indexOf('...')
    if (split <= 0 || split + 3 >= basehead.length) return githubError(404, 'Not Found')
    const [baseRev, headRev] = [basehead.slice(0, split), basehead.slice(split + 3)]
    const [base, head] = [await resolve(repo, baseRev), await resolve(repo, headRev)]
    if (!base || !head) return githubError(404, 'Not Found')
    const mergeBase = await repo.git.mergeBase(base, head)
    if (!mergeBase) return githubError(404, `No common ancestor between ${baseRev} and ${headRev}.`)
    const ahead = await repo.git.commitsBetween(base, head)
    const behind = await repo.git.commitsBetween(head, base)
    const status =
      ahead.length === 0 && behind.length === 0
        ? 'identical'
        : behind.length === 0
          ? 'ahead'
          : ahead.length === 0
            ? 'behind'
            : 'diverged'
    const paged = req.query.has('per_page') || req.query.has('page')
    const listed = paged
      ? paginate(req, ahead)
      : { json: ahead.slice(-UNPAGED_COMMITS), headers: {} as Record<string, string> }
    const commits = await Promise.all((listed.json as string[]).map((sha) => commitJson(req, repo, sha)))
    return {
      headers: listed.headers,
      json: {
        url: repo.apiUrl(req, `/compare/${basehead}`),
        html_url: repo.htmlUrl(`/compare/${basehead}`),
        permalink_url: repo.htmlUrl(`/compare/${repo.owner}:${base}...${repo.owner}:${head}`),
        diff_url: repo.htmlUrl(`/compare/${basehead}.diff`),
        patch_url: repo.htmlUrl(`/compare/${basehead}.patch`),
        base_commit: await commitJson(req, repo, base),
        merge_base_commit: await commitJson(req, repo, mergeBase),
        status,
        ahead_by: ahead.length,
        behind_by: behind.length,
        total_commits: ahead.length,
        commits
      }
    }
  })
}
