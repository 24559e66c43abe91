import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { branchCommits, inspectPublishTarget, publishSnapshot, readSnapshotAt } from '../../src/publish/index.js'
import {
  DAY1,
  DAY2,
  filesAt,
  history,
  inSnapshots,
  pathsAt,
  pullRequestRun,
  snapshotFiles,
  startHarness,
  type Harness
} from './harness.js'

describe('publishSnapshot in pull-request mode against a real git repository', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ collaborators: ['ada'], teams: ['security'] })
  })
  afterEach(() => h.stop())

  it('day 1 creates the branch from the base head and opens the pull request with a signed commit', async () => {
    const main = await h.repo.headOf('main')
    // Review requests are paced 3 s apart by Octokit's throttling (they notify people), so only this test asks.
    const pullRequest = { ...pullRequestRun(DAY1).pullRequest, reviewers: ['ada'], teamReviewers: ['security'] }
    const result = await publishSnapshot(h.target, pullRequestRun(DAY1, { pullRequest }))
    expect(result).toMatchObject({ changed: true, verified: true, base: 'main', operation: 'created', warnings: [] })
    expect(h.log.lines.join('\n')).toContain(`commit ${result.commitSha}: verified signature (valid)`)

    const clone = await h.repo.clone()
    const branch = 'origin/permission-snapshot/daily'
    expect(await history(clone, branch).then((log) => log[0])).toEqual({ sha: result.commitSha, parents: [main] })
    expect(await filesAt(clone, branch, 'snapshots')).toEqual(snapshotFiles(DAY1))
    // Files outside the snapshot folder are the base's, untouched.
    expect((await filesAt(clone, branch, '.github')).get('permission-snapshot.yml')).toBe('sources: []\n')
    expect(await pathsAt(clone, branch)).toContain('README.md')
    // GitHub's author for a signed App commit is the bot itself.
    const author = await h.repo.git.readCommit(result.commitSha!)
    expect(author.author.name).toBe('permission-snapshot[bot]')

    const pr = h.repo.pulls.get(result.pullRequest!.number)!
    expect(pr).toMatchObject({
      title: 'Permission changes 2026-03-01',
      body: '## Report\n',
      head: 'permission-snapshot/daily',
      base: 'main',
      labels: ['permissions'],
      reviewers: ['ada'],
      teamReviewers: ['security'],
      draft: false
    })
    expect(result.pullRequest).toMatchObject({
      url: `https://github.com/acme/permissions/pull/${pr.number}`,
      headSha: result.commitSha
    })
  })

  it('day 2 with the pull request still open fast-forwards the branch and updates the pull request', async () => {
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY1))
    const state = await inspectPublishTarget(h.target, { mode: 'pull-request', branch: 'permission-snapshot/daily' })
    expect(state.openPull).toMatchObject({ number: day1.pullRequest!.number, branchHeadSha: day1.commitSha })

    // "New since the last run" reads yesterday's head; blobs the caller holds are not downloaded.
    const before = h.sim.count(/\/git\/blobs\//)
    const previous = await readSnapshotAt(h.target, {
      commit: state.openPull!.branchHeadSha,
      path: 'snapshots',
      known: snapshotFiles(DAY2)
    })
    expect(previous).toEqual(snapshotFiles(DAY1))
    expect(h.sim.count(/\/git\/blobs\//) - before).toBe(1)

    const day2 = await publishSnapshot(
      h.target,
      pullRequestRun(DAY2, {
        pullRequest: { title: 'Permission changes 2026-03-02', body: '## New since the last run\n' }
      })
    )
    expect(day2).toMatchObject({
      changed: true,
      operation: 'updated',
      pullRequest: { number: day1.pullRequest!.number }
    })
    const clone = await h.repo.clone()
    const log = await history(clone, 'origin/permission-snapshot/daily')
    expect(log.slice(0, 2)).toEqual([
      { sha: day2.commitSha, parents: [day1.commitSha] },
      { sha: day1.commitSha, parents: [await h.repo.headOf('main')] }
    ])
    expect(h.repo.pulls.get(day1.pullRequest!.number)).toMatchObject({
      title: 'Permission changes 2026-03-02',
      body: '## New since the last run\n',
      state: 'open'
    })
    expect(h.repo.pulls.all).toHaveLength(1)
  })

  it('identical content makes no commit and reports none', async () => {
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY1))
    const commits = h.sim.count(/\/git\/commits$/)
    const again = await publishSnapshot(h.target, pullRequestRun(DAY1))
    expect(again).toMatchObject({
      changed: false,
      operation: 'none',
      pullRequest: { number: day1.pullRequest!.number }
    })
    expect(h.sim.count(/\/git\/commits$/)).toBe(commits)
    expect(await h.repo.headOf('permission-snapshot/daily')).toBe(day1.commitSha)
  })

  it('deletes files that are no longer part of the snapshot, and only those', async () => {
    await publishSnapshot(h.target, pullRequestRun(DAY1))
    const { 'github/acme/groups/platform.yaml': _gone, ...rest } = DAY1
    const result = await publishSnapshot(h.target, pullRequestRun(rest))
    const clone = await h.repo.clone()
    const branch = 'origin/permission-snapshot/daily'
    expect(await filesAt(clone, branch, 'snapshots')).toEqual(snapshotFiles(rest))
    expect(await pathsAt(clone, branch)).toEqual([
      '.github/permission-snapshot.yml',
      'README.md',
      ...Object.keys(rest)
        .map((p) => `snapshots/${p}`)
        .sort()
    ])
    expect(h.log.lines).toContain(`commit ${result.commitSha}: 0 file(s) written, 1 deleted under snapshots/`)
  })

  it('after the pull request was merged, opens a fresh one from the new base head', async () => {
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY1))
    const merged = await h.repo.pulls.merge(day1.pullRequest!.number)
    const day3 = await publishSnapshot(h.target, pullRequestRun(DAY2))
    expect(day3).toMatchObject({ changed: true, operation: 'created' })
    expect(day3.pullRequest!.number).not.toBe(day1.pullRequest!.number)
    const clone = await h.repo.clone()
    expect((await history(clone, 'origin/permission-snapshot/daily'))[0]).toEqual({
      sha: day3.commitSha,
      parents: [merged]
    })
    expect(await filesAt(clone, 'origin/main', 'snapshots')).toEqual(snapshotFiles(DAY1))
    expect(h.log.lines.some((l) => l.startsWith('deleted branch permission-snapshot/daily'))).toBe(true)
  })

  it('closes the pull request when the base branch already holds the snapshot', async () => {
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY2))
    await h.repo.commitFiles('main', inSnapshots(DAY1))
    const result = await publishSnapshot(h.target, pullRequestRun(DAY1))
    expect(result).toMatchObject({
      changed: false,
      operation: 'closed',
      pullRequest: { number: day1.pullRequest!.number }
    })
    expect(h.repo.pulls.get(day1.pullRequest!.number)!.state).toBe('closed')
    // With nothing open and nothing to review, the next run does nothing.
    expect(await publishSnapshot(h.target, pullRequestRun(DAY1))).toMatchObject({ changed: false, operation: 'none' })
    expect(h.repo.pulls.all).toHaveLength(1)
  })
  it('names the unmerged head of a pull request closed without merging, also once its branch is deleted', async () => {
    const inspect = () => inspectPublishTarget(h.target, { mode: 'pull-request', branch: 'permission-snapshot/daily' })
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY1))
    const number = day1.pullRequest!.number
    await h.repo.pulls.close(number)
    expect((await inspect()).unmerged).toEqual({ sha: day1.commitSha, pull: number })
    await h.repo.git.deleteRef('refs/heads/permission-snapshot/daily', day1.commitSha!)
    expect((await inspect()).unmerged).toEqual({ sha: day1.commitSha, pull: number })

    // A merged pull request leaves nothing unmerged, whether its branch stays or not.
    const day2 = await publishSnapshot(h.target, pullRequestRun(DAY2))
    await h.repo.pulls.merge(day2.pullRequest!.number)
    expect(await inspect()).toEqual({ base: 'main', baseSha: await h.repo.headOf('main') })
    // A branch left without any pull request is unmerged too.
    await h.repo.git.deleteRef('refs/heads/permission-snapshot/daily', day2.commitSha!)
    const stray = await h.repo.commitFiles('permission-snapshot/daily', { 'snapshots/x.yaml': 'x\n' })
    expect((await inspect()).unmerged).toEqual({ sha: stray })
  })

  it('lists the branch’s own commits oldest first, paging past 100 and skipping what "Update branch" merged in', async () => {
    const main = await h.repo.headOf('main')
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY1))
    const day2 = await publishSnapshot(h.target, pullRequestRun(DAY2))
    // Someone merges main into the branch from the pull request page.
    const onMain = await h.repo.commitFiles('main', { 'docs.md': 'x\n' })
    const tree = await h.repo.git.mergeTree(day2.commitSha!, onMain)
    const mona = { name: 'Mona Lisa', email: 'mona@users.noreply.github.com' }
    const merge = await h.repo.git.commitTree(tree!, [day2.commitSha!, onMain], 'Merge main', mona)
    // 101 more runs (empty commits keep the test fast: one git process each).
    const { tree: same } = await h.repo.git.readCommit(merge)
    let head = merge
    const more: string[] = []
    for (let i = 0; i < 101; i++) {
      head = await h.repo.git.commitTree(same, [head], `run ${i}`, mona)
      more.push(head)
    }
    await h.repo.git.updateRef('refs/heads/permission-snapshot/daily', head)
    expect(await branchCommits(h.target, main!, head)).toEqual([day1.commitSha, day2.commitSha, merge, ...more])
    expect(h.sim.count(/\/compare\//)).toBe(2)
  })
})
