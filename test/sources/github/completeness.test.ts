import { afterEach, describe, expect, it } from 'vitest'
import { nodeId } from '../../sim/github/data.js'
import type { GitHubSim } from '../../sim/github/server.js'
import { canonical, expectedSnapshot } from './ground-truth.js'
import { appKeyPair, expectFailure, fetchWith, start, testOrg } from './harness.js'

const { privateKey, publicKey } = appKeyPair()

describe('GitHub source: everything GitHub withholds fails the source', () => {
  let github: GitHubSim | undefined
  afterEach(() => github?.stop())

  it('fails when GitHub withholds an organization member (node: null with a FORBIDDEN error), naming path and message', async () => {
    const org = testOrg('team')
    github = await start(org)
    const hidden = org.users.get([...org.members.keys()][42]!)!.login
    github.controls.forbiddenOrgMembers.add(hidden)
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toContain('incomplete data, not stored')
    expect(error.message).toContain('organization members')
    expect(error.hint).toMatch(
      /organization\.membersWithRole\.edges\.\d+\.node: Resource not accessible by integration/
    )
  })

  it('fails when GitHub withholds a team member (the non-null node nulls its edge), naming path and message', async () => {
    const org = testOrg('team')
    github = await start(org)
    const team = org.teams[3]!
    const hidden = org.users.get([...team.members.keys()][120]!)!.login
    github.controls.forbiddenTeamMembers.add(hidden)
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toContain(`members of team ${team.slug}`)
    expect(error.hint).toMatch(/members\.edges\.\d+\.node: Resource not accessible by integration/)
  })

  it('stores a direct grant whose roleName is null at the level its permission names', async () => {
    const org = testOrg('team')
    github = await start(org)
    const repo = org.repos[7]!
    const admin = [...org.members.keys()][250]!
    repo.collaborators.set(admin, 'admin')
    github.controls.unnamedRoles.set(repo.name, {})
    const result = await fetchWith(github)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    const grant = result.snapshot.grants.find(
      (g) => g.scope === repo.nodeId && g.subject.id === org.users.get(admin)!.nodeId
    )
    expect(grant?.role).toBe('repository:admin')
  })

  it('fails on a direct grant whose role cannot be named (no roleName, permission NONE)', async () => {
    const org = testOrg('team')
    github = await start(org)
    const repo = org.repos[7]!
    github.controls.unnamedRoles.set(repo.name, { permission: 'NONE' })
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toMatch(new RegExp(`direct grants on ${repo.name}: .+ whose role GitHub did not name`))
  })

  it('fails when a GitHub App is installed on selected repositories only, naming the installation setting', async () => {
    const org = testOrg('team')
    const repositories = org.repos.slice(0, 100).map((r) => r.name)
    github = await start(org, { app: { appId: 4242, installationId: 777, publicKey, repositories } })
    const error = await expectFailure(
      fetchWith(github, { 'app-id': 4242, 'private-key-env': 'APP_KEY' }, { APP_KEY: privateKey })
    )
    expect(error.message).toContain('installed on selected repositories only')
    expect(error.hint).toContain('Repository access: All repositories')
    expect(github.graphql.queries).toBe(0)
  })

  it('fails when a token sees fewer repositories than the organization counts, naming the token setting', async () => {
    const org = testOrg('team')
    github = await start(org)
    github.addToken('github_pat_some_repositories', { repositories: new Set(org.repos.slice(3).map((r) => r.name)) })
    const error = await expectFailure(fetchWith(github, {}, { GH_TOKEN: 'github_pat_some_repositories' }))
    expect(error.message).toContain(`sees 117 of the 120 repositories`)
    expect(error.hint).toContain('Repository access')
    expect(error.hint).toContain('All repositories')
  })
})

describe('GitHub source: invitations where GitHub has none, and what errors say', () => {
  let github: GitHubSim | undefined
  afterEach(() => github?.stop())

  it('for an Enterprise Managed Users organization (invitations answer 404) skips invitations with a note', async () => {
    const org = testOrg('enterprise')
    github = await start(org, { emu: true })
    const result = await fetchWith(github)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme', { invitations: false })))
    expect(result.notes).toEqual([expect.stringContaining('Enterprise Managed Users')])
  })

  it('maps the hiring_manager and reinstate invitation roles to roles of their own', async () => {
    const org = testOrg('team')
    const inviter = [...org.members.keys()][0]!
    for (const [i, role] of (['hiring_manager', 'reinstate'] as const).entries()) {
      const id = org.nextId++
      org.invitations.push({
        id,
        nodeId: nodeId('OI', id),
        login: `recruiter-${i}`,
        email: null,
        role,
        teamIds: [],
        inviterId: inviter,
        createdAt: '2026-02-01T00:00:00.000Z'
      })
    }
    github = await start(org)
    const result = await fetchWith(github)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
  })

  it('a GraphQL 502 says GitHub’s message, not the raw JSON body', async () => {
    github = await start(testOrg('team'))
    github.controls.timeoutAboveNodes = 0
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toContain(
      'POST /graphql answered 502: Something went wrong while executing your query. This may be the result of a timeout'
    )
    expect(error.message).not.toContain('{')
  })
})
