import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startingPoint, startNotices } from '../../src/action/start.js'
import { inspectPublishTarget, publishSnapshot } from '../../src/publish/index.js'
import { inSnapshots, pullRequestRun, snapshotFiles, startHarness, type Harness } from '../publish/harness.js'

const BRANCH = 'permission-snapshot/daily'
/** Merged long ago: acme. */
const BASE = { 'github/acme/principals.yaml': 'acme v1\n' }

describe('the state a publishing run starts from', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    await h.repo.commitFiles('main', inSnapshots(BASE), 'accepted')
  })
  afterEach(() => h.stop())

  const inspect = () => inspectPublishTarget(h.target, { mode: 'pull-request', branch: BRANCH })

  it('is read from the base commit, whatever the workspace holds', async () => {
    const state = await inspect()
    const start = await startingPoint(h.target, state, 'snapshots', snapshotFiles({ 'github/other/x.yaml': 'y\n' }))
    expect(start).toEqual({
      base: snapshotFiles(BASE),
      start: snapshotFiles(BASE),
      reviewFrom: snapshotFiles(BASE),
      unmergedBaselines: []
    })
    expect(h.log.lines).toContain(
      `The checked-out snapshots/ is not main at ${state.baseSha}; starting from main (the commit this run builds on)`
    )
  })

  it('reviews a source the base has no snapshot of from its first snapshot on the branch', async () => {
    // Day 1: hr's baseline; day 2: octopus's baseline (added to the config); day 3: changes to both.
    const day1 = { ...BASE, 'github/acme/principals.yaml': 'acme v2\n', 'file/hr/principals.yaml': 'hr v1\n' }
    const day2 = { ...day1, 'octopus/prod/principals.yaml': 'octopus v1\n', 'file/hr/principals.yaml': 'hr v2\n' }
    const day3 = { ...day2, 'octopus/prod/principals.yaml': 'octopus v2\n', 'file/hr/principals.yaml': 'hr v3\n' }
    const commits: string[] = []
    for (const files of [day1, day2, day3])
      commits.push((await publishSnapshot(h.target, pullRequestRun(files))).commitSha!)

    const start = await startingPoint(h.target, await inspect(), 'snapshots', snapshotFiles(BASE))
    expect(start.start).toEqual(snapshotFiles(day3))
    expect(start.reviewFrom).toEqual(
      snapshotFiles({
        ...BASE,
        'file/hr/principals.yaml': 'hr v1\n',
        'octopus/prod/principals.yaml': 'octopus v1\n'
      })
    )
    expect(start.unmergedBaselines).toEqual([
      { folder: 'file/hr', commit: commits[0] },
      { folder: 'octopus/prod', commit: commits[1] }
    ])
    expect(startNotices(start, 0)).toEqual([
      `The baselines of file/hr (commit ${commits[0]!.slice(0, 7)}); octopus/prod (commit ${commits[1]!.slice(0, 7)}) are not merged yet: everything awaiting review is compared with those first snapshots on this branch, so later changes are still flagged. Merge this pull request to accept the baselines and start reviewing day-to-day changes.`
    ])
  })

  it('reads only the event archive of an unmerged branch it replaces', async () => {
    const closed = {
      ...BASE,
      'github/acme/principals.yaml': 'acme v2\n',
      'github/acme/events/2026-03-01.yaml': 'events: []\n'
    }
    const day1 = await publishSnapshot(h.target, pullRequestRun(closed))
    await h.repo.pulls.close(day1.pullRequest!.number, { deleteBranch: true })
    const start = await startingPoint(h.target, await inspect(), 'snapshots', snapshotFiles(BASE))
    expect(start.carry).toEqual({
      sha: day1.commitSha,
      pull: day1.pullRequest!.number,
      files: snapshotFiles({ 'github/acme/events/2026-03-01.yaml': 'events: []\n' })
    })
    expect(startNotices(start, 2)).toEqual([
      `Carried 2 archived events from the closed pull request #${day1.pullRequest!.number}: it was not merged, this branch replaces it, and the systems may no longer return them.`
    ])
    expect(startNotices(start, 0)).toEqual([])
  })
})
