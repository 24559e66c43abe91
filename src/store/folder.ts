import { readFile, unlink } from 'node:fs/promises'
import path from 'node:path'
import type { Snapshot, SourceRef } from '../model/types.js'
import { ATTRIBUTES_FILE, attributesPath } from './attributes.js'
import { isSourcePage } from './page-files.js'
import { sourceFolder } from './paths.js'
import { containedPath, listFiles, makeContainedDir, removeFiles, writeIfChanged } from './safe-fs.js'
import { parseSnapshot } from './snapshot-files.js'

/**
 * The whole snapshot folder as relative path → content: what a commit of the
 * folder must contain. Publishing replaces the folder with exactly this, so
 * it holds the folder's `.gitattributes`, which the store writes; other
 * hidden files (a `.gitkeep`) are left out: the store never makes them.
 */
export async function readFolder(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  const dir = path.resolve(root)
  const attributes = await readFile(await attributesPath(dir), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (attributes !== undefined) files.set(ATTRIBUTES_FILE, attributes)
  const entries = await listFiles(path.dirname(dir), path.basename(dir))
  for (const entry of entries) {
    const relative = entry.split('/').slice(1).join('/')
    if (relative.split('/').some((segment) => segment.startsWith('.'))) continue
    // A `*.tmp` is a write that a crash interrupted; the store deletes it on its next write.
    if (relative.endsWith('.tmp')) continue
    files.set(relative, await readFile(path.join(dir, ...relative.split('/')), 'utf8'))
  }
  return files
}

/**
 * Makes the folder hold exactly `files` (e.g. the open pull request's
 * snapshot, so today's run continues from yesterday's), writing only what
 * differs and deleting what is not listed.
 */
export async function replaceFolder(root: string, files: ReadonlyMap<string, string>): Promise<void> {
  const dir = path.resolve(root)
  const current = await readFolder(dir)
  const stale = [...current.keys()].filter((relative) => !files.has(relative))
  if (stale.includes(ATTRIBUTES_FILE)) await unlink(await attributesPath(dir))
  await removeFiles(
    dir,
    stale.filter((relative) => relative !== ATTRIBUTES_FILE)
  )
  for (const [relative, content] of files) {
    const file = relative === ATTRIBUTES_FILE ? await attributesPath(dir) : containedPath(dir, relative)
    await makeContainedDir(dir, path.dirname(file))
    await writeIfChanged(file, content)
  }
}

/** The files of one source folder (`<type>/<name>`) of a snapshot folder map, keyed relative to it. */
export function sourceFiles(files: ReadonlyMap<string, string>, folder: string): Map<string, string> {
  const prefix = `${folder}/`
  return new Map(
    [...files].filter(([file]) => file.startsWith(prefix)).map(([file, text]) => [file.slice(prefix.length), text])
  )
}

/** The stored state in a source's files (keyed relative to its folder), or undefined when they hold none. */
export function parseState(files: ReadonlyMap<string, string>, source: SourceRef): Snapshot | undefined {
  // Neither events nor pages are state.
  const state = new Map([...files].filter(([file]) => !file.startsWith('events/') && !isSourcePage(file)))
  return state.size > 0 ? parseSnapshot(state, source) : undefined
}

/** The stored state of `source` in a snapshot folder map (relative path → content), or undefined. */
export function stateOf(files: ReadonlyMap<string, string>, source: SourceRef): Snapshot | undefined {
  return parseState(sourceFiles(files, sourceFolder(source)), source)
}
