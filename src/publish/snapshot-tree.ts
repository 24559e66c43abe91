/**
 * Reading the snapshot folder of a commit through the Git Data API: the blob
 * ids under the folder (to decide what to write and what to delete), and the
 * files' contents (for "new since the last run"), downloading only blobs the
 * caller does not already hold.
 */
import { mapLimit } from '../util/concurrency.js'
import { gitBlobSha } from './blob-sha.js'
import { call, commitTree, type PublishTarget } from './target.js'

export interface SnapshotEntry {
  /** Git blob id. */
  sha: string
  mode: string
}

/** The snapshot folder as a repository path: `./snapshots/` → `snapshots`. Refuses the root and `..`. */
export function snapshotFolder(path: string): string {
  const folder = path
    .replace(/\\/g, '/')
    .replace(/^(\.\/)+/, '')
    .replace(/^\/+|\/+$/g, '')
  const segments = folder.split('/')
  if (!folder || segments.some((s) => s === '' || s === '.' || s === '..' || s === '.git'))
    throw new Error(
      `The snapshot path '${path}' must name a folder inside the repository (e.g. 'snapshots'): everything under it is replaced by each run.`
    )
  return folder
}

/** A snapshot file's path relative to the folder; refuses anything that could leave the folder. */
export function snapshotFile(relative: string): string {
  const segments = relative.split('/')
  if (!relative || relative.includes('\\') || segments.some((s) => s === '' || s === '.' || s === '..' || s === '.git'))
    throw new Error(`Refusing to publish the snapshot file '${relative}': not a plain relative path`)
  return relative
}

interface TreeItem {
  path?: string
  type?: string
  sha?: string | null
  mode?: string
}

async function getTree(target: PublishTarget, sha: string, recursive: boolean) {
  const { data } = await call(target, `read tree ${sha}`, () =>
    target.client.rest.git.getTree({
      owner: target.owner,
      repo: target.repo,
      tree_sha: sha,
      ...(recursive ? { recursive: '1' } : {})
    })
  )
  return { items: data.tree as TreeItem[], truncated: data.truncated }
}

/**
 * Every blob under `folder` (path relative to it → blob id and mode) in the
 * tree `rootTree`; empty when the folder does not exist. One recursive
 * listing of the folder's own subtree; when GitHub truncates it (over
 * 100,000 entries or 7 MB), the folder is walked one level at a time instead,
 * so nothing is missed: a missed file would never be deleted.
 */
export async function listSnapshot(
  target: PublishTarget,
  rootTree: string,
  folder: string
): Promise<Map<string, SnapshotEntry>> {
  let treeSha = rootTree
  for (const segment of snapshotFolder(folder).split('/')) {
    const { items } = await getTree(target, treeSha, false)
    const item = items.find((i) => i.path === segment)
    if (!item) return new Map()
    if (item.type !== 'tree' || !item.sha)
      throw new Error(`'${folder}' is not a folder in ${target.owner}/${target.repo}: choose another snapshot path`)
    treeSha = item.sha
  }
  const entries = new Map<string, SnapshotEntry>()
  const add = (prefix: string, items: TreeItem[]) => {
    for (const i of items)
      if (i.type === 'blob' && i.path && i.sha) entries.set(prefix + i.path, { sha: i.sha, mode: i.mode ?? '100644' })
  }
  const listing = await getTree(target, treeSha, true)
  if (!listing.truncated) {
    add('', listing.items)
    return entries
  }
  target.log.info(`the listing of '${folder}' was truncated by GitHub; walking it folder by folder`)
  let level = [{ prefix: '', sha: treeSha }]
  while (level.length > 0) {
    const next: typeof level = []
    await mapLimit(level, 4, async ({ prefix, sha }) => {
      const { items, truncated } = await getTree(target, sha, false)
      if (truncated)
        throw new Error(`GitHub truncated the listing of '${folder}/${prefix}': too many files in one folder`)
      add(prefix, items)
      for (const i of items) if (i.type === 'tree' && i.sha) next.push({ prefix: `${prefix}${i.path}/`, sha: i.sha })
    })
    level = next
  }
  return entries
}

export interface ReadSnapshotOptions {
  /** The commit to read. */
  commit: string
  /** The snapshot folder, e.g. `snapshots`. */
  path: string
  /** Contents the caller already has (any paths, e.g. the workspace's snapshot): matching blobs are not downloaded. */
  known?: ReadonlyMap<string, string>
  /** Only the files (paths relative to the folder) this accepts are read. */
  only?: (file: string) => boolean
}

/** The snapshot folder at `commit` as relative path → content (UTF-8). */
export async function readSnapshotAt(
  target: PublishTarget,
  options: ReadSnapshotOptions
): Promise<Map<string, string>> {
  const listed = await listSnapshot(target, await commitTree(target, options.commit), options.path)
  const entries = options.only ? new Map([...listed].filter(([file]) => options.only!(file))) : listed
  const bySha = new Map<string, string>()
  for (const content of options.known?.values() ?? []) bySha.set(gitBlobSha(content), content)
  const missing = [...new Set([...entries.values()].map((e) => e.sha).filter((sha) => !bySha.has(sha)))]
  await mapLimit(missing, 8, async (sha) => bySha.set(sha, await readBlob(target, sha)))
  const files = new Map<string, string>()
  for (const [path, entry] of [...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    files.set(path, bySha.get(entry.sha) as string)
  return files
}

/** A blob's content as UTF-8 text. */
export async function readBlob(target: PublishTarget, sha: string): Promise<string> {
  const { data } = await call(target, `read blob ${sha}`, () =>
    target.client.rest.git.getBlob({ owner: target.owner, repo: target.repo, file_sha: sha })
  )
  return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8')
}
