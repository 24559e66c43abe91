import { lstat, mkdir, readdir, readFile, rename, rmdir, unlink, writeFile } from 'node:fs/promises'
import path from 'node:path'
import { mapLimit } from '../util/concurrency.js'
import { MAX_SEGMENT_BYTES } from './paths.js'

/**
 * File-system steps for the store that refuse to leave the folder they are
 * given. The snapshot repository is a checkout anyone with push access can
 * shape, so a planted symbolic link must not redirect a write elsewhere.
 */

/**
 * The absolute path of a store-made relative path (posix separators), after
 * checking each segment is one the store could have produced and that the
 * result resolves inside `dir`: defence in depth behind the slugs.
 */
export function containedPath(dir: string, relative: string): string {
  for (const segment of relative.split('/')) {
    if (
      segment === '' ||
      segment.startsWith('.') ||
      /[\\:\0]/.test(segment) ||
      Buffer.byteLength(segment) > MAX_SEGMENT_BYTES
    ) {
      throw new Error(`refusing to use the path ${JSON.stringify(relative)}: unsafe segment ${JSON.stringify(segment)}`)
    }
  }
  const absolute = path.resolve(dir, ...relative.split('/'))
  const inside = path.relative(dir, absolute)
  if (inside === '' || inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) {
    throw new Error(`refusing to use the path ${JSON.stringify(relative)}: it resolves outside ${dir}`)
  }
  return absolute
}

/**
 * Creates `dir` below `root` one folder at a time, refusing any existing step
 * that is a symbolic link or not a folder, so nothing is created through a
 * planted link. `root` itself may be a link: that is the caller's choice.
 */
export async function makeContainedDir(root: string, dir: string): Promise<void> {
  const base = path.resolve(root)
  const inside = path.relative(base, path.resolve(dir))
  if (inside.split(path.sep)[0] === '..' || path.isAbsolute(inside)) throw new Error(`${dir} is outside ${base}`)
  await mkdir(base, { recursive: true })
  let current = base
  for (const segment of inside === '' ? [] : inside.split(path.sep)) {
    current = path.join(current, segment)
    const stats = await lstat(current).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined
      throw error
    })
    if (!stats) {
      // Another write may create the same folder between the check and here: a folder is what we wanted.
      await mkdir(current).catch(async (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST' || !(await lstat(current)).isDirectory()) throw error
      })
    } else if (!stats.isDirectory()) {
      throw new Error(`${current} is a symbolic link or not a folder; the store will not write through it`)
    }
  }
}

/**
 * The regular files at or under `dir/entry` (relative posix paths from `dir`),
 * none when it does not exist. Hidden entries (`.gitkeep`) are not the store's
 * and are skipped. Symbolic links and other special files are an error: the
 * store neither follows nor deletes what it did not make.
 */
export async function listFiles(dir: string, entry: string): Promise<string[]> {
  const absolute = path.join(dir, ...entry.split('/'))
  const stats = await lstat(absolute).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!stats) return []
  if (stats.isFile()) return [entry]
  if (!stats.isDirectory()) {
    throw new Error(
      `${absolute} is a symbolic link or special file; the store only reads and writes plain files and folders`
    )
  }
  return walk(absolute, entry, [])
}

/**
 * Adds the files under `absolute` to `files`, in name order. Every level adds
 * to the one list: returning a folder's list for the caller to spread into a
 * `push` would put every name on the call stack, which overflows past about
 * 125,000 files in one folder.
 */
async function walk(absolute: string, relative: string, files: string[]): Promise<string[]> {
  const children = (await readdir(absolute, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : 1))
  for (const child of children) {
    if (child.name.startsWith('.')) continue
    const childPath = path.join(absolute, child.name)
    if (child.isFile()) files.push(`${relative}/${child.name}`)
    else if (child.isDirectory()) await walk(childPath, `${relative}/${child.name}`, files)
    else
      throw new Error(
        `${childPath} is a symbolic link or special file; the store only reads and writes plain files and folders`
      )
  }
  return files
}

/** Ends the name of a file being written; one left behind by a crash is not stored state. */
export const TEMPORARY_SUFFIX = '.tmp'

/**
 * Writes only when the bytes differ (keeps mtimes and git quiet), through a
 * temporary file and a rename: a crash must not leave half a file, which could
 * still parse and read as revoked grants.
 */
export async function writeIfChanged(file: string, content: string): Promise<boolean> {
  const bytes = Buffer.from(content, 'utf8')
  const existing = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (existing?.equals(bytes)) return false
  const temporary = `${file}.${process.pid}${TEMPORARY_SUFFIX}`
  await writeFile(temporary, bytes)
  await rename(temporary, file)
  return true
}

/** Deletes files, then the folders (below `dir`) they leave empty. */
export async function removeFiles(dir: string, relatives: readonly string[]): Promise<void> {
  const folders = new Set<string>()
  for (const relative of relatives) {
    await unlink(containedPath(dir, relative))
    const segments = relative.split('/')
    for (let i = 1; i < segments.length; i++) folders.add(segments.slice(0, i).join('/'))
  }
  // Deepest first, so a folder is checked after its emptied subfolders are gone.
  for (const folder of [...folders].sort((a, b) => b.split('/').length - a.split('/').length || (a < b ? -1 : 1))) {
    const absolute = containedPath(dir, folder)
    if ((await readdir(absolute)).length === 0) await rmdir(absolute)
  }
}

/** Files in flight at once: enough to hide disk latency, few enough to stay far from descriptor limits. */
export const IO_CONCURRENCY = 32

/**
 * Makes `dir` (below `root`) hold `files` in place of the `existing` ones
 * (relative posix paths): deletes the existing files not listed, then writes
 * those whose bytes differ. Stale files go first: on a case-insensitive disk,
 * `Admins.yaml` renamed to `admins.yaml` would otherwise be written, then
 * deleted as stale.
 */
export async function replaceFiles(
  root: string,
  dir: string,
  files: ReadonlyMap<string, string>,
  existing: readonly string[]
): Promise<{ changed: string[]; removed: string[] }> {
  const removed = existing.filter((file) => !files.has(file))
  await removeFiles(dir, removed)
  const targets = [...files.keys()].map((file) => containedPath(dir, file))
  for (const parent of new Set(targets.map((target) => path.dirname(target)))) await makeContainedDir(root, parent)
  // A failed write stops the rest but is only thrown once the writes in flight have ended: whoever puts
  // the previous files back must not be overtaken by a write that was still under way.
  let failure: { error: unknown } | undefined
  const written = await mapLimit([...files], IO_CONCURRENCY, async ([file, content], i) => {
    if (failure) return undefined
    try {
      return (await writeIfChanged(targets[i]!, content)) ? file : undefined
    } catch (error) {
      failure ??= { error }
      return undefined
    }
  })
  if (failure) throw failure.error
  return { changed: written.filter((file) => file !== undefined), removed }
}
