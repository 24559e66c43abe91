import { afterEach, describe, expect, it } from 'vitest'
import { createGitHubClient } from '../../src/github/octokit.js'
import { HttpError } from '../../src/http/errors.js'
import { publishSnapshot, type PublishSnapshotOptions } from '../../src/publish/index.js'
import { generateOrg } from '../sim/github/data.js'
import { mountRepository, type SimRepository } from '../sim/github/repository.js'
import { startGitHubSim, type GitHubSim } from '../sim/github/server.js'
import { recordingLogger, snapshotFiles, startHarness, type Harness } from './harness.js'

const options = (extra: Partial<PublishSnapshotOptions['pullRequest']> = {}): PublishSnapshotOptions => ({
  mode: 'pull-request',
  branch: 'permission-snapshot/daily',
  path: 'snapshots',
  files: snapshotFiles({ 'github/acme/principals.yaml': 'principals: []\n' }),
  message: 'Permission snapshot',
  pullRequest: { title: 'Permission changes', body: 'report', ...extra }
})

describe('publishing errors that say what to do', () => {
  let h: Harness
  afterEach(() => h.stop())

  it('a token without write access gets the permissions to grant', async () => {
    h = await startHarness({ readOnlyTokens: ['ghs_readonly'] })
    h.rest.addToken('ghs_readonly')
    const error = await publishSnapshot(h.targetWith('ghs_readonly'), options()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(403)
    expect((error as Error).message).toMatch(
      /^GitHub: could not create the snapshot tree: POST \/repos\/acme\/permissions\/git\/trees answered 403: Resource not accessible by integration\. The token needs `contents: write` and `pull-requests: write`/
    )
    expect((error as Error).message).not.toContain('ghs_readonly')
  })

  it('GITHUB_TOKEN refused by the "create pull requests" setting gets the setting named', async () => {
    h = await startHarness()
    h.sim.inject({
      method: 'POST',
      path: '/repos/acme/permissions/pulls',
      status: 403,
      json: { message: 'GitHub Actions is not permitted to create or approve pull requests.', status: '403' }
    })
    const error = await publishSnapshot(h.target, options()).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(
      /could not open the pull request from permission-snapshot\/daily into main: POST \/repos\/acme\/permissions\/pulls answered 403: GitHub Actions is not permitted to create or approve pull requests\. With GITHUB_TOKEN, also turn on "Allow GitHub Actions to create and approve pull requests"/
    )
  })

  it('a repository the token cannot see is named, with how to grant access', async () => {
    h = await startHarness()
    const error = await publishSnapshot(h.targetWith('ghs_simulated_installation_token', 'secret-repo'), {
      ...options(),
      base: undefined
    }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(
      /GET \/repos\/acme\/secret-repo answered 404: Not Found\. The token cannot see acme\/secret-repo: install the GitHub App on this repository/
    )
  })

  it('a personal access token gets an unsigned commit and a warning that says why', async () => {
    h = await startHarness({ userTokens: { ghp_personal: { login: 'ada', id: 7 } } })
    h.rest.addToken('ghp_personal')
    const result = await publishSnapshot(h.targetWith('ghp_personal'), options())
    expect(result.verified).toBe(false)
    expect(h.log.lines).toContain(
      `warning: commit ${result.commitSha} is not signed by GitHub (verification.reason: unsigned). GitHub signs API commits only for a GitHub App or GITHUB_TOKEN; a personal access token gives unsigned commits.`
    )
  })

  it('refuses a snapshot path that would replace the whole repository', async () => {
    h = await startHarness()
    await expect(publishSnapshot(h.target, { ...options(), path: './' })).rejects.toThrow(
      /must name a folder inside the repository/
    )
    await expect(
      publishSnapshot(h.target, { ...options(), files: snapshotFiles({ '../README.md': 'x' }) })
    ).rejects.toThrow(/Refusing to publish the snapshot file '..\/README.md'/)
  })
})

describe('auto-merge through the GitHub simulator’s GraphQL endpoint', () => {
  let gh: GitHubSim
  let repo: SimRepository
  afterEach(async () => {
    await gh.stop()
    await repo.remove()
  })

  const start = async (allowAutoMerge: boolean) => {
    // The mutation resolvers exist once the repository is mounted; the executor reads them per request.
    const mutations: Record<string, (args: unknown) => unknown> = {}
    gh = await startGitHubSim({
      org: generateOrg({ members: 2, teams: 1, repos: 1 }),
      graphqlRoots: { Mutation: mutations }
    })
    repo = await mountRepository(gh.rest, { owner: 'acme', name: 'permissions', allowAutoMerge })
    Object.assign(mutations, repo.pulls.graphqlMutations)
    const log = recordingLogger()
    return {
      client: createGitHubClient({ auth: gh.token, baseUrl: gh.url, log }),
      owner: 'acme',
      repo: 'permissions',
      log
    }
  }

  it('enables auto-merge with the requested method on the new pull request', async () => {
    const target = await start(true)
    const result = await publishSnapshot(target, options({ autoMerge: 'squash' }))
    expect(result).toMatchObject({ operation: 'created', warnings: [] })
    expect(repo.pulls.get(result.pullRequest!.number)!.autoMerge).toMatchObject({ method: 'squash' })
    expect(target.log.lines).toContain(`auto-merge (squash) enabled on pull request #${result.pullRequest!.number}`)
  })

  it('turns a repository that does not allow auto-merge into a warning, keeping the pull request', async () => {
    const target = await start(false)
    const result = await publishSnapshot(target, options({ autoMerge: 'merge' }))
    expect(result.operation).toBe('created')
    expect(result.warnings[0]).toMatch(
      /could not enable auto-merge on pull request #1: .*Auto merge is not allowed for this repository.*Allow auto-merge/
    )
  })
})
