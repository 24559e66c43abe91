import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { readSnapshot, writeSnapshot } from '../src/store/disk.js'
import { renderSnapshot } from '../src/store/snapshot-files.js'
import { Random } from '../test/sim/random.js'
import { generate, SIZE, timed } from './large-snapshot.js'

export async function run(): Promise<void> {
  const snapshot = await timed('generate', () => generate(new Random(42)))
  console.log(
    `${SIZE.grants} grants, ${SIZE.scopes} scopes, ${SIZE.principals} principals, ${SIZE.groups} groups, ${SIZE.roles} roles`
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
    if (back?.grants.length !== SIZE.grants) throw new Error(`read back ${back?.grants.length} grants`)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
