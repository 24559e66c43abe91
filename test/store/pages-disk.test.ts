import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { prepareState, renderPages } from '../../src/pages/pages.js'
import { compareSnapshotTrees } from '../../src/pipeline/compare-trees.js'
import { readSnapshot, writeSnapshot } from '../../src/store/disk.js'
import { readFolder } from '../../src/store/folder.js'
import { isPage } from '../../src/store/page-files.js'
import { writePages } from '../../src/store/pages-disk.js'
import { parseSnapshot, renderSnapshot } from '../../src/store/snapshot-files.js'

const source = { type: 'github', name: 'acme' }
const snapshot = (members: number): Snapshot => ({
  source,
  principals: Array.from({ length: members }, (_, i) => ({ id: `U${i}`, name: `user-${i}`, kind: 'user' as const })),
  groups: [
    {
      id: 'T1',
      name: 'Platform',
      members: Array.from({ length: members }, (_, i) => ({ id: `U${i}`, role: 'member' }))
    }
  ],
  roles: [{ id: 'write', name: 'write', permissions: [], privilege: 'write' }],
  scopes: [{ id: 'R1', type: 'repository', name: 'api' }],
  grants: [{ subject: { type: 'group', id: 'T1' }, role: 'write', scope: 'R1' }]
})

describe('pages beside the stored state', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'pages-'))
  })
  afterEach(() => rm(root, { recursive: true, force: true }))

  it('are told from state by path', () => {
    for (const page of [
      'README.md',
      'people.md',
      'people/a.md',
      'github/acme/README.md',
      'github/acme/pages/groups/x.md'
    ])
      expect(isPage(page), page).toBe(true)
    for (const state of [
      'github/acme/principals.yaml',
      'github/acme/groups/README.md',
      'github/acme/events/2026-01-01.yaml',
      'notes.md'
    ])
      expect(isPage(state), state).toBe(false)
  })

  it('are written only when their bytes change, and stale split pages are deleted', async () => {
    await writeSnapshot(root, snapshot(40))
    const split = renderPages(prepareState([snapshot(40)]), 2_000)
    expect([...split.keys()].some((p) => p.startsWith('github/acme/pages/'))).toBe(true)
    expect(await writePages(root, split)).toEqual([...split.keys()])
    expect(await writePages(root, split)).toEqual([])

    // Smaller again: one page per source, the split pages go.
    const whole = renderPages(prepareState([snapshot(2)]))
    const changed = await writePages(root, whole)
    expect(changed).toEqual(expect.arrayContaining([...split.keys()].filter((p) => p.includes('/pages/'))))
    const folder = await readFolder(root)
    expect([...folder.keys()].filter(isPage)).toEqual([...whole.keys()])
    // The state was not touched.
    expect(await readSnapshot(root, source)).toEqual(parseSnapshot(renderSnapshot(snapshot(40)), source))
  })

  it('refuse a path that is not a page, and leave a hand-written README alone when there is nothing to write', async () => {
    await expect(writePages(root, new Map([['github/acme/principals.yaml', 'x']]))).rejects.toThrow(/not a page path/)
    await writeFile(path.join(root, 'README.md'), '# Hand-written\n')
    expect(await writePages(root, new Map())).toEqual([])
    expect(await readFile(path.join(root, 'README.md'), 'utf8')).toBe('# Hand-written\n')
  })

  it('survive writing the state, are not read as state, and are no change to compare', async () => {
    await writeSnapshot(root, snapshot(3))
    await writePages(root, renderPages(prepareState([snapshot(3)]), 2_000))
    await mkdir(path.join(root, 'github/acme/pages/extra'), { recursive: true })
    await writeFile(path.join(root, 'github/acme/pages/extra/note.md'), 'x')
    const before = await readFolder(root)
    await writeSnapshot(root, snapshot(3))
    expect(await readFolder(root)).toEqual(before)
    expect(await readSnapshot(root, source)).toEqual(parseSnapshot(renderSnapshot(snapshot(3)), source))
    // A change of the pages alone (another layout) is no change of permissions.
    const after = new Map(before)
    after.set('github/acme/README.md', '# something else\n')
    after.set('people.md', '# others\n')
    const [outcome] = compareSnapshotTrees(before, after, 0.25).outcomes
    expect(outcome!.files).toEqual([])
    expect(outcome!.changes!.grants.added).toEqual([])
  })
})
