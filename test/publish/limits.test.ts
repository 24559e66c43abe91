import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { publishSnapshot } from '../../src/publish/index.js'
import { DAY1, filesAt, pullRequestRun, snapshotFiles, startHarness, type Harness } from './harness.js'

describe('GitHub’s size limits and refusals', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ collaborators: ['ada'], teams: ['security'] })
  })
  afterEach(() => h.stop())

  it('keeps the body under GitHub’s limit and turns reviewer refusals into warnings', async () => {
    const body = 'line of the report\n'.repeat(5_000)
    const pullRequest = { title: 'T', body, reviewers: ['mallory'] }
    const result = await publishSnapshot(h.target, pullRequestRun(DAY1, { pullRequest }))
    const pr = h.repo.pulls.get(result.pullRequest!.number)!
    expect(pr.body!.length).toBeLessThanOrEqual(65_536)
    expect(pr.body).toContain('every change is in **Files changed**')
    expect(result.warnings).toHaveLength(1)
    expect(result.warnings[0]).toMatch(
      /could not request reviewers on pull request #1: POST \/repos\/acme\/permissions\/pulls\/1\/requested_reviewers answered 422: Reviews may only be requested from collaborators/
    )
  })

  it('lists a large snapshot folder when GitHub truncates the recursive listing, and writes big trees in chunks', async () => {
    h.repo.options.treeLimit = 50
    const many: Record<string, string> = Object.fromEntries(
      Array.from({ length: 230 }, (_, i) => [`github/acme/scopes/repository/r${i}.yaml`, `grants: [${i}]\n`])
    )
    many['github/acme/principals.yaml'] = `principals:\n${'  - id: U_x\n'.repeat(30_000)}`
    await publishSnapshot(h.target, pullRequestRun(many))
    const posts = (suffix: string) =>
      h.sim.requests.filter((r) => r.method === 'POST' && r.path.endsWith(suffix)).length
    // 231 files in 100-entry trees; the one file too large to inline goes up as a blob.
    expect([posts('/git/trees'), posts('/git/blobs')]).toEqual([3, 1])
    const { 'github/acme/scopes/repository/r7.yaml': _gone, ...fewer } = many
    await publishSnapshot(h.target, pullRequestRun(fewer))
    expect(h.log.lines).toContain("the listing of 'snapshots' was truncated by GitHub; walking it folder by folder")
    const clone = await h.repo.clone()
    expect(await filesAt(clone, 'origin/permission-snapshot/daily', 'snapshots')).toEqual(snapshotFiles(fewer))
  })
})
