import { mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readTreeAt } from '../../src/git/read-tree.js'
import { workspace, type Workspace } from '../pipeline/workspace.js'
import { git } from './cli.js'

/** The git plumbing under `diff`: a folder's files at a revision, read through one `git cat-file --batch`. */
describe('readTreeAt', () => {
  let ws: Workspace
  beforeAll(async () => {
    ws = await workspace()
    await git(ws.dir, 'init', '--quiet')
    await ws.write('README.md', 'not a snapshot\n')
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'before the snapshots')
    await ws.write('snapshots/file/a/principals.yaml', 'principals: []\n')
    // Quotes, spaces and multi-byte text in names and contents: -z listing, sizes in bytes.
    await ws.write('snapshots/file/a/groups/Zoë "ops" team.yaml', 'name: Zoë ✓\n')
    await ws.write('snapshots-old/file/a/principals.yaml', 'stale\n')
    await mkdir(path.join(ws.dir, 'sub'))
    await writeFile(path.join(ws.dir, 'sub', 'keep'), '')
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'snapshots')
  })
  afterAll(() => ws.remove())

  const expected = new Map([
    ['file/a/groups/Zoë "ops" team.yaml', 'name: Zoë ✓\n'],
    ['file/a/principals.yaml', 'principals: []\n']
  ])

  it('reads every file under the folder, keyed relative to it, and nothing beside it', async () => {
    expect(await readTreeAt(ws.dir, 'HEAD', 'snapshots')).toEqual(expected)
  })

  it('accepts the folder written as ./snapshots/ and from a sub-folder of the repository', async () => {
    expect(await readTreeAt(ws.dir, 'HEAD', './snapshots/')).toEqual(expected)
    expect(await readTreeAt(path.join(ws.dir, 'sub'), 'HEAD', 'snapshots')).toEqual(expected)
  })

  it('gives an empty tree at a revision without the folder', async () => {
    expect(await readTreeAt(ws.dir, 'HEAD~1', 'snapshots')).toEqual(new Map())
  })

  it('names the folder, the revision and git’s reason when the revision does not exist', async () => {
    await expect(readTreeAt(ws.dir, 'no-such-branch', 'snapshots')).rejects.toThrow(
      /^cannot read 'snapshots' at git revision 'no-such-branch': fatal: Not a valid object name no-such-branch/
    )
  })
})
