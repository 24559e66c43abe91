/**
 * The CLI's paths, checked before the config is read or any request is made:
 * a run that fetches for minutes and then cannot write its report has wasted
 * the fetch (and, for throttled APIs, the budget).
 */
import { constants } from 'node:fs'
import { access, mkdtemp, open, rmdir, stat, unlink } from 'node:fs/promises'
import path from 'node:path'
import { ArgumentError } from './usage.js'

/** `-` as a file name: standard output. */
export const STDOUT = '-'

async function kind(target: string): Promise<'file' | 'folder' | undefined> {
  const info = await stat(target).catch((error: NodeJS.ErrnoException) => {
    // ENOTDIR: a file stands where a folder on the way should be; existingAncestor names it.
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined
    throw new ArgumentError(`${target}: cannot be read (${error.code ?? error.message})`)
  })
  return info === undefined ? undefined : info.isDirectory() ? 'folder' : 'file'
}

/** The nearest folder that exists above `target`, which a missing `target` would be created in. */
async function existingAncestor(option: string, target: string): Promise<string> {
  for (let dir = path.dirname(path.resolve(target)); ; dir = path.dirname(dir)) {
    const found = await kind(dir)
    if (found === 'file')
      throw new ArgumentError(`${option} ${target}: ${path.relative('.', dir) || dir} is a file, not a folder`)
    if (found === 'folder' || dir === path.dirname(dir)) return dir
  }
}

function unwritable(option: string, target: string, error: unknown): ArgumentError {
  const code = (error as NodeJS.ErrnoException).code ?? String(error)
  return new ArgumentError(`${option} ${target}: cannot be written here (${code}); choose a writable path`)
}

/** `--out`: a folder (or a path one can be made at); written unless the run is dry. */
export async function checkOutputFolder(option: string, target: string, write: boolean): Promise<void> {
  const found = await kind(target)
  if (found === 'file') throw new ArgumentError(`${option} ${target} is a file; ${option} names the snapshot folder`)
  if (!write) return
  try {
    // Making something is the only test root and read-only mounts answer truthfully.
    if (found === 'folder') await rmdir(await mkdtemp(path.join(target, '.permission-snapshot-')))
    else await access(await existingAncestor(option, target), constants.W_OK)
  } catch (error) {
    if (error instanceof ArgumentError) throw error
    throw unwritable(option, target, error)
  }
}

/** `--report`, `--json`: a file that can be written (its folder is made if missing), or `-`. */
export async function checkOutputFile(option: string, target: string): Promise<void> {
  if (target === STDOUT) return
  const found = await kind(target)
  if (found === 'folder')
    throw new ArgumentError(`${option} ${target} is a folder; ${option} names the file to write (e.g. report.md)`)
  try {
    if (found === 'file') {
      // Append mode opens without changing a byte.
      await (await open(target, 'a')).close()
      return
    }
    const parent = path.dirname(path.resolve(target))
    if ((await kind(parent)) === 'folder') {
      await (await open(target, 'wx')).close()
      await unlink(target)
    } else {
      await access(await existingAncestor(option, target), constants.W_OK)
    }
  } catch (error) {
    if (error instanceof ArgumentError) throw error
    throw unwritable(option, target, error)
  }
}
