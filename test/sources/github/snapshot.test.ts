import { afterEach, describe, expect, it } from 'vitest'
import { validateSnapshot } from '../../../src/model/validate.js'
import { githubSource } from '../../../src/sources/github/index.js'
import type { GitHubSim } from '../../sim/github/server.js'
import { canonical, expectedSnapshot } from './ground-truth.js'
import { capture, fetchWith, start, testOrg } from './harness.js'

describe('GitHub source: the snapshot equals the generated organization', () => {
  let github: GitHubSim | undefined
  afterEach(() => github?.stop())

  it('reads members, nested teams, custom roles, direct grants, outside collaborators and invitations exactly', async () => {
    const org = testOrg('enterprise')
    github = await start(org)
    const log = capture()
    const result = await fetchWith(github, {}, undefined, log)

    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    expect(validateSnapshot(result.snapshot)).toEqual([])
    expect(result.notes).toEqual([])
    // The traps are in the data: a user directly in both parent and child team, secret teams, archived repositories.
    const groups = result.snapshot.groups
    const child = groups.find(
      (g) =>
        g.parent && groups.find((p) => p.id === g.parent)!.members.some((m) => g.members.some((n) => n.id === m.id))
    )
    expect(child).toBeDefined()
    expect(groups.some((g) => g.attributes?.privacy === 'secret')).toBe(true)
    expect(result.snapshot.scopes.some((s) => s.attributes?.archived === 'true')).toBe(true)
    expect(result.snapshot.grants.some((g) => g.role.startsWith('repository-role:'))).toBe(true)
    // Several GraphQL queries (chains and follow-ups), every one at one point.
    expect(github.graphql.queries).toBeGreaterThan(3)
    expect(github.graphql.points).toBe(github.graphql.queries)
    expect(result.stats?.requests).toBe(github.sim.requests.length)
  })

  it('keeps only immediate team members although GitHub lists child-team members by default', async () => {
    const org = testOrg('team')
    github = await start(org)
    const { snapshot } = await fetchWith(github)
    const parent = org.teams.find((t) => org.teams.some((c) => c.parentId === t.id))!
    const group = snapshot.groups.find((g) => g.id === parent.nodeId)!
    expect(group.members).toHaveLength(parent.members.size)
  })

  it('below Enterprise Cloud skips custom repository roles and the audit log with notes, not failures', async () => {
    const org = testOrg('team')
    github = await start(org)
    const result = await fetchWith(github, { 'audit-log': true })
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    expect(result.notes).toEqual([
      expect.stringContaining('custom repository roles need GitHub Enterprise Cloud'),
      expect.stringContaining('audit log API needs GitHub Enterprise Cloud')
    ])
    expect(result.events).toEqual([])
  })

  it('reads GitHub Enterprise Server under /api/v3 with GraphQL at /api/graphql; no invitations API there: a note', async () => {
    const org = testOrg('team', 3)
    github = await start(org, { prefix: '/api/v3' })
    const result = await fetchWith(github)
    // `GET /orgs/{org}/invitations` is in no ghes-3.x description: skipped with a note, not a failure.
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme', { invitations: false })))
    expect(result.notes).toEqual([
      expect.stringMatching(/pending invitations were not read.*GitHub Enterprise Server/),
      expect.stringContaining('custom repository roles need GitHub Enterprise Cloud')
    ])
    expect(github.sim.count(/^\/api\/graphql$/)).toBe(github.graphql.queries)
    expect(github.sim.requests.every((r) => r.path.startsWith('/api/'))).toBe(true)
  })

  it('validates its config: a token or App credentials, never both, names of environment variables only', () => {
    const parse = (s: Record<string, unknown>) =>
      githubSource.settings.safeParse({ organization: 'acme', ...s }).success
    expect(parse({ 'token-env': 'GH_TOKEN' })).toBe(true)
    expect(parse({ 'app-id': 123, 'private-key-env': 'APP_KEY', 'installation-id': 9 })).toBe(true)
    expect(parse({})).toBe(false)
    expect(parse({ 'token-env': 'GH_TOKEN', 'app-id': 1, 'private-key-env': 'K' })).toBe(false)
    expect(parse({ 'app-id': 1 })).toBe(false)
    expect(parse({ 'token-env': 'ghp_not a variable' })).toBe(false)
    expect(parse({ 'token-env': 'GH_TOKEN', 'api-url': 'github.example.com' })).toBe(false)
  })
})
