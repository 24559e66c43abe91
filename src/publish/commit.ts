/**
 * One snapshot commit through the Git Data API: a tree on the parent's tree
 * holding the files that changed (decided by comparing git blob ids computed
 * locally with the parent's, so unchanged files are never sent), and a commit with no author,
 * committer or signature, so that GitHub signs it as the App or bot whose
 * token made it (reference github.md §7). Sending an author would make the
 * commit unsigned.
 *
 * Folders of sources that did not succeed are "kept": whatever the run's files
 * say, they stay exactly as the parent commit holds them, except that their
 * event archive is the union of the parent's and the run's. The parent may
 * not be the commit the run read (the base moved, a racing run moved the
 * branch), and a failed source must never lose its folder or its events.
 */
import { EVENT_DAY_FILE, mergeEventDayFiles } from '../store/events-files.js'
import { mapLimit } from '../util/concurrency.js'
import { gitBlobSha } from './blob-sha.js'
import { listSnapshot, readBlob, snapshotFile, snapshotFolder, type SnapshotEntry } from './snapshot-tree.js'
import { call, type PublishTarget } from './target.js'

const FILE_MODE = '100644' as const
/**
 * Large trees are built in steps, each on the previous one (as
 * create-pull-request does), keeping every request to at most this many
 * entries and about this much content.
 */
const CHUNK_ENTRIES = 100
const CHUNK_CHARS = 1_000_000
/** Files larger than this are uploaded as blobs rather than inlined in a tree request. */
const INLINE_CHARS = 256_000

type TreeWrite = { path: string; mode: typeof FILE_MODE; type: 'blob' } & ({ content: string } | { sha: string | null })

function* treeChunks(entries: TreeWrite[]): Generator<TreeWrite[]> {
  let chunk: TreeWrite[] = []
  let chars = 0
  for (const entry of entries) {
    const size = 'content' in entry ? entry.content.length : 0
    if (chunk.length >= CHUNK_ENTRIES || (chunk.length > 0 && chars + size > CHUNK_CHARS)) {
      yield chunk
      chunk = []
      chars = 0
    }
    chunk.push(entry)
    chars += size
  }
  if (chunk.length > 0) yield chunk
}

async function uploadBlob(target: PublishTarget, content: string, sha: string): Promise<void> {
  const { data } = await call(target, 'upload a snapshot file', () =>
    target.client.rest.git.createBlob({
      owner: target.owner,
      repo: target.repo,
      content: Buffer.from(content, 'utf8').toString('base64'),
      encoding: 'base64'
    })
  )
  if (data.sha !== sha) throw new Error(`GitHub stored a snapshot file as blob ${data.sha}, expected ${sha}`)
}

export interface SnapshotChange {
  /** Files to write: relative path → blob id. */
  write: Map<string, string>
  /** Files to delete: relative paths. */
  remove: string[]
  /** Event day files of kept folders that the parent holds with other content: path → the parent's blob id. */
  merge: Map<string, string>
}

/** The kept folder (`<type>/<name>`) a relative path lies in, if any. */
function keptFolder(path: string, keep: readonly string[]): string | undefined {
  return keep.find((folder) => path.startsWith(`${folder}/`))
}

/**
 * What turns `current` (the folder in the parent) into `files` (the complete
 * desired folder), leaving the state of `keep` folders as the parent holds
 * it. Undefined when nothing differs.
 */
export function snapshotChange(
  current: ReadonlyMap<string, SnapshotEntry>,
  files: ReadonlyMap<string, string>,
  keep: readonly string[] = []
): SnapshotChange | undefined {
  const write = new Map<string, string>()
  const merge = new Map<string, string>()
  for (const [path, content] of files) {
    const kept = keptFolder(path, keep)
    if (kept && !EVENT_DAY_FILE.test(path.slice(kept.length + 1))) continue
    const sha = gitBlobSha(content)
    const entry = current.get(snapshotFile(path))
    if (entry?.sha === sha && entry.mode === FILE_MODE) continue
    if (kept && entry) merge.set(path, entry.sha)
    else write.set(path, sha)
  }
  const remove = [...current.keys()].filter((path) => !files.has(path) && !keptFolder(path, keep))
  return write.size > 0 || remove.length > 0 || merge.size > 0 ? { write, remove: remove.sort(), merge } : undefined
}

export interface SnapshotCommit {
  sha: string
  verified: boolean
  reason: string
}

export interface CreateSnapshotCommitOptions {
  /** The parent commit and its root tree. */
  parent: { sha: string; tree: string }
  path: string
  files: ReadonlyMap<string, string>
  message: string
  /** The folder's entries in the parent when the caller already listed them. */
  current?: ReadonlyMap<string, SnapshotEntry>
  /** Source folders (`<type>/<name>`) whose state stays as the parent holds it (sources that did not succeed). */
  keep?: readonly string[]
}

/**
 * Commits `files` as the complete content of the folder `path` on top of
 * `parent` (files under `path` that are not in `files` are deleted; nothing
 * outside `path` changes). Returns undefined, creating nothing, when the
 * parent already holds exactly these files.
 */
export async function createSnapshotCommit(
  target: PublishTarget,
  options: CreateSnapshotCommitOptions
): Promise<SnapshotCommit | undefined> {
  const folder = snapshotFolder(options.path)
  const current = options.current ?? (await listSnapshot(target, options.parent.tree, folder))
  const change = snapshotChange(current, options.files, options.keep)
  if (!change) return undefined
  const files = new Map(options.files)
  // Both hold events of that day: the union, the parent's copy winning on a shared id.
  await mapLimit([...change.merge], 4, async ([path, parentSha]) => {
    const merged = mergeEventDayFiles(await readBlob(target, parentSha), files.get(path) as string, `${folder}/${path}`)
    const sha = gitBlobSha(merged)
    files.set(path, merged)
    if (sha !== parentSha) change.write.set(path, sha)
  })
  if (change.write.size === 0 && change.remove.length === 0) return undefined
  const { owner, repo, client } = target

  // Changed files travel inside the tree requests (`content`), so a first run of
  // thousands of files costs tens of requests instead of one upload per file;
  // only files too large to inline go up as blobs first, and content the parent
  // already holds elsewhere (a renamed file) is referenced by its blob id.
  const held = new Set([...current.values()].map((e) => e.sha))
  const entries: TreeWrite[] = await mapLimit([...change.write], 4, async ([path, sha]) => {
    const content = files.get(path) as string
    const entry = { path: `${folder}/${path}`, mode: FILE_MODE, type: 'blob' as const }
    if (held.has(sha)) return { ...entry, sha }
    if (content.length <= INLINE_CHARS) return { ...entry, content }
    await uploadBlob(target, content, sha)
    return { ...entry, sha }
  })
  for (const path of change.remove)
    entries.push({ path: `${folder}/${path}`, mode: FILE_MODE, type: 'blob', sha: null })
  let tree = options.parent.tree
  for (const chunk of treeChunks(entries)) {
    const { data } = await call(target, 'create the snapshot tree', () =>
      client.rest.git.createTree({ owner, repo, base_tree: tree, tree: chunk })
    )
    tree = data.sha
  }

  // No author, committer or signature: GitHub then signs the commit as the token's App or bot.
  const { data: commit } = await call(target, 'create the snapshot commit', () =>
    client.rest.git.createCommit({ owner, repo, message: options.message, tree, parents: [options.parent.sha] })
  )
  const { verified, reason } = commit.verification ?? { verified: false, reason: 'unknown' }
  if (verified) target.log.info(`commit ${commit.sha}: verified signature (${reason})`)
  else
    target.log.warn(
      `commit ${commit.sha} is not signed by GitHub (verification.reason: ${reason}). GitHub signs API commits only for a GitHub App or GITHUB_TOKEN; a personal access token gives unsigned commits.`
    )
  target.log.info(
    `commit ${commit.sha}: ${change.write.size} file(s) written, ${change.remove.length} deleted under ${folder}/`
  )
  return { sha: commit.sha, verified, reason }
}
