import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runGit } from './repository-git.js'
import { history, startHarness, TOKEN, type Harness } from '../../publish/harness.js'

/** The simulated repository's GitHub behaviour, exercised with plain HTTP as any client would. */
describe('simulated GitHub repository (Git Data API and pull requests)', () => {
  let h: Harness
  const api = async (method: string, path: string, body?: unknown, token = TOKEN) => {
    const response = await fetch(`${h.sim.url}/repos/acme/permissions${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) })
    })
    const text = await response.text()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- GitHub's JSON answers, asserted field by field
    return { status: response.status, json: text ? (JSON.parse(text) as Record<string, any>) : undefined }
  }

  beforeEach(async () => {
    h = await startHarness({
      collaborators: ['ada'],
      teams: ['security'],
      userTokens: { ghp_user: { login: 'ada', id: 7 } }
    })
    h.rest.addToken('ghp_user')
  })
  afterEach(() => h.stop())

  const commitWith = async (files: Record<string, string>, parent: string, extra: Record<string, unknown> = {}) => {
    const tree = await api('POST', '/git/trees', {
      base_tree: (await api('GET', `/git/commits/${parent}`)).json!.tree.sha,
      tree: Object.entries(files).map(([path, content]) => ({ path, mode: '100644', type: 'blob', content }))
    })
    expect(tree.status).toBe(201)
    return api('POST', '/git/commits', { message: 'test', tree: tree.json!.sha, parents: [parent], ...extra })
  }

  it('stores blobs, nested trees and commits as real git objects, signed only without a custom author', async () => {
    const main = (await api('GET', '/git/ref/heads/main')).json!.object.sha as string
    const blob = await api('POST', '/git/blobs', {
      content: Buffer.from('a: 1\n').toString('base64'),
      encoding: 'base64'
    })
    expect(blob.status).toBe(201)
    expect((await api('GET', `/git/blobs/${blob.json!.sha}`)).json).toMatchObject({ size: 5, encoding: 'base64' })
    const tree = await api('POST', '/git/trees', {
      base_tree: (await api('GET', `/git/commits/${main}`)).json!.tree.sha,
      tree: [
        { path: 'snapshots/x/a.yaml', mode: '100644', type: 'blob', sha: blob.json!.sha },
        { path: 'README.md', mode: '100644', type: 'blob', sha: null }
      ]
    })
    const listing = await api('GET', `/git/trees/${tree.json!.sha}?recursive=1`)
    expect(listing.json!.tree.map((e: { path: string }) => e.path)).toEqual([
      '.github',
      '.github/permission-snapshot.yml',
      'snapshots',
      'snapshots/x',
      'snapshots/x/a.yaml'
    ])
    // Deleting a path the base tree does not hold is refused.
    expect(
      (
        await api('POST', '/git/trees', {
          base_tree: tree.json!.sha,
          tree: [{ path: 'nope', mode: '100644', type: 'blob', sha: null }]
        })
      ).status
    ).toBe(422)

    const signed = await api('POST', '/git/commits', { message: 'm', tree: tree.json!.sha, parents: [main] })
    expect(signed.json).toMatchObject({ verification: { verified: true, reason: 'valid' }, parents: [{ sha: main }] })
    expect(signed.json!.author.name).toBe('permission-snapshot[bot]')
    const authored = await commitWith({ 'b.txt': 'b' }, main, { author: { name: 'X', email: 'x@example.com' } })
    expect(authored.json).toMatchObject({
      verification: { verified: false, reason: 'unsigned' },
      author: { name: 'X' }
    })
    const personal = await api(
      'POST',
      '/git/commits',
      { message: 'm', tree: tree.json!.sha, parents: [main] },
      'ghp_user'
    )
    expect(personal.json).toMatchObject({ verification: { verified: false }, author: { name: 'ada' } })

    const raw = (await h.repo.git.git(['cat-file', '-p', signed.json!.sha])).toString('utf8')
    expect(raw).toContain(`parent ${main}`)
    // Objects the simulator writes itself are valid git objects.
    await h.repo.git.git(['update-ref', 'refs/heads/check', signed.json!.sha])
    await expect(h.repo.git.git(['fsck', '--strict', '--no-dangling'])).resolves.toBeDefined()
  })

  it('refuses non-fast-forward updates and existing refs; deleting a head branch closes its pull request', async () => {
    const main = (await api('GET', '/git/ref/heads/main')).json!.object.sha as string
    const one = (await commitWith({ 'one.txt': '1' }, main)).json!.sha as string
    const other = (await commitWith({ 'other.txt': '2' }, main)).json!.sha as string
    expect((await api('POST', '/git/refs', { ref: 'refs/heads/feature/x', sha: one })).status).toBe(201)
    expect((await api('POST', '/git/refs', { ref: 'refs/heads/feature/x', sha: one })).json!.message).toBe(
      'Reference already exists'
    )
    const ff = await api('PATCH', '/git/refs/heads/feature/x', { sha: other, force: false })
    expect(ff).toMatchObject({ status: 422, json: { message: 'Update is not a fast forward' } })
    expect((await api('PATCH', '/git/refs/heads/feature/x', { sha: other, force: true })).status).toBe(200)

    const pr = await api('POST', '/pulls', { title: 'T', head: 'feature/x', base: 'main', body: 'b' })
    expect(pr.status).toBe(201)
    const again = await api('POST', '/pulls', { title: 'T', head: 'feature/x', base: 'main' })
    expect(again.json!.errors[0].message).toBe('A pull request already exists for acme:feature/x.')
    expect((await api('GET', '/pulls?head=acme:feature/x&state=open')).json).toHaveLength(1)
    expect((await api('DELETE', '/git/refs/heads/feature/x')).status).toBe(204)
    expect((await api('GET', `/pulls/${pr.json!.number}`)).json).toMatchObject({ state: 'closed', merged: false })
  })

  it('validates pull requests like GitHub: body length, reviewers, labels, no commits', async () => {
    const main = (await api('GET', '/git/ref/heads/main')).json!.object.sha as string
    expect((await api('POST', '/git/refs', { ref: 'refs/heads/same', sha: main })).status).toBe(201)
    expect((await api('POST', '/pulls', { title: 'T', head: 'same', base: 'main' })).json!.errors[0].message).toBe(
      'No commits between main and same'
    )
    const c = (await commitWith({ 'a.txt': 'a' }, main)).json!.sha as string
    await api('POST', '/git/refs', { ref: 'refs/heads/b', sha: c })
    const long = await api('POST', '/pulls', { title: 'T', head: 'b', base: 'main', body: 'x'.repeat(65_537) })
    expect(long.json!.errors[0].message).toBe('body is too long (maximum is 65536 characters)')
    const pr = (await api('POST', '/pulls', { title: 'T', head: 'b', base: 'main', body: 'x'.repeat(65_536) })).json!
    expect((await api('POST', `/issues/${pr.number}/labels`, { labels: ['permissions'] })).json).toMatchObject([
      { name: 'permissions' }
    ])
    expect((await api('POST', `/pulls/${pr.number}/requested_reviewers`, { reviewers: ['mallory'] })).status).toBe(422)
    expect(
      (await api('POST', `/pulls/${pr.number}/requested_reviewers`, { reviewers: ['permission-snapshot[bot]'] })).json!
        .message
    ).toBe('Review cannot be requested from pull request author.')
    const ok = await api('POST', `/pulls/${pr.number}/requested_reviewers`, {
      reviewers: ['ada'],
      team_reviewers: ['security']
    })
    expect(ok.json).toMatchObject({ requested_reviewers: [{ login: 'ada' }], requested_teams: [{ slug: 'security' }] })
  })

  it('merges a pull request as a squash commit that a clone can inspect', async () => {
    const main = (await api('GET', '/git/ref/heads/main')).json!.object.sha as string
    const c = (await commitWith({ 'snapshots/a.yaml': 'a\n' }, main)).json!.sha as string
    await api('POST', '/git/refs', { ref: 'refs/heads/daily', sha: c })
    const pr = (await api('POST', '/pulls', { title: 'Snapshot', head: 'daily', base: 'main' })).json!
    const merged = await h.repo.pulls.merge(pr.number)
    expect((await api('GET', `/pulls/${pr.number}`)).json).toMatchObject({ merged: true, merge_commit_sha: merged })
    const clone = await h.repo.clone()
    const log = await history(clone, 'origin/main')
    expect(log[0]).toEqual({ sha: merged, parents: [main] })
    expect((await runGit(undefined, ['-C', clone, 'show', 'origin/main:snapshots/a.yaml'])).toString()).toBe('a\n')
    expect((await runGit(undefined, ['-C', clone, 'log', '-1', '--format=%s', 'origin/main'])).toString().trim()).toBe(
      `Snapshot (#${pr.number})`
    )
  })

  it('answers 403 to writes by a read-only token and 401 to unknown tokens', async () => {
    h.rest.addToken('ghs_readonly')
    h.repo.options.readOnlyTokens = ['ghs_readonly']
    expect((await api('POST', '/git/blobs', { content: 'x' }, 'ghs_readonly')).json!.message).toBe(
      'Resource not accessible by integration'
    )
    expect((await api('GET', '', undefined, 'ghs_readonly')).json!.default_branch).toBe('main')
    expect((await api('GET', '', undefined, 'nope')).status).toBe(401)
  })
  it('compares two commits as GitHub does: chronological commits, paged from the oldest, the merge base', async () => {
    const main = (await api('GET', '/git/ref/heads/main')).json!.object.sha as string
    // A branch of three commits on main; main moves on by one commit after the branch was made.
    const branch: string[] = []
    for (const n of [1, 2, 3])
      branch.push((await commitWith({ [`s${n}.yaml`]: `${n}\n` }, branch.at(-1) ?? main)).json!.sha)
    await api('POST', '/git/refs', { ref: 'refs/heads/daily', sha: branch[2] })
    const moved = await h.repo.commitFiles('main', { 'docs.md': 'moved\n' })

    const all = await api('GET', '/compare/main...daily')
    expect(all.json).toMatchObject({
      status: 'diverged',
      ahead_by: 3,
      behind_by: 1,
      total_commits: 3,
      base_commit: { sha: moved },
      merge_base_commit: { sha: main }
    })
    expect(all.json!.commits.map((c: { sha: string }) => c.sha)).toEqual(branch)
    expect(all.json!.commits[0]).toMatchObject({
      parents: [{ sha: main }],
      commit: { message: 'test', tree: { sha: expect.any(String) } }
    })
    expect(all.json!.files).toBeUndefined()

    const first = await fetch(`${h.sim.url}/repos/acme/permissions/compare/${main}...daily?per_page=1&page=1`, {
      headers: { authorization: `token ${TOKEN}` }
    })
    const firstPage = (await first.json()) as { commits: { sha: string }[] }
    expect(firstPage.commits.map((c) => c.sha)).toEqual([branch[0]])
    expect(first.headers.get('link')).toContain('rel="next"')
    expect((await api('GET', '/compare/daily...daily')).json).toMatchObject({ status: 'identical', commits: [] })
    expect((await api('GET', '/compare/main...nowhere')).status).toBe(404)
  })

  it('lists closed pull requests with merged_at and the head sha they were closed with, also after the branch is gone', async () => {
    const main = (await api('GET', '/git/ref/heads/main')).json!.object.sha as string
    const c = (await commitWith({ 'a.txt': 'a' }, main)).json!.sha as string
    await api('POST', '/git/refs', { ref: 'refs/heads/daily', sha: c })
    const pr = (await api('POST', '/pulls', { title: 'T', head: 'daily', base: 'main' })).json!
    await h.repo.pulls.close(pr.number, { deleteBranch: true })
    expect(await h.repo.headOf('daily')).toBeUndefined()
    const [listed] = (await api('GET', '/pulls?head=acme:daily&state=closed')).json as unknown as Record<
      string,
      unknown
    >[]
    expect(listed).toMatchObject({
      number: pr.number,
      state: 'closed',
      merged_at: null,
      head: { ref: 'daily', sha: c }
    })
    // A list holds pull-request-simple objects: `merged` is only on a single pull request.
    expect(listed).not.toHaveProperty('merged')
  })
})
