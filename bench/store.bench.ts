import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { readSnapshot, writeSnapshot } from '../src/store/disk.js'
import { renderSnapshot } from '../src/store/snapshot-files.js'
import { Random } from '../test/sim/random.js'
import { generate, SIZE, timed, type Size } from './large-snapshot.js'

/** One file per scope, 200,000 of them in one folder (a UiPath tenant's folders, an organization's repositories). */
const WIDE: Size = { principals: 5_000, groups: 100, roles: 10, scopes: 200_000, grants: 200_000 }

/** Writes the snapshot twice (the first run, then the second, which reads the folder back) and reads it back. */
async function measure(size: Size): Promise<void> {
  const snapshot = await timed('generate', () => generate(new Random(42), size))
  console.log(
    `${size.grants} grants, ${size.scopes} scopes, ${size.principals} principals, ${size.groups} groups, ${size.roles} roles`
  )
  const files = await timed('render', () => renderSnapshot(snapshot))
  const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0)
  console.log(`${files.size} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`)
  const root = await mkdtemp(path.join(tmpdir(), 'store-bench-'))
  try {
    await timed('write (fresh)', () => writeSnapshot(root, snapshot))
    const again = await timed('write (unchanged)', () => writeSnapshot(root, snapshot))
    console.log(`unchanged write touched ${again.changed.length + again.removed.length} files`)
    const back = await timed('read back', () => readSnapshot(root, snapshot.source))
    if (back?.grants.length !== size.grants) throw new Error(`read back ${back?.grants.length} grants`)
  } catch (error) {
    // Reported, not thrown: the other case still runs, and the table says which step broke.
    console.log(`FAILED: ${(error as Error).message}`)
    process.exitCode = 1
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

export async function run(): Promise<void> {
  console.log('Large organization (most files are group files)')
  await measure(SIZE)
  console.log('\n200,000 scopes: one folder of 200,000 files')
  await measure(WIDE)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
