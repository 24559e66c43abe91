import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { publishSnapshot, type PublishSnapshotOptions } from '../../src/publish/index.js'
import { renderEventDay } from '../../src/store/events-files.js'
import { filesAt, inSnapshots, pullRequestRun, snapshotFiles, startHarness, type Harness } from './harness.js'

const BRANCH = 'permission-snapshot/daily'
const event = (id: string, time: string) => ({
  id,
  time,
  actor: { id: 'a', name: 'alice' },
  action: 'team.add_member',
  target: { type: 'team', id: 'T_1' }
})
const day = (...ids: string[]) => renderEventDay(ids.map((id, i) => event(id, `2026-03-01T0${i}:00:00Z`)))

/** Two sources on the base: `acme` succeeds today, `mirror` failed and must keep what its parent holds. */
const BASE = {
  'github/acme/principals.yaml': 'principals:\n  - id: U_1\n    name: ada\n',
  'github/mirror/principals.yaml': 'principals:\n  - id: U_9\n    name: grace\n',
  'github/mirror/scopes/repository/api.yaml': 'grants: []\n'
}
const TODAY = {
  'github/acme/principals.yaml': 'principals:\n  - id: U_1\n    name: ada\n  - id: U_2\n    name: alan\n'
}

describe('a source that did not succeed keeps exactly its parent commit’s folder', () => {
  let h: Harness
  beforeEach(async () => {
    h = await startHarness()
    await h.repo.commitFiles('main', inSnapshots(BASE), 'snapshot accepted')
  })
  afterEach(() => h.stop())

  const run = (files: Record<string, string>, extra: Partial<PublishSnapshotOptions> = {}) =>
    publishSnapshot(h.target, pullRequestRun(files, { keep: ['github/mirror'], ...extra }))

  it('is never dropped when the run’s files lack its folder (a stale checkout)', async () => {
    const result = await run(TODAY)
    expect(result).toMatchObject({ changed: true, operation: 'created' })
    const clone = await h.repo.clone()
    expect(await filesAt(clone, `origin/${BRANCH}`, 'snapshots')).toEqual(snapshotFiles({ ...BASE, ...TODAY }))
  })

  it('comes from the new parent when the base moved after the run read it; the others’ files go on top', async () => {
    // The run read the base with the first mirror state; then a merge changed mirror and added a file.
    const runFiles = { ...BASE, ...TODAY }
    const moved = {
      'github/mirror/principals.yaml': 'principals:\n  - id: U_9\n    name: grace-hopper\n',
      'github/mirror/groups/ops.yaml': 'id: T_2\nmembers: []\n'
    }
    await h.repo.commitFiles('main', inSnapshots(moved), 'merged meanwhile')
    await run(runFiles)
    const clone = await h.repo.clone()
    expect(await filesAt(clone, `origin/${BRANCH}`, 'snapshots')).toEqual(
      snapshotFiles({ ...BASE, ...moved, ...TODAY })
    )
  })

  it('takes nothing from the run’s files for that folder, yet unions its event archive with the parent’s', async () => {
    await h.repo.commitFiles('main', inSnapshots({ 'github/mirror/events/2026-03-01.yaml': day('e1', 'e2') }))
    const result = await run({
      ...BASE,
      ...TODAY,
      'github/mirror/principals.yaml': 'tampered\n',
      'github/mirror/scopes/repository/web.yaml': 'grants: []\n',
      // Archived events carried from a closed pull request: e3 on a day the parent has, e4 on a new day.
      'github/mirror/events/2026-03-01.yaml': day('e1', 'e3'),
      'github/mirror/events/2026-03-02.yaml': renderEventDay([event('e4', '2026-03-02T01:00:00Z')])
    })
    expect(result.changed).toBe(true)
    const clone = await h.repo.clone()
    const files = await filesAt(clone, `origin/${BRANCH}`, 'snapshots')
    expect(files.get('github/mirror/principals.yaml')).toBe(BASE['github/mirror/principals.yaml'])
    expect(files.has('github/mirror/scopes/repository/web.yaml')).toBe(false)
    expect(files.get('github/mirror/events/2026-03-01.yaml')).toBe(
      renderEventDay([
        event('e1', '2026-03-01T00:00:00Z'),
        event('e2', '2026-03-01T01:00:00Z'),
        event('e3', '2026-03-01T01:00:00Z')
      ])
    )
    expect(files.get('github/mirror/events/2026-03-02.yaml')).toContain('id: e4')
  })

  it('on an open pull request, comes from the head a racing run moved the branch to', async () => {
    await run({ ...BASE, ...TODAY })
    const racing = { 'snapshots/github/mirror/principals.yaml': 'principals:\n  - id: U_9\n    name: racing\n' }
    h.repo.intercept('PATCH', /\/git\/refs\/heads\/permission-snapshot\/daily$/, async () => {
      await h.repo.commitFiles(BRANCH, racing, 'racing run')
    })
    const later = { 'github/acme/principals.yaml': 'principals: []\n' }
    const result = await run({ ...BASE, ...later })
    expect(result).toMatchObject({ changed: true, operation: 'updated' })
    const clone = await h.repo.clone()
    const files = await filesAt(clone, `origin/${BRANCH}`, 'snapshots')
    expect(files.get('github/mirror/principals.yaml')).toBe(racing['snapshots/github/mirror/principals.yaml'])
    expect(files.get('github/acme/principals.yaml')).toBe('principals: []\n')
  })

  it('makes no commit and no pull request when only the kept folder differs from the base', async () => {
    const result = await run({ ...BASE, 'github/mirror/principals.yaml': 'stale\n' })
    expect(result).toMatchObject({ changed: false, operation: 'none' })
    expect(await h.repo.headOf(BRANCH)).toBeUndefined()
    expect(h.repo.pulls.all).toEqual([])
  })

  it('keeps the parent’s folder in commit mode too', async () => {
    const result = await run(TODAY, { mode: 'commit' })
    expect(result.changed).toBe(true)
    const clone = await h.repo.clone()
    expect(await filesAt(clone, 'origin/main', 'snapshots')).toEqual(snapshotFiles({ ...BASE, ...TODAY }))
  })
})
