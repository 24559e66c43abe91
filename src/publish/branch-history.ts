/**
 * The commits a pull request branch adds to its base, oldest first, through
 * the compare API (reference: `repos/compare-commits` in
 * @octokit/openapi-types). Without paging parameters GitHub returns only the
 * 250 most recent commits, so every request pages (from the oldest); the
 * order comes from the parent links, not from commit dates.
 */
import { call, type PublishTarget } from './target.js'

const PER_PAGE = 100

/** The first-parent line of commits from `head` back to where it left `base`, oldest first. */
export async function branchCommits(target: PublishTarget, base: string, head: string): Promise<string[]> {
  const parents = new Map<string, string | undefined>()
  for (let page = 1; ; page++) {
    const { data } = await call(target, `compare ${base}...${head}`, () =>
      target.client.rest.repos.compareCommitsWithBasehead({
        owner: target.owner,
        repo: target.repo,
        basehead: `${base}...${head}`,
        per_page: PER_PAGE,
        page
      })
    )
    for (const commit of data.commits) parents.set(commit.sha, commit.parents[0]?.sha)
    if (data.commits.length < PER_PAGE || parents.size >= data.total_commits) break
  }
  // Back from the head along first parents while still on the branch: commits merged in from elsewhere
  // ("Update branch" merges the base into it) are not snapshot commits.
  const line: string[] = []
  for (let sha: string | undefined = head; sha && parents.has(sha); sha = parents.get(sha)) line.push(sha)
  return line.reverse()
}
