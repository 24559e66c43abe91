import path from 'node:path'
import { listSources } from './disk.js'
import { sourceFolder } from './paths.js'
import { INDEX_PAGE, isPage, PEOPLE_FOLDER, PEOPLE_PAGE, SOURCE_PAGE, SOURCE_PAGE_FOLDER } from './page-files.js'
import { listFiles, makeContainedDir, replaceFiles } from './safe-fs.js'

/**
 * Makes the pages in the snapshot folder exactly `files` (paths relative to
 * `root`, every one a page path): writes those whose bytes changed and
 * deletes the page files no longer generated (a source that stopped being
 * split). State files are never touched. With no pages to write (no source
 * stored yet) nothing is deleted either: a hand-written `README.md` in an
 * empty folder stays. Returns the changed paths, relative to `root`.
 */
export async function writePages(root: string, files: ReadonlyMap<string, string>): Promise<string[]> {
  for (const file of files.keys()) {
    if (!isPage(file)) throw new Error(`refusing to write ${JSON.stringify(file)} as a page: not a page path`)
  }
  if (files.size === 0) return []
  const dir = path.resolve(root)
  await makeContainedDir(dir, dir)
  const { changed, removed } = await replaceFiles(dir, dir, files, await existingPages(dir))
  return [...changed, ...removed].sort()
}

/** The page files present: the root pages, and each stored source's page and split pages. */
async function existingPages(dir: string): Promise<string[]> {
  const found = [
    ...(await listFiles(dir, INDEX_PAGE)),
    ...(await listFiles(dir, PEOPLE_PAGE)),
    ...(await listFiles(dir, PEOPLE_FOLDER))
  ]
  for (const source of await listSources(dir)) {
    const folder = sourceFolder(source)
    // One by one: a source's split pages are not bounded, and a spread into push() is (by the call stack).
    for (const entry of [SOURCE_PAGE, SOURCE_PAGE_FOLDER])
      for (const file of await listFiles(dir, `${folder}/${entry}`)) found.push(file)
  }
  return found.filter(isPage)
}
