import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, symlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { canonicalSnapshot } from '../../src/store/canonical.js'
import { ATTRIBUTES, writeAttributes } from '../../src/store/attributes.js'
import { appendEvents, listSources, readSnapshot, sourceDir, writeSnapshot } from '../../src/store/disk.js'
import { readFolder, replaceFolder } from '../../src/store/folder.js'
import { snapshotArb } from './arbitraries.js'

const source = { type: 'github', name: 'acme' }

function snapshot(groups: string[], scopes: string[]): Snapshot {
  return {
    source,
    principals: [{ id: 'U_1', name: 'alice', kind: 'user' }],
    roles: [{ id: 'admin', name: 'Admin', permissions: [] }],
    groups: groups.map((name, i) => ({ id: `T_${i}`, name, members: [{ id: 'U_1', role: 'member' }] })),
    scopes: scopes.map((name, i) => ({ id: `R_${i}`, type: 'repository', name })),
    grants: scopes.map((_, i) => ({ subject: { type: 'group', id: 'T_0' }, role: 'admin', scope: `R_${i}` }))
  }
}

/** Every file under `dir`, relative, posix. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true })
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
}

describe('store on disk', () => {
  let root: string
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'store-'))
  })
  afterEach(() => rm(root, { recursive: true, force: true }))

  it('reads back what it wrote', async () => {
    const s = snapshot(['Admins', 'admins', '../../etc'], ['api', 'web'])
    const { changed, removed } = await writeSnapshot(root, s)
    expect(removed).toEqual([])
    expect(changed).toEqual(await tree(root))
    expect(changed).toContain('github/acme/groups/Admins~T_0.yaml')
    expect(changed).toContain('github/acme/groups/etc.yaml')
    expect(await readSnapshot(root, source)).toEqual(canonicalSnapshot(s))
  })

  it('round-trips generated snapshots with hostile strings through real files', async () => {
    await fc.assert(
      fc.asyncProperty(snapshotArb, async (s) => {
        await writeSnapshot(root, s)
        expect(await readSnapshot(root, source)).toEqual(canonicalSnapshot(s))
        // Nothing escaped the source folder, and every file name is plain and safe.
        for (const file of await tree(root)) {
          expect(file.startsWith('github/acme/')).toBe(true)
          for (const segment of file.split('/')) expect(segment).toMatch(/^[A-Za-z0-9_~][A-Za-z0-9._~-]{0,99}$/)
        }
      }),
      { numRuns: 30 }
    )
  })

  it('returns undefined for a source never written, even when it has events', async () => {
    expect(await readSnapshot(root, source)).toBeUndefined()
    await appendEvents(root, source, [{ id: 'e1', time: '2024-01-01T00:00:00Z', action: 'x' }])
    expect(await readSnapshot(root, source)).toBeUndefined()
  })

  it('removes the files of entities that disappeared, empty folders too, and leaves events alone', async () => {
    await writeSnapshot(root, {
      ...snapshot(['Admins', 'Ops'], ['api']),
      scopes: [
        { id: 'O_1', type: 'organization', name: 'acme' },
        { id: 'R_0', type: 'repository', name: 'api' }
      ]
    })
    await appendEvents(root, source, [{ id: 'e1', time: '2024-01-01T00:00:00Z', action: 'x' }])
    const eventsBefore = await readFile(path.join(root, 'github/acme/events/2024-01-01.yaml'), 'utf8')
    const { changed, removed } = await writeSnapshot(root, snapshot(['Admins'], ['api']))
    expect(removed).toEqual(['github/acme/groups/Ops.yaml', 'github/acme/scopes/organization/acme.yaml'])
    expect(changed).toEqual([])
    expect(await tree(root)).toEqual([
      'github/acme/events/2024-01-01.yaml',
      'github/acme/groups/Admins.yaml',
      'github/acme/principals.yaml',
      'github/acme/roles.yaml',
      'github/acme/scopes/repository/api.yaml'
    ])
    expect(await readdir(path.join(root, 'github/acme/scopes'))).toEqual(['repository'])
    expect(await readFile(path.join(root, 'github/acme/events/2024-01-01.yaml'), 'utf8')).toBe(eventsBefore)
  })

  it('rewrites only files whose bytes changed', async () => {
    await writeSnapshot(root, snapshot(['Admins', 'Ops'], ['api', 'web']))
    const old = new Date('2001-01-01T00:00:00Z')
    for (const file of await tree(root)) await utimes(path.join(root, file), old, old)
    const renamed = snapshot(['Admins', 'Operations'], ['api', 'web'])
    const { changed, removed } = await writeSnapshot(root, renamed)
    expect(changed).toEqual(['github/acme/groups/Operations.yaml'])
    expect(removed).toEqual(['github/acme/groups/Ops.yaml'])
    for (const file of await tree(root)) {
      const touched = file === 'github/acme/groups/Operations.yaml'
      expect((await stat(path.join(root, file))).mtime.getTime() === old.getTime(), file).toBe(!touched)
    }
    expect(await writeSnapshot(root, renamed)).toEqual({ changed: [], removed: [] })
  })

  it('follows a rename that only changes case without losing the file', async () => {
    await writeSnapshot(root, snapshot(['Admins'], []))
    await writeSnapshot(root, snapshot(['admins'], []))
    expect(await tree(path.join(root, 'github/acme/groups'))).toEqual(['admins.yaml'])
    expect((await readSnapshot(root, source))?.groups[0]?.name).toBe('admins')
  })

  it('lists a folder of any size: its stack use does not grow with the files of one folder', async () => {
    // Spreading a folder's list into a call puts every name on the stack: past about 125,000 files
    // with the default stack, past about 10,000 with the tenth of it the child below runs with.
    const files = 20_000
    const folder = path.join(sourceDir(root, source), 'scopes', 'repository')
    await mkdir(folder, { recursive: true })
    for (let i = 0; i < files; i += 500) {
      const names = Array.from({ length: Math.min(500, files - i) }, (_, j) => `repo-${i + j}.yaml`)
      await Promise.all(names.map((name) => writeFile(path.join(folder, name), '')))
    }
    const child = fileURLToPath(new URL('./list-files-child.ts', import.meta.url))
    const { stdout } = await promisify(execFile)(process.execPath, [
      '--stack-size=100',
      '--import',
      'tsx',
      child,
      sourceDir(root, source),
      'scopes'
    ])
    expect(JSON.parse(stdout)).toEqual({ files })
  }, 60_000)

  it('refuses to write through a planted symbolic link', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'outside-'))
    try {
      await mkdir(path.join(root, 'github/acme'), { recursive: true })
      await symlink(outside, path.join(root, 'github/acme/groups'))
      await expect(writeSnapshot(root, snapshot(['Admins'], []))).rejects.toThrow(/symbolic link/)
      await rm(path.join(root, 'github'), { recursive: true })
      await symlink(outside, path.join(root, 'github'))
      await expect(writeSnapshot(root, snapshot(['Admins'], []))).rejects.toThrow(/github is a symbolic link/)
      expect(await readdir(outside)).toEqual([])
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })

  it('ignores hidden files and leftovers of an interrupted write, and cleans the leftovers up', async () => {
    const s = snapshot(['Admins'], ['api'])
    await writeSnapshot(root, s)
    await writeFile(path.join(root, 'github/acme/groups/.gitkeep'), '')
    await writeFile(path.join(root, 'github/acme/groups/Ops.yaml.4242.tmp'), 'id: T_9\nna')
    expect(await readSnapshot(root, source)).toEqual(canonicalSnapshot(s))
    expect(await writeSnapshot(root, s)).toEqual({ changed: [], removed: ['github/acme/groups/Ops.yaml.4242.tmp'] })
    expect((await readdir(path.join(root, 'github/acme/groups'))).sort()).toEqual(['.gitkeep', 'Admins.yaml'])
  })

  it("writes the folder's .gitattributes once, reads it for publishing, and replaces it with a commit's folder", async () => {
    await writeSnapshot(root, snapshot(['Admins'], ['api']))
    expect(await writeAttributes(root)).toBe(true)
    expect(await readFile(path.join(root, '.gitattributes'), 'utf8')).toBe(ATTRIBUTES)
    expect(await writeAttributes(root)).toBe(false)
    const folder = await readFolder(root)
    expect(folder.get('.gitattributes')).toBe(ATTRIBUTES)
    // Other hidden files are not the store's and are not published.
    await writeFile(path.join(root, '.gitkeep'), '')
    expect([...(await readFolder(root)).keys()]).toEqual([...folder.keys()])

    // Replacing the folder with a commit's files writes it, or removes it when the commit has none.
    await replaceFolder(root, new Map([...folder].filter(([file]) => file !== '.gitattributes')))
    expect((await readFolder(root)).has('.gitattributes')).toBe(false)
    await replaceFolder(root, folder)
    expect(await readFolder(root)).toEqual(folder)
  })

  it('refuses a planted link in place of .gitattributes', async () => {
    const outside = await mkdtemp(path.join(tmpdir(), 'outside-'))
    try {
      await mkdir(root, { recursive: true })
      await symlink(path.join(outside, 'x'), path.join(root, '.gitattributes'))
      await expect(writeAttributes(root)).rejects.toThrow(/not a plain file/)
      await expect(readFolder(root)).rejects.toThrow(/not a plain file/)
      expect(await readdir(outside)).toEqual([])
    } finally {
      await rm(outside, { recursive: true, force: true })
    }
  })

  it('names the file when a stored file is malformed', async () => {
    await writeSnapshot(root, snapshot(['Admins'], ['api']))
    await writeFile(
      path.join(root, 'github/acme/scopes/repository/api.yaml'),
      'id: R_0\ntype: repository\ngrants: []\n'
    )
    await expect(readSnapshot(root, source)).rejects.toThrow(
      'github/acme/scopes/repository/api.yaml: name: expected a string, found undefined'
    )
  })

  it('keeps every source in its own folder and lists what is stored', async () => {
    await writeSnapshot(root, snapshot(['Admins'], []))
    await writeSnapshot(root, { ...snapshot([], []), source: { type: 'octopus', name: 'prod' } })
    await appendEvents(root, { type: 'uipath', name: 'eu' }, [{ id: 'e', time: '2024-01-01T00:00:00Z', action: 'x' }])
    await mkdir(path.join(root, '.git', 'objects'), { recursive: true })
    await mkdir(path.join(root, 'github', 'empty'), { recursive: true })
    expect(await listSources(root)).toEqual([
      { type: 'github', name: 'acme' },
      { type: 'octopus', name: 'prod' },
      { type: 'uipath', name: 'eu' }
    ])
    expect(sourceDir(root, { type: 'github', name: 'acme' })).toBe(path.join(root, 'github', 'acme'))
    expect(sourceDir(root, { type: 'github', name: '../../.git' })).toBe(path.join(root, 'github', 'git'))
    expect(() => sourceDir(root, { type: '../..', name: 'x' })).toThrow('source "../../x" has no usable folder name')
  })
})
