import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { publishSnapshot, type PublishSnapshotOptions } from '../../src/publish/index.js'
import { DAY1, DAY2, filesAt, history, pullRequestRun, snapshotFiles, startHarness, type Harness } from './harness.js'

describe('racing runs never lose a commit', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness({ collaborators: ['ada'], teams: ['security'] })
  })
  afterEach(() => h.stop())

  it('a racing run that moves the branch between read and update loses nothing: this run rebuilds on its commit', async () => {
    const day1 = await publishSnapshot(h.target, pullRequestRun(DAY1))
    let racing = ''
    h.repo.intercept('PATCH', /\/git\/refs\/heads\/permission-snapshot\/daily$/, async () => {
      racing = await h.repo.commitFiles(
        'permission-snapshot/daily',
        { 'snapshots/github/acme/extra.yaml': 'x\n' },
        'racing run'
      )
    })
    const result = await publishSnapshot(h.target, pullRequestRun(DAY2))
    expect(result).toMatchObject({ changed: true, operation: 'updated' })
    const clone = await h.repo.clone()
    const log = await history(clone, 'origin/permission-snapshot/daily')
    expect(log.slice(0, 3)).toEqual([
      { sha: result.commitSha, parents: [racing] },
      { sha: racing, parents: [day1.commitSha] },
      { sha: day1.commitSha, parents: [await h.repo.headOf('main')] }
    ])
    // The racing run's stray file is not part of the complete snapshot, so this run deletes it.
    expect(await filesAt(clone, 'origin/permission-snapshot/daily', 'snapshots')).toEqual(snapshotFiles(DAY2))
    expect(h.log.lines.some((l) => l.includes('moved while publishing'))).toBe(true)
  })

  it('a racing run that creates the branch first: this run starts over and updates its pull request', async () => {
    let racingPull = 0
    h.repo.intercept('POST', /\/git\/refs$/, async () => {
      const sha = await h.repo.commitFiles('permission-snapshot/daily', {
        'snapshots/github/acme/principals.yaml': 'racing\n'
      })
      void sha
      racingPull = (await publishSnapshot(h.targetWith('ghs_simulated_installation_token'), pullRequestRun(DAY1)))
        .pullRequest!.number
    })
    const result = await publishSnapshot(h.target, pullRequestRun(DAY2))
    expect(result).toMatchObject({ operation: 'updated', pullRequest: { number: racingPull } })
    expect(h.repo.pulls.all.filter((p) => p.state === 'open')).toHaveLength(1)
    const clone = await h.repo.clone()
    expect(await filesAt(clone, 'origin/permission-snapshot/daily', 'snapshots')).toEqual(snapshotFiles(DAY2))
  })

  it('gives up clearly after repeated races, without overwriting the branch', async () => {
    await publishSnapshot(h.target, pullRequestRun(DAY1))
    const moves: string[] = []
    for (let i = 0; i < 3; i++)
      h.repo.intercept('PATCH', /\/git\/refs\/heads\//, async () => {
        moves.push(await h.repo.commitFiles('permission-snapshot/daily', { [`snapshots/r${i}.yaml`]: `${i}\n` }))
      })
    await expect(publishSnapshot(h.target, pullRequestRun(DAY2))).rejects.toThrow(
      /branch permission-snapshot\/daily kept moving while this run published \(3 attempts\).*Nothing was overwritten/
    )
    expect(await h.repo.headOf('permission-snapshot/daily')).toBe(moves[2])
  })
})

describe('publishSnapshot in commit mode', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
  })
  afterEach(() => h.stop())

  const options = (files: Record<string, string>): PublishSnapshotOptions => ({
    mode: 'commit',
    branch: 'unused',
    path: './snapshots/',
    files: snapshotFiles(files),
    message: 'Permission snapshot',
    pullRequest: { title: 'unused', body: '' }
  })

  it('commits straight onto the base branch, rebuilding on a head a racing run moved, and skips identical content', async () => {
    const start = await h.repo.headOf('main')
    const day1 = await publishSnapshot(h.target, options(DAY1))
    expect(day1).toMatchObject({ changed: true, branch: 'main', operation: 'none' })
    let racing = ''
    h.repo.intercept('PATCH', /\/git\/refs\/heads\/main$/, async () => {
      racing = await h.repo.commitFiles('main', { 'docs/notes.md': 'racing\n' })
    })
    const day2 = await publishSnapshot(h.target, options(DAY2))
    expect(await publishSnapshot(h.target, options(DAY2))).toMatchObject({ changed: false, operation: 'none' })
    const clone = await h.repo.clone()
    expect((await history(clone, 'origin/main')).slice(0, 3)).toEqual([
      { sha: day2.commitSha, parents: [racing] },
      { sha: racing, parents: [day1.commitSha] },
      { sha: day1.commitSha, parents: [start] }
    ])
    expect((await filesAt(clone, 'origin/main', 'docs')).get('notes.md')).toBe('racing\n')
    expect(await filesAt(clone, 'origin/main', 'snapshots')).toEqual(snapshotFiles(DAY2))
    expect(h.repo.pulls.all).toHaveLength(0)
  })
  it('writes a nested snapshot folder and leaves its siblings alone', async () => {
    await h.repo.commitFiles('main', { 'data/other.txt': 'keep\n' })
    const result = await publishSnapshot(h.target, { ...options(DAY1), path: 'data/snapshots' })
    expect(result.changed).toBe(true)
    const clone = await h.repo.clone()
    expect(await filesAt(clone, 'origin/main', 'data/snapshots')).toEqual(snapshotFiles(DAY1))
    expect((await filesAt(clone, 'origin/main', 'data')).get('other.txt')).toBe('keep\n')
  })
})
