/**
 * One simulated GitHub repository: the repository endpoint, the Git Data API
 * (blobs, trees, commits, refs) backed by a real bare git repository on disk,
 * and the pull-request endpoints (repository-pulls.ts). Mounted on a
 * GitHubRestApi so token checks and rate-limit headers behave like the rest of
 * the simulated GitHub.
 *
 * GitHub behaviour reproduced (reference github.md §7–§9): commits created
 * with no author, committer or signature by an App/bot token are signed by
 * GitHub (`verification.verified: true`), anything else is unsigned; ref
 * updates without `force` must be fast-forwards ("Update is not a fast
 * forward"); creating an existing ref answers "Reference already exists";
 * deleting a pull request's head branch closes the pull request; comparing
 * two commits (repository-compare.ts).
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { SimRequest, SimResponse } from '../server.js'
import { BareRepository, runGit, type CommitObject, type Identity, type TreeEntry } from './repository-git.js'
import { mountCompare } from './repository-compare.js'
import { SimPulls } from './repository-pulls.js'
import { jsonBody, problemsParsingJson, type Body } from './repository-requests.js'
import { bearer, githubError, type GitHubRestApi } from './rest.js'

export interface SimRepositoryOptions {
  owner: string
  name: string
  /** Default `main`. */
  defaultBranch?: string
  /** Content of the default branch's first commit. */
  files?: Record<string, string>
  /** The repository setting "Allow auto-merge" (default true). */
  allowAutoMerge?: boolean
  /** The App identity that App/installation tokens commit and open pull requests as. */
  bot?: { login: string; id: number }
  /** Personal access tokens: their commits are attributed to the user and never signed. */
  userTokens?: Record<string, { login: string; id: number }>
  /** Tokens without `contents: write` / `pull-requests: write`: every write answers 403. */
  readOnlyTokens?: string[]
  /** Users and teams (slugs) that may be requested as reviewers; anyone when absent. */
  collaborators?: string[]
  teams?: string[]
  /** Recursive tree listings with more entries than this are truncated, as GitHub does past 100,000. */
  treeLimit?: number
}

export interface Actor {
  login: string
  id: number
  type: 'Bot' | 'User'
}

export interface Verification {
  verified: boolean
  reason: string
}

interface Intercept {
  method: string
  path: RegExp
  run: () => Promise<void> | void
}

const SHA = /^[0-9a-f]{40}$/
const MODES = new Set(['100644', '100755', '040000', '160000', '120000'])

export class SimRepository {
  readonly owner: string
  readonly name: string
  readonly defaultBranch: string
  readonly id = 4_242
  readonly pulls: SimPulls
  /** Verification of each commit created through the API, by sha. */
  readonly verifications = new Map<string, Verification>()
  private readonly intercepts: Intercept[] = []

  constructor(
    readonly git: BareRepository,
    readonly rest: GitHubRestApi,
    readonly options: SimRepositoryOptions
  ) {
    this.owner = options.owner
    this.name = options.name
    this.defaultBranch = options.defaultBranch ?? 'main'
    this.pulls = new SimPulls(this)
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`
  }

  get nodeId(): string {
    return `R_sim${this.id}`
  }

  get gitDir(): string {
    return this.git.gitDir
  }

  /** Runs `run` just before the next request matching `method` and `path` is handled (e.g. to move a ref mid-run). */
  intercept(method: string, path: RegExp, run: () => Promise<void> | void): void {
    this.intercepts.push({ method: method.toUpperCase(), path, run })
  }

  /** The actor a token acts as: the configured user for a PAT, else the App's bot. */
  actor(req: SimRequest): Actor {
    const user = this.options.userTokens?.[bearer(req) ?? '']
    if (user) return { ...user, type: 'User' }
    const bot = this.options.bot ?? { login: 'permission-snapshot[bot]', id: 41_898_282 }
    return { ...bot, type: 'Bot' }
  }

  /** Registers a route under `/repos/{owner}/{name}`; writes by read-only tokens answer 403 as GitHub does. */
  route(method: string, path: string, handler: (req: SimRequest) => Promise<SimResponse> | SimResponse): void {
    this.rest.route(method, `/repos/${this.owner}/${this.name}${path}`, async (req) => {
      const index = this.intercepts.findIndex((i) => i.method === req.method && i.path.test(req.path))
      if (index >= 0) await this.intercepts.splice(index, 1)[0]?.run()
      if (req.method !== 'GET' && this.options.readOnlyTokens?.includes(bearer(req) ?? ''))
        return githubError(403, 'Resource not accessible by integration')
      return handler(req)
    })
  }

  /** API base URL as the client sees it, for `url` fields. */
  apiUrl(req: SimRequest, path = ''): string {
    return `${req.url.origin}${this.rest.prefix}/repos/${this.fullName}${path}`
  }

  htmlUrl(path = ''): string {
    return `https://github.com/${this.fullName}${path}`
  }

  async headOf(branch: string): Promise<string | undefined> {
    return this.git.resolveRef(`refs/heads/${branch}`)
  }

  /**
   * Commits `files` (path → content, null deletes) on top of `branch` as a
   * person pushing would, for tests that seed content or move a branch.
   */
  async commitFiles(branch: string, files: Record<string, string | null>, message = 'Update files'): Promise<string> {
    const head = await this.headOf(branch)
    const tree = await this.git.writeFiles(head, files)
    const sha = await this.git.commitTree(tree, head ? [head] : [], message, {
      name: 'Mona Lisa',
      email: 'mona@users.noreply.github.com'
    })
    if (!(await this.git.updateRef(`refs/heads/${branch}`, sha, head ?? ''))) throw new Error(`${branch} moved`)
    return sha
  }

  /** Clones the bare repository into a fresh temp dir and returns the working tree's path. */
  async clone(): Promise<string> {
    const dir = join(await mkdtemp(join(tmpdir(), 'sim-github-clone-')), this.name)
    await runGit(undefined, ['clone', '--quiet', this.gitDir, dir])
    return dir
  }

  async remove(): Promise<void> {
    await this.git.remove()
  }

  commitJson(req: SimRequest, commit: CommitObject) {
    const verification = this.verifications.get(commit.sha) ?? { verified: false, reason: 'unsigned' }
    return {
      sha: commit.sha,
      node_id: `C_sim${commit.sha.slice(0, 12)}`,
      url: this.apiUrl(req, `/git/commits/${commit.sha}`),
      html_url: this.htmlUrl(`/commit/${commit.sha}`),
      author: commit.author,
      committer: commit.committer,
      message: commit.message.replace(/\n$/, ''),
      tree: { sha: commit.tree, url: this.apiUrl(req, `/git/trees/${commit.tree}`) },
      parents: commit.parents.map((sha) => ({
        sha,
        url: this.apiUrl(req, `/git/commits/${sha}`),
        html_url: this.htmlUrl(`/commit/${sha}`)
      })),
      verification: { ...verification, signature: null, payload: null, verified_at: null }
    }
  }

  refJson(req: SimRequest, ref: string, sha: string) {
    return {
      ref,
      node_id: `REF_sim${Buffer.from(ref).toString('base64url')}`,
      url: this.apiUrl(req, `/git/${ref}`),
      object: { sha, type: 'commit', url: this.apiUrl(req, `/git/commits/${sha}`) }
    }
  }

  treeEntryJson(req: SimRequest, e: TreeEntry) {
    const kind = e.type === 'tree' ? 'trees' : 'blobs'
    return {
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size === undefined ? {} : { size: e.size }),
      ...(e.type === 'commit' ? {} : { url: this.apiUrl(req, `/git/${kind}/${e.sha}`) })
    }
  }
}

/**
 * Creates the bare repository and mounts the repository's routes on `rest`.
 * Call `remove()` on the result when the test is done.
 */
export async function mountRepository(rest: GitHubRestApi, options: SimRepositoryOptions): Promise<SimRepository> {
  const git = await BareRepository.create(
    options.defaultBranch ?? 'main',
    options.files ?? { 'README.md': '# Permissions\n' }
  )
  const repo = new SimRepository(git, rest, options)
  mountRepositoryRoute(repo)
  mountBlobs(repo)
  mountTrees(repo)
  mountCommits(repo)
  mountRefs(repo)
  mountCompare(repo)
  repo.pulls.mount()
  return repo
}

function mountRepositoryRoute(repo: SimRepository): void {
  repo.route('GET', '', (req) => ({
    json: {
      id: repo.id,
      node_id: repo.nodeId,
      name: repo.name,
      full_name: repo.fullName,
      private: true,
      owner: { login: repo.owner, id: 9_919, type: 'Organization' },
      html_url: repo.htmlUrl(),
      url: repo.apiUrl(req),
      default_branch: repo.defaultBranch,
      allow_auto_merge: repo.options.allowAutoMerge ?? true,
      allow_squash_merge: true,
      allow_merge_commit: true,
      allow_rebase_merge: true,
      delete_branch_on_merge: false,
      archived: false,
      visibility: 'private'
    }
  }))
}

function mountBlobs(repo: SimRepository): void {
  repo.route('POST', '/git/blobs', async (req) => {
    const body = jsonBody(req)
    if (!body) return problemsParsingJson()
    if (typeof body.content !== 'string') return githubError(422, 'Invalid request.\n\n"content" wasn\'t supplied.')
    const encoding = body.encoding ?? 'utf-8'
    if (encoding !== 'utf-8' && encoding !== 'base64')
      return githubError(422, `Invalid request.\n\n${String(encoding)} is not a valid encoding.`)
    const bytes = Buffer.from(body.content, encoding === 'base64' ? 'base64' : 'utf8')
    const sha = await repo.git.writeBlob(bytes)
    return { status: 201, json: { sha, url: repo.apiUrl(req, `/git/blobs/${sha}`) } }
  })
  repo.route('GET', '/git/blobs/:sha', async (req) => {
    const sha = req.params.sha ?? ''
    if ((await repo.git.typeOf(sha)) !== 'blob') return githubError(404, 'Not Found')
    const bytes = await repo.git.readBlob(sha)
    return {
      json: {
        sha,
        node_id: `B_sim${sha.slice(0, 12)}`,
        size: bytes.length,
        url: repo.apiUrl(req, `/git/blobs/${sha}`),
        // GitHub wraps the base64 at 60 characters per line.
        content: (bytes.toString('base64').match(/.{1,60}/g) ?? []).join('\n') + '\n',
        encoding: 'base64'
      }
    }
  })
}

/** A path GitHub accepts in a tree entry: relative, no empty, `.` or `..` segments. */
function validTreePath(path: unknown): path is string {
  return (
    typeof path === 'string' &&
    path.length > 0 &&
    !path.includes('\0') &&
    path.split('/').every((s) => s !== '' && s !== '.' && s !== '..' && s !== '.git')
  )
}

function mountTrees(repo: SimRepository): void {
  repo.route('POST', '/git/trees', async (req) => {
    const body = jsonBody(req)
    if (!body) return problemsParsingJson()
    if (!Array.isArray(body.tree)) return githubError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.')
    // The working set: every non-tree entry by full path, starting from the base tree.
    const entries = new Map<string, Omit<TreeEntry, 'size'>>()
    if (body.base_tree !== undefined && body.base_tree !== null) {
      const base = typeof body.base_tree === 'string' ? await repo.git.treeOf(body.base_tree) : undefined
      if (!base || (await repo.git.typeOf(body.base_tree as string)) !== 'tree')
        return githubError(422, 'Invalid tree info')
      for (const e of await repo.git.listTree(base, true)) if (e.type !== 'tree') entries.set(e.path, e)
    }
    const removeUnder = (path: string): number => {
      let removed = 0
      for (const key of [...entries.keys()])
        if (key === path || key.startsWith(`${path}/`)) removed += Number(entries.delete(key))
      return removed
    }
    const items = (body.tree as unknown[]).map((raw) => (raw ?? {}) as Body)
    // Inline contents become blobs and given shas are checked up front, in bulk.
    const written = await Promise.all(
      items.map((i) => (typeof i.content === 'string' ? repo.git.writeBlob(Buffer.from(i.content, 'utf8')) : undefined))
    )
    const types = await repo.git.typesOf(items.map((i) => (typeof i.sha === 'string' ? i.sha : '')))
    for (const [index, item] of items.entries()) {
      const { path, mode, type } = item
      if (!validTreePath(path)) return githubError(422, 'tree.path contains a malformed path component')
      if (typeof mode !== 'string' || !MODES.has(mode)) return githubError(422, 'tree.mode is not a valid mode')
      if (type !== 'blob' && type !== 'tree' && type !== 'commit') return githubError(422, 'tree.type is not valid')
      if (item.sha === null) {
        // Deleting a path the tree does not hold is an error on GitHub, not a no-op.
        if (removeUnder(path) === 0) return githubError(422, 'GitRPC::BadObjectState')
        continue
      }
      if (written[index] && type !== 'blob') return githubError(422, 'tree.content is only valid for blobs')
      const sha = written[index] ?? item.sha
      if (typeof sha !== 'string' || !SHA.test(sha)) return githubError(422, 'Invalid tree info')
      if (type !== 'commit' && !written[index] && types.get(sha) !== type)
        return githubError(422, 'GitRPC::BadObjectState')
      // A blob where a directory was (or the reverse) replaces it, as git would.
      removeUnder(path)
      for (let i = path.indexOf('/'); i > 0; i = path.indexOf('/', i + 1)) entries.delete(path.slice(0, i))
      if (type !== 'tree') entries.set(path, { mode, type, sha, path })
      else
        for (const e of await repo.git.listTree(sha, true))
          if (e.type !== 'tree') entries.set(`${path}/${e.path}`, { ...e, path: `${path}/${e.path}` })
    }
    const sha = await repo.git.writeTree([...entries.values()])
    const top = await repo.git.listTree(sha)
    return {
      status: 201,
      json: {
        sha,
        url: repo.apiUrl(req, `/git/trees/${sha}`),
        tree: top.map((e) => repo.treeEntryJson(req, e)),
        truncated: false
      }
    }
  })

  // `:sha` may also be a branch name, as on GitHub; `recursive` with any value lists the whole tree.
  repo.route('GET', '/git/trees/*', async (req) => {
    const treeish = req.params.rest ?? ''
    const sha = treeish.startsWith('-') ? undefined : await repo.git.treeOf(treeish)
    if (!sha) return githubError(404, 'Not Found')
    let listing = await repo.git.listTree(sha, req.query.has('recursive'))
    const limit = repo.options.treeLimit ?? 100_000
    const truncated = req.query.has('recursive') && listing.length > limit
    if (truncated) listing = listing.slice(0, limit)
    return {
      json: {
        sha,
        url: repo.apiUrl(req, `/git/trees/${sha}`),
        tree: listing.map((e) => repo.treeEntryJson(req, e)),
        truncated
      }
    }
  })
}

function identity(value: unknown): Identity | undefined {
  if (!value || typeof value !== 'object') return undefined
  const { name, email, date } = value as Body
  if (typeof name !== 'string' || typeof email !== 'string') return undefined
  return { name, email, ...(typeof date === 'string' ? { date } : {}) }
}

function mountCommits(repo: SimRepository): void {
  repo.route('POST', '/git/commits', async (req) => {
    const body = jsonBody(req)
    if (!body) return problemsParsingJson()
    if (typeof body.message !== 'string') return githubError(422, 'Invalid request.\n\n"message" wasn\'t supplied.')
    if (typeof body.tree !== 'string' || (await repo.git.typeOf(body.tree)) !== 'tree')
      return githubError(422, 'Tree SHA does not exist')
    const parents = body.parents ?? []
    if (!Array.isArray(parents)) return githubError(422, 'Invalid request.\n\n"parents" is not an array.')
    for (const parent of parents)
      if (typeof parent !== 'string' || (await repo.git.typeOf(parent)) !== 'commit')
        return githubError(422, 'Parent SHA does not exist or is not a commit object')
    const author = identity(body.author)
    const committer = identity(body.committer)
    const actor = repo.actor(req)
    // GitHub signs only when the App or bot itself is the author, committer and signer.
    const signed = actor.type === 'Bot' && !body.author && !body.committer && !body.signature
    const self: Identity = { name: actor.login, email: `${actor.id}+${actor.login}@users.noreply.github.com` }
    const sha = await repo.git.commitTree(
      body.tree,
      parents as string[],
      body.message,
      author ?? self,
      committer ?? (signed ? { name: 'GitHub', email: 'noreply@github.com' } : (author ?? self))
    )
    repo.verifications.set(sha, signed ? { verified: true, reason: 'valid' } : { verified: false, reason: 'unsigned' })
    return { status: 201, json: repo.commitJson(req, await repo.git.readCommit(sha)) }
  })
  repo.route('GET', '/git/commits/:sha', async (req) => {
    const sha = req.params.sha ?? ''
    if ((await repo.git.typeOf(sha)) !== 'commit') return githubError(404, 'Not Found')
    return { json: repo.commitJson(req, await repo.git.readCommit(sha)) }
  })
}

function mountRefs(repo: SimRepository): void {
  repo.route('GET', '/git/ref/*', async (req) => {
    const ref = `refs/${req.params.rest ?? ''}`
    const sha = await repo.git.resolveRef(ref)
    return sha ? { json: repo.refJson(req, ref, sha) } : githubError(404, 'Not Found')
  })
  repo.route('GET', '/git/matching-refs/*', async (req) => {
    const prefix = `refs/${req.params.rest ?? ''}`
    const refs = (await repo.git.listRefs()).filter((r) => r.ref.startsWith(prefix))
    return { json: refs.map((r) => repo.refJson(req, r.ref, r.sha)) }
  })
  repo.route('POST', '/git/refs', async (req) => {
    const body = jsonBody(req)
    if (!body) return problemsParsingJson()
    const { ref, sha } = body
    if (
      typeof ref !== 'string' ||
      !ref.startsWith('refs/') ||
      ref.split('/').length < 3 ||
      !(await repo.git.validRefName(ref))
    )
      return githubError(422, `${String(ref)} is not a valid ref name.`)
    if (typeof sha !== 'string' || (await repo.git.typeOf(sha)) !== 'commit')
      return githubError(422, 'Object does not exist')
    if (!(await repo.git.updateRef(ref, sha, ''))) return githubError(422, 'Reference already exists')
    return { status: 201, json: repo.refJson(req, ref, sha) }
  })
  repo.route('PATCH', '/git/refs/*', async (req) => {
    const body = jsonBody(req)
    if (!body) return problemsParsingJson()
    const ref = `refs/${req.params.rest ?? ''}`
    const old = await repo.git.resolveRef(ref)
    if (!old) return githubError(422, 'Reference does not exist')
    const sha = body.sha
    if (typeof sha !== 'string' || (await repo.git.typeOf(sha)) !== 'commit')
      return githubError(422, 'Object does not exist')
    if (body.force !== true && !(await repo.git.isAncestor(old, sha)))
      return githubError(422, 'Update is not a fast forward')
    // Compare-and-swap: a request that interleaved and moved the ref wins; this one fails.
    if (!(await repo.git.updateRef(ref, sha, old))) return githubError(422, 'Reference cannot be updated')
    return { json: repo.refJson(req, ref, sha) }
  })
  repo.route('DELETE', '/git/refs/*', async (req) => {
    const ref = `refs/${req.params.rest ?? ''}`
    const old = await repo.git.resolveRef(ref)
    if (!old || !(await repo.git.deleteRef(ref, old))) return githubError(422, 'Reference does not exist')
    if (ref.startsWith('refs/heads/')) repo.pulls.headDeleted(ref.slice('refs/heads/'.length), old)
    return { status: 204 }
  })
}
