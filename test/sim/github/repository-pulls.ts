/**
 * Pull requests of one simulated repository: list (by head, base, state),
 * create, update, get, labels, requested reviewers, a merge helper for tests
 * (squash or merge commit, made with real git), and the GraphQL mutation
 * `enablePullRequestAutoMerge`.
 *
 * GitHub's answers reproduced: 422 "A pull request already exists for
 * owner:branch." for a second open pull request of the same head and base,
 * "No commits between base and head", "body is too long (maximum is 65536
 * characters)", "Review cannot be requested from pull request author." and
 * the collaborator check on reviewers. Listed pull requests have the
 * `pull-request-simple` shape (`merged_at`, no `merged`); a single one the full
 * `pull-request` shape. A closed pull request keeps the head sha it had when
 * it was closed, also after its branch is deleted.
 */
import type { SimRequest } from '../server.js'
import type { Actor, SimRepository } from './repository.js'
import { jsonBody, problemsParsingJson, validationFailed } from './repository-requests.js'
import { githubError, paginate } from './rest.js'

/** GitHub's limit on pull request, issue and comment bodies (reference github.md §9.1). */
export const MAX_BODY_LENGTH = 65_536

export type MergeMethod = 'merge' | 'squash' | 'rebase'

export interface SimPullRequest {
  number: number
  nodeId: string
  title: string
  body: string | null
  state: 'open' | 'closed'
  draft: boolean
  head: string
  base: string
  /** Head sha while the head branch existed; the branch's sha is read live while it does. */
  headSha: string
  user: Actor
  labels: string[]
  reviewers: string[]
  teamReviewers: string[]
  autoMerge?: { method: MergeMethod; enabledBy: string }
  merged: boolean
  mergeCommitSha?: string
  createdAt: string
  closedAt?: string
}

const tooLong = () =>
  validationFailed({
    resource: 'Issue',
    code: 'custom',
    field: 'body',
    message: 'body is too long (maximum is 65536 characters)'
  })

const iso = () => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

export class SimPulls {
  readonly all: SimPullRequest[] = []
  /** Labels defined in the repository: adding an unknown one to an issue creates it, as GitHub does. */
  readonly labels = new Set<string>()

  constructor(private readonly repo: SimRepository) {}

  get(number: number): SimPullRequest | undefined {
    return this.all.find((p) => p.number === number)
  }

  /** The open pull request whose head is `branch`, if any. */
  openFor(branch: string): SimPullRequest | undefined {
    return this.all.find((p) => p.state === 'open' && p.head === branch)
  }

  /** GitHub closes open pull requests whose head branch is deleted. */
  headDeleted(branch: string, lastSha: string): void {
    for (const pr of this.all)
      if (pr.state === 'open' && pr.head === branch) {
        pr.headSha = lastSha
        pr.state = 'closed'
        pr.closedAt = iso()
      }
  }

  /** Closes a pull request without merging it, as the Close button does (and deletes its branch if asked). */
  async close(number: number, options: { deleteBranch?: boolean } = {}): Promise<void> {
    const pr = this.get(number)
    if (!pr || pr.state !== 'open') throw new Error(`pull request #${number} is not open`)
    pr.headSha = (await this.repo.headOf(pr.head)) ?? pr.headSha
    pr.state = 'closed'
    pr.closedAt = iso()
    if (options.deleteBranch) await this.repo.git.deleteRef(`refs/heads/${pr.head}`, pr.headSha)
  }

  /**
   * Merges a pull request into its base as the merge button would: a squash
   * commit (one parent, message "title (#n)") or a merge commit, from a real
   * three-way merge of the head into the base. Returns the new base sha.
   */
  async merge(number: number, options: { method?: 'squash' | 'merge'; deleteBranch?: boolean } = {}): Promise<string> {
    const pr = this.get(number)
    if (!pr || pr.state !== 'open') throw new Error(`pull request #${number} is not open`)
    const { git } = this.repo
    const base = await this.repo.headOf(pr.base)
    const head = await this.repo.headOf(pr.head)
    if (!base || !head) throw new Error(`pull request #${number}: base or head branch missing`)
    const tree = await git.mergeTree(base, head)
    if (!tree) throw new Error(`pull request #${number} has conflicts`)
    const merger = { name: 'Mona Lisa', email: 'mona@users.noreply.github.com' }
    const squash = (options.method ?? 'squash') === 'squash'
    const message = squash
      ? `${pr.title} (#${pr.number})\n`
      : `Merge pull request #${pr.number} from ${this.repo.owner}/${pr.head}\n\n${pr.title}\n`
    const sha = await git.commitTree(tree, squash ? [base] : [base, head], message, merger, {
      name: 'GitHub',
      email: 'noreply@github.com'
    })
    if (!(await git.updateRef(`refs/heads/${pr.base}`, sha, base))) throw new Error(`${pr.base} moved during the merge`)
    this.repo.verifications.set(sha, { verified: true, reason: 'valid' })
    Object.assign(pr, { state: 'closed', merged: true, mergeCommitSha: sha, headSha: head, closedAt: iso() })
    if (options.deleteBranch) await git.deleteRef(`refs/heads/${pr.head}`, head)
    return sha
  }

  /** The REST-level effect of GraphQL `enablePullRequestAutoMerge`; throws GitHub's message when refused. */
  enableAutoMerge(nodeId: string, method: MergeMethod, enabledBy: string): SimPullRequest {
    const pr = this.all.find((p) => p.nodeId === nodeId)
    if (!pr) throw new Error(`Could not resolve to a node with the global id of '${nodeId}'`)
    if (!(this.repo.options.allowAutoMerge ?? true))
      throw new Error('Pull request Auto merge is not allowed for this repository')
    if (pr.state !== 'open') throw new Error('Pull request is closed')
    pr.autoMerge = { method, enabledBy }
    return pr
  }

  /**
   * GraphQL root resolvers for the simulator's executor
   * (`graphqlRoots: { Mutation: repo.pulls.graphqlMutations }`). Each takes
   * the field's arguments first, as graphql-js calls functions on the root value.
   */
  get graphqlMutations() {
    return {
      enablePullRequestAutoMerge: (args: unknown) => {
        const { input } = args as { input: { pullRequestId: string; mergeMethod?: string } }
        const method = (input.mergeMethod ?? 'MERGE').toLowerCase() as MergeMethod
        const pr = this.enableAutoMerge(
          input.pullRequestId,
          method,
          this.repo.options.bot?.login ?? 'permission-snapshot[bot]'
        )
        return {
          clientMutationId: null,
          pullRequest: {
            id: pr.nodeId,
            number: pr.number,
            autoMergeRequest: { mergeMethod: method.toUpperCase(), enabledAt: iso() }
          }
        }
      }
    }
  }

  /** `pull-request` (one pull request), or `pull-request-simple` (in a list) when `listed`. */
  async json(req: SimRequest, pr: SimPullRequest, listed = false) {
    const repo = this.repo
    const live = pr.state === 'open' ? await repo.headOf(pr.head) : undefined
    if (live) pr.headSha = live
    const baseSha = (await repo.headOf(pr.base)) ?? ''
    const repoJson = { id: repo.id, name: repo.name, full_name: repo.fullName, owner: { login: repo.owner } }
    return {
      url: repo.apiUrl(req, `/pulls/${pr.number}`),
      id: 1_000 + pr.number,
      node_id: pr.nodeId,
      html_url: repo.htmlUrl(`/pull/${pr.number}`),
      number: pr.number,
      state: pr.state,
      locked: false,
      title: pr.title,
      body: pr.body,
      user: { login: pr.user.login, id: pr.user.id, type: pr.user.type },
      labels: pr.labels.map((name) => this.labelJson(req, name)),
      draft: pr.draft,
      created_at: pr.createdAt,
      closed_at: pr.closedAt ?? null,
      merged_at: pr.merged ? (pr.closedAt ?? null) : null,
      merge_commit_sha: pr.mergeCommitSha ?? null,
      requested_reviewers: pr.reviewers.map((login) => ({ login, type: 'User' })),
      requested_teams: pr.teamReviewers.map((slug) => ({ slug, name: slug })),
      head: { label: `${repo.owner}:${pr.head}`, ref: pr.head, sha: pr.headSha, repo: repoJson },
      base: { label: `${repo.owner}:${pr.base}`, ref: pr.base, sha: baseSha, repo: repoJson },
      auto_merge: pr.autoMerge
        ? {
            enabled_by: { login: pr.autoMerge.enabledBy },
            merge_method: pr.autoMerge.method,
            commit_title: null,
            commit_message: null
          }
        : null,
      ...(listed ? {} : { merged: pr.merged })
    }
  }

  labelJson(req: SimRequest, name: string) {
    return {
      id: [...this.labels].indexOf(name) + 1,
      node_id: `LA_sim${Buffer.from(name).toString('base64url')}`,
      url: this.repo.apiUrl(req, `/labels/${encodeURIComponent(name)}`),
      name,
      color: 'ededed',
      default: false,
      description: null
    }
  }

  mount(): void {
    const repo = this.repo
    repo.route('GET', '/pulls', async (req) => {
      const state = req.query.get('state') ?? 'open'
      const head = req.query.get('head')
      const base = req.query.get('base')
      // `head` is `owner:branch`; GitHub ignores a value without the owner.
      const headBranch = head?.startsWith(`${repo.owner}:`) ? head.slice(repo.owner.length + 1) : undefined
      const list = this.all
        .filter((p) => state === 'all' || p.state === state)
        .filter((p) => (head && head.includes(':') ? p.head === headBranch : true))
        .filter((p) => !base || p.base === base)
        .sort((a, b) => b.number - a.number)
      return paginate(req, await Promise.all(list.map((p) => this.json(req, p, true))))
    })

    repo.route('POST', '/pulls', async (req) => {
      const body = jsonBody(req)
      if (!body) return problemsParsingJson()
      const { title, head, base } = body
      if (typeof title !== 'string' || !title.trim())
        return validationFailed({ resource: 'PullRequest', code: 'missing_field', field: 'title' })
      if (typeof head !== 'string' || typeof base !== 'string')
        return validationFailed({
          resource: 'PullRequest',
          code: 'missing_field',
          field: typeof head !== 'string' ? 'head' : 'base'
        })
      if (typeof body.body === 'string' && body.body.length > MAX_BODY_LENGTH) return tooLong()
      const headBranch = head.includes(':') ? head.slice(head.indexOf(':') + 1) : head
      const headSha = await repo.headOf(headBranch)
      const baseSha = await repo.headOf(base)
      if (!baseSha) return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'base' })
      if (!headSha) return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'head' })
      if (this.all.some((p) => p.state === 'open' && p.head === headBranch && p.base === base))
        return validationFailed({
          resource: 'PullRequest',
          code: 'custom',
          message: `A pull request already exists for ${repo.owner}:${headBranch}.`
        })
      if (await repo.git.isAncestor(headSha, baseSha))
        return validationFailed({
          resource: 'PullRequest',
          code: 'custom',
          message: `No commits between ${base} and ${headBranch}`
        })
      const number = this.all.length + 1
      const pr: SimPullRequest = {
        number,
        nodeId: `PR_sim${repo.id}_${number}`,
        title,
        body: typeof body.body === 'string' ? body.body : null,
        state: 'open',
        draft: body.draft === true,
        head: headBranch,
        base,
        headSha,
        user: repo.actor(req),
        labels: [],
        reviewers: [],
        teamReviewers: [],
        merged: false,
        createdAt: iso()
      }
      this.all.push(pr)
      return { status: 201, json: await this.json(req, pr) }
    })

    repo.route('GET', '/pulls/:number', async (req) => {
      const pr = this.get(Number(req.params.number))
      return pr ? { json: await this.json(req, pr) } : githubError(404, 'Not Found')
    })

    repo.route('PATCH', '/pulls/:number', async (req) => {
      const pr = this.get(Number(req.params.number))
      if (!pr) return githubError(404, 'Not Found')
      const body = jsonBody(req)
      if (!body) return problemsParsingJson()
      if (typeof body.body === 'string' && body.body.length > MAX_BODY_LENGTH) return tooLong()
      if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed')
        return validationFailed({ resource: 'PullRequest', code: 'invalid', field: 'state' })
      if (body.state === 'open' && pr.state === 'closed') {
        if (pr.merged || !(await repo.headOf(pr.head)) || this.openFor(pr.head))
          return githubError(422, 'Validation Failed', {
            errors: [{ resource: 'PullRequest', code: 'custom', message: 'state cannot be changed.' }]
          })
      }
      if (typeof body.title === 'string') pr.title = body.title
      if (typeof body.body === 'string' || body.body === null) pr.body = body.body
      if (body.state === 'closed' && pr.state === 'open') {
        pr.headSha = (await repo.headOf(pr.head)) ?? pr.headSha
        pr.closedAt = iso()
      }
      if (body.state === 'open') pr.closedAt = undefined
      if (body.state === 'open' || body.state === 'closed') pr.state = body.state
      return { json: await this.json(req, pr) }
    })

    repo.route('POST', '/issues/:number/labels', async (req) => {
      const pr = this.get(Number(req.params.number))
      if (!pr) return githubError(404, 'Not Found')
      let parsed: unknown
      try {
        parsed = JSON.parse(req.body || '{}')
      } catch {
        return problemsParsingJson()
      }
      // GitHub takes `{ labels: [...] }` or a bare array.
      const names = Array.isArray(parsed) ? parsed : (parsed as { labels?: unknown }).labels
      if (!Array.isArray(names) || names.some((n) => typeof n !== 'string' || !n.trim()))
        return validationFailed({ resource: 'Label', code: 'invalid', field: 'name' })
      for (const name of names as string[]) {
        this.labels.add(name)
        if (!pr.labels.includes(name)) pr.labels.push(name)
      }
      return { json: pr.labels.map((name) => this.labelJson(req, name)) }
    })

    repo.route('POST', '/pulls/:number/requested_reviewers', async (req) => {
      const pr = this.get(Number(req.params.number))
      if (!pr) return githubError(404, 'Not Found')
      const body = jsonBody(req)
      if (!body) return problemsParsingJson()
      const users = Array.isArray(body.reviewers) ? (body.reviewers as unknown[]).map(String) : []
      const teams = Array.isArray(body.team_reviewers) ? (body.team_reviewers as unknown[]).map(String) : []
      if (users.some((u) => u.toLowerCase() === pr.user.login.toLowerCase()))
        return githubError(422, 'Review cannot be requested from pull request author.')
      const { collaborators, teams: knownTeams } = repo.options
      const unknown =
        (collaborators && users.some((u) => !collaborators.includes(u))) ||
        (knownTeams && teams.some((t) => !knownTeams.includes(t)))
      if (unknown)
        return githubError(
          422,
          `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.fullName} repository.`
        )
      for (const u of users) if (!pr.reviewers.includes(u)) pr.reviewers.push(u)
      for (const t of teams) if (!pr.teamReviewers.includes(t)) pr.teamReviewers.push(t)
      return { status: 201, json: await this.json(req, pr) }
    })
  }
}
