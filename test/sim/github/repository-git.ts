/**
 * Plumbing over a real bare git repository on disk, for the simulated Git
 * Data API: every blob, tree and commit the simulator records is a real git
 * object, so a test can `git clone` the repository and inspect what the
 * publishing code produced with git itself.
 */
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { deflate } from 'node:zlib'

const deflateAsync = promisify(deflate)

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
  /** Path relative to the listed tree. */
  path: string
  /** Blob size in bytes (blobs only). */
  size?: number
}

export interface Identity {
  name: string
  email: string
  /** ISO 8601 time; now when absent. */
  date?: string
}

export interface CommitObject {
  sha: string
  tree: string
  parents: string[]
  author: Required<Identity>
  committer: Required<Identity>
  message: string
}

export class GitCommandError extends Error {
  constructor(
    readonly args: string[],
    readonly code: number | null,
    readonly stderr: string
  ) {
    super(`git ${args.join(' ')} exited with ${code}: ${stderr.trim()}`)
  }
}

/** Runs git with `GIT_DIR` set, feeding `input` on stdin; resolves with stdout as bytes. */
export function runGit(
  gitDir: string | undefined,
  args: string[],
  input?: Buffer | string,
  env: NodeJS.ProcessEnv = {}
) {
  return new Promise<Buffer>((resolve, reject) => {
    const child = spawn('git', args, {
      env: {
        ...process.env,
        ...(gitDir ? { GIT_DIR: gitDir } : {}),
        // Keep the user's and the system's git configuration out of the simulator.
        GIT_CONFIG_NOSYSTEM: '1',
        GIT_CONFIG_GLOBAL: '/dev/null',
        ...env
      },
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe']
    })
    const out: Buffer[] = []
    const err: Buffer[] = []
    child.stdout!.on('data', (c: Buffer) => out.push(c))
    child.stderr!.on('data', (c: Buffer) => err.push(c))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out))
      else reject(new GitCommandError(args, code, Buffer.concat(err).toString('utf8')))
    })
    if (child.stdin) {
      // A command that exits without reading all its input is judged by its exit code, not by EPIPE.
      child.stdin.on('error', () => {})
      child.stdin.end(input)
    }
  })
}

const SHA = /^[0-9a-f]{40}$/

/** Git's time format for `GIT_*_DATE`: `<epoch seconds> +0000`. */
function gitDate(iso: string | undefined): string {
  const ms = iso === undefined ? Date.now() : Date.parse(iso)
  return `${Math.floor((Number.isNaN(ms) ? Date.now() : ms) / 1000)} +0000`
}

function parseIdentity(line: string): Required<Identity> {
  const match = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line)
  if (!match) return { name: line, email: '', date: new Date(0).toISOString() }
  return {
    name: match[1] ?? '',
    email: match[2] ?? '',
    date: new Date(Number(match[3]) * 1000).toISOString().replace('.000Z', 'Z')
  }
}

export class BareRepository {
  private readonly objectDirs = new Set<string>()
  private temps = 0

  private constructor(readonly gitDir: string) {}

  /** A fresh bare repository in a temp dir whose default branch holds one commit with `files`. */
  static async create(defaultBranch: string, files: Record<string, string>): Promise<BareRepository> {
    const dir = await mkdtemp(join(tmpdir(), 'sim-github-repo-'))
    const gitDir = join(dir, 'repo.git')
    await runGit(undefined, ['init', '--quiet', '--bare', `--initial-branch=${defaultBranch}`, gitDir])
    const repo = new BareRepository(gitDir)
    const tree = await repo.writeFiles(undefined, files)
    const sha = await repo.commitTree(tree, [], 'Initial commit', {
      name: 'Octo Cat',
      email: 'octocat@users.noreply.github.com'
    })
    await repo.updateRef(`refs/heads/${defaultBranch}`, sha)
    return repo
  }

  git(args: string[], input?: Buffer | string, env?: NodeJS.ProcessEnv): Promise<Buffer> {
    return runGit(this.gitDir, args, input, env)
  }

  async remove(): Promise<void> {
    await rm(join(this.gitDir, '..'), { recursive: true, force: true })
  }

  /**
   * Writes a loose object the way git does (zlib of `<type> <size>\0<body>`,
   * stored under its sha1), in-process: the simulator writes thousands of
   * blobs and trees per run, and a git process for each would dominate test
   * time. Git reads these objects like any other (the tests run `git fsck`).
   */
  async writeObject(type: 'blob' | 'tree', body: Buffer): Promise<string> {
    const raw = Buffer.concat([Buffer.from(`${type} ${body.length}\0`), body])
    const sha = createHash('sha1').update(raw).digest('hex')
    const dir = join(this.gitDir, 'objects', sha.slice(0, 2))
    if (!this.objectDirs.has(dir)) {
      await mkdir(dir, { recursive: true })
      this.objectDirs.add(dir)
    }
    // Written whole under a temp name, then renamed: git never sees half an object (rewriting one is harmless).
    const temp = join(dir, `tmp_${sha.slice(2)}_${process.pid}_${++this.temps}`)
    await writeFile(temp, await deflateAsync(raw))
    await rename(temp, join(dir, sha.slice(2)))
    return sha
  }

  async writeBlob(content: Buffer): Promise<string> {
    return this.writeObject('blob', content)
  }

  /** The object's type, or undefined when the repository does not hold it. */
  async typeOf(sha: string): Promise<string | undefined> {
    if (!SHA.test(sha)) return undefined
    try {
      return (await this.git(['cat-file', '-t', sha])).toString('utf8').trim()
    } catch {
      return undefined
    }
  }

  /** The types of many objects with one git process; absent from the map = not in the repository. */
  async typesOf(shas: string[]): Promise<Map<string, string>> {
    const valid = [...new Set(shas.filter((sha) => SHA.test(sha)))]
    if (valid.length === 0) return new Map()
    const out = (await this.git(['cat-file', '--batch-check'], valid.join('\n') + '\n')).toString('utf8')
    const types = new Map<string, string>()
    for (const line of out.split('\n')) {
      const [sha = '', type = ''] = line.split(' ')
      if (type && type !== 'missing') types.set(sha, type)
    }
    return types
  }

  async readBlob(sha: string): Promise<Buffer> {
    return this.git(['cat-file', 'blob', sha])
  }

  /** Entries of a tree; with `recursive`, every blob below it plus the subtrees themselves (like `ls-tree -r -t`). */
  async listTree(treeish: string, recursive = false): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), treeish]
    const out = (await this.git(args)).toString('utf8')
    return out
      .split('\0')
      .filter(Boolean)
      .map((record) => {
        const tab = record.indexOf('\t')
        const [mode = '', type = '', sha = '', size = '-'] = record.slice(0, tab).trim().split(/\s+/)
        const entry: TreeEntry = { mode, type: type as TreeEntry['type'], sha, path: record.slice(tab + 1) }
        if (type === 'blob') entry.size = Number(size)
        return entry
      })
  }

  /** The tree sha of a commit or tree, or undefined when `treeish` names neither. */
  async treeOf(treeish: string): Promise<string | undefined> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${treeish}^{tree}`])).toString('utf8').trim()
    } catch {
      return undefined
    }
  }

  /** Writes one tree object from its immediate entries, in git's canonical order and format. */
  async mktree(entries: Array<Omit<TreeEntry, 'size'>>): Promise<string> {
    // Git sorts entries by name, comparing a subtree's name as if it ended in '/'.
    const key = (e: Omit<TreeEntry, 'size'>) => Buffer.from(e.type === 'tree' ? `${e.path}/` : e.path)
    const sorted = [...entries].sort((a, b) => Buffer.compare(key(a), key(b)))
    const body = Buffer.concat(
      sorted.map((e) =>
        Buffer.concat([Buffer.from(`${e.type === 'tree' ? '40000' : e.mode} ${e.path}\0`), Buffer.from(e.sha, 'hex')])
      )
    )
    return this.writeObject('tree', body)
  }

  /**
   * Writes nested trees for a flat list of blob entries (full paths), building
   * every directory bottom-up, and returns the root tree's sha.
   */
  async writeTree(blobs: Array<Omit<TreeEntry, 'size'>>): Promise<string> {
    interface Dir {
      files: Array<Omit<TreeEntry, 'size'>>
      dirs: Map<string, Dir>
    }
    const root: Dir = { files: [], dirs: new Map() }
    for (const blob of blobs) {
      const parts = blob.path.split('/')
      let dir = root
      for (const part of parts.slice(0, -1)) {
        let next = dir.dirs.get(part)
        if (!next) dir.dirs.set(part, (next = { files: [], dirs: new Map() }))
        dir = next
      }
      dir.files.push({ ...blob, path: parts[parts.length - 1] ?? '' })
    }
    const write = async (dir: Dir): Promise<string> => {
      const entries = [...dir.files]
      for (const [name, child] of dir.dirs)
        entries.push({ mode: '040000', type: 'tree', sha: await write(child), path: name })
      return this.mktree(entries)
    }
    return write(root)
  }

  /** Writes `files` (path → UTF-8 content) over the tree of `base` (or an empty tree) and returns the new tree. */
  async writeFiles(base: string | undefined, files: Record<string, string | null>): Promise<string> {
    const blobs = new Map<string, Omit<TreeEntry, 'size'>>()
    if (base) for (const e of await this.listTree(base, true)) if (e.type !== 'tree') blobs.set(e.path, e)
    for (const [path, content] of Object.entries(files)) {
      if (content === null) blobs.delete(path)
      else blobs.set(path, { mode: '100644', type: 'blob', sha: await this.writeBlob(Buffer.from(content)), path })
    }
    return this.writeTree([...blobs.values()])
  }

  async commitTree(
    tree: string,
    parents: string[],
    message: string,
    author: Identity,
    committer: Identity = author
  ): Promise<string> {
    const args = ['commit-tree', tree, ...parents.flatMap((p) => ['-p', p])]
    const out = await this.git(args, message, {
      GIT_AUTHOR_NAME: author.name,
      GIT_AUTHOR_EMAIL: author.email,
      GIT_AUTHOR_DATE: gitDate(author.date),
      GIT_COMMITTER_NAME: committer.name,
      GIT_COMMITTER_EMAIL: committer.email,
      GIT_COMMITTER_DATE: gitDate(committer.date)
    })
    return out.toString('utf8').trim()
  }

  async readCommit(sha: string): Promise<CommitObject> {
    const raw = (await this.git(['cat-file', 'commit', sha])).toString('utf8')
    const split = raw.indexOf('\n\n')
    const header = raw.slice(0, split).split('\n')
    const commit: CommitObject = {
      sha,
      tree: '',
      parents: [],
      author: parseIdentity(''),
      committer: parseIdentity(''),
      message: raw.slice(split + 2)
    }
    for (const line of header) {
      const space = line.indexOf(' ')
      const key = line.slice(0, space)
      const value = line.slice(space + 1)
      if (key === 'tree') commit.tree = value
      else if (key === 'parent') commit.parents.push(value)
      else if (key === 'author') commit.author = parseIdentity(value)
      else if (key === 'committer') commit.committer = parseIdentity(value)
    }
    return commit
  }

  /** The sha a full ref name (`refs/heads/main`) points to, or undefined. */
  async resolveRef(ref: string): Promise<string | undefined> {
    try {
      return (await this.git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).toString('utf8').trim()
    } catch {
      return undefined
    }
  }

  /** Full ref names and their shas, sorted, optionally restricted to a prefix. */
  async listRefs(prefix = 'refs/'): Promise<Array<{ ref: string; sha: string }>> {
    const out = (await this.git(['for-each-ref', '--format=%(refname) %(objectname)', prefix])).toString('utf8')
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', sha = ''] = line.split(' ')
        return { ref, sha }
      })
  }

  /**
   * Moves a ref. With `expectedOld`, git refuses atomically when the ref no
   * longer holds that value ('' = must not exist): the compare-and-swap the
   * simulated endpoints rely on when requests interleave.
   */
  async updateRef(ref: string, sha: string, expectedOld?: string): Promise<boolean> {
    try {
      await this.git(['update-ref', ref, sha, ...(expectedOld === undefined ? [] : [expectedOld || '0'.repeat(40)])])
      return true
    } catch (error) {
      if (error instanceof GitCommandError) return false
      throw error
    }
  }

  async deleteRef(ref: string, expectedOld: string): Promise<boolean> {
    try {
      await this.git(['update-ref', '-d', ref, expectedOld])
      return true
    } catch (error) {
      if (error instanceof GitCommandError) return false
      throw error
    }
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    try {
      await this.git(['merge-base', '--is-ancestor', ancestor, descendant])
      return true
    } catch (error) {
      if (error instanceof GitCommandError && error.code === 1) return false
      throw error
    }
  }

  /** The best common ancestor of two commits, or undefined when their histories are unrelated. */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    try {
      return (await this.git(['merge-base', a, b])).toString('utf8').trim() || undefined
    } catch (error) {
      if (error instanceof GitCommandError && error.code === 1) return undefined
      throw error
    }
  }

  /** Commits reachable from `head` and not from `base` (`git rev-list base..head`), oldest first. */
  async commitsBetween(base: string, head: string): Promise<string[]> {
    const out = (await this.git(['rev-list', '--reverse', head, `^${base}`])).toString('utf8')
    return out.split('\n').filter(Boolean)
  }

  /** The tree of a three-way merge of `theirs` into `ours`, or undefined on conflicts. */
  async mergeTree(ours: string, theirs: string): Promise<string | undefined> {
    try {
      const out = await this.git(['merge-tree', '--write-tree', '--no-messages', ours, theirs])
      return out.toString('utf8').split('\n')[0]?.trim()
    } catch (error) {
      if (error instanceof GitCommandError && error.code === 1) return undefined
      throw error
    }
  }

  async validRefName(ref: string): Promise<boolean> {
    try {
      await runGit(undefined, ['check-ref-format', ref])
      return true
    } catch {
      return false
    }
  }
}
