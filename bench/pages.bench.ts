/**
 * `npm run bench -- pages`: every state page of the 200,000-grant snapshot
 * (the store benchmark's), from the snapshot in memory to the files on disk.
 * Goal: a few seconds and well under 1 GiB.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import { prepareState, renderPages } from '../src/pages/pages.js'
import { writePages } from '../src/store/pages-disk.js'
import { Random } from '../test/sim/random.js'
import { generate, SIZE, timed } from './large-snapshot.js'

export async function run(): Promise<void> {
  const snapshot = await timed('generate', () => generate(new Random(42)))
  console.log(`${SIZE.grants} grants, ${SIZE.scopes} scopes, ${SIZE.principals} principals, ${SIZE.groups} groups`)
  const state = await timed('effective access', () => prepareState([snapshot]))
  const effective = [...state.views[0]!.effective.values()].reduce((n, grants) => n + grants.length, 0)
  console.log(`${effective} effective grants`)
  const files = await timed('render pages', () => renderPages(state))
  const sizes = [...files.values()].map((text) => Buffer.byteLength(text))
  const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1)
  console.log(
    `${files.size} page files, ${mb(sizes.reduce((a, b) => a + b, 0))} MB, largest ${mb(Math.max(...sizes))} MB`
  )
  const root = await mkdtemp(path.join(tmpdir(), 'pages-bench-'))
  try {
    await timed('write (fresh)', () => writePages(root, files))
    const again = await timed('write (unchanged)', () => writePages(root, files))
    console.log(`unchanged write touched ${again.length} files`)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
