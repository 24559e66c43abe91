/**
 * The snapshot folder's own `.gitattributes`. Event archives are most of a
 * day's added lines; marked `linguist-generated`, GitHub collapses them in
 * the pull request's diff, which then reads as the change of state. They stay
 * in the history, and one click shows them.
 */
import { lstat } from 'node:fs/promises'
import path from 'node:path'
import { writeIfChanged } from './safe-fs.js'

export const ATTRIBUTES_FILE = '.gitattributes'

/** Patterns are relative to the snapshot folder: `<type>/<name>/events/<day>.yaml`. */
export const ATTRIBUTES = `# Written by permission-snapshot: GitHub collapses the event archives in pull request diffs.
*/*/events/** linguist-generated=true
`

/** Where the file goes in the snapshot folder; a planted link or folder in its place is refused. */
export async function attributesPath(root: string): Promise<string> {
  const file = path.join(path.resolve(root), ATTRIBUTES_FILE)
  const stats = await lstat(file).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (stats && !stats.isFile()) throw new Error(`${file} is not a plain file; the store will not write through it`)
  return file
}

/** Writes the file when it is missing or differs; returns whether it did. */
export async function writeAttributes(root: string): Promise<boolean> {
  return writeIfChanged(await attributesPath(root), ATTRIBUTES)
}
