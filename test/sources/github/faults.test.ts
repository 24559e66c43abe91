import { afterEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import { secondaryRateLimit, type GitHubSim } from '../../sim/github/server.js'
import { canonical, expectedSnapshot } from './ground-truth.js'
import { capture, expectFailure, fetchWith, start, testOrg } from './harness.js'

describe('GitHub source: faults are survived or reported, never turned into less access', () => {
  let github: GitHubSim | undefined
  afterEach(() => github?.stop())

  it('waits out secondary rate limits (403 with retry-after) on GraphQL and REST, then succeeds', async () => {
    const org = testOrg('team')
    github = await start(org)
    github.sim.inject(secondaryRateLimit('/graphql', 1))
    github.sim.inject(secondaryRateLimit('/orgs/acme/outside_collaborators', 1))
    const log = capture()
    const result = await fetchWith(github, {}, undefined, log)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    expect(log.lines.filter((l) => l.includes('secondary rate limit'))).toHaveLength(2)
    expect(result.stats?.throttled).toBe(2)
  })

  it('retries a 5xx, a dropped connection and a truncated body mid-way', async () => {
    const org = testOrg('team')
    github = await start(org)
    // The third GraphQL query fails three ways in a row; REST fails once each way too.
    github.sim.inject({ path: '/graphql', status: 500, json: { message: 'Server Error' } })
    github.sim.inject({ path: '/orgs/acme/invitations', status: 502, json: { message: 'Server Error' } })
    github.sim.inject({ path: '/orgs/acme/organization-roles', truncate: true })
    github.sim.inject({ path: '/orgs/acme/outside_collaborators', drop: true })
    const result = await fetchWith(github)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    expect(github.sim.requests.filter((r) => r.status >= 500 || r.status === -1)).toHaveLength(3)
    expect(result.stats?.retries).toBeGreaterThanOrEqual(3)
  })

  it('asks again with smaller pages when GitHub times out on a heavy query (502)', async () => {
    const org = testOrg('team')
    github = await start(org)
    github.controls.timeoutAboveNodes = 4_000
    const log = capture()
    const result = await fetchWith(github, {}, undefined, log)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    expect(github.sim.requests.some((r) => r.path === '/graphql' && r.status === 502)).toBe(true)
    expect(log.lines.some((l) => /timed out \(502\); asking again with pages of 50/.test(l))).toBe(true)
  })

  it('fails, instead of returning partial data, when GitHub keeps failing', async () => {
    github = await start(testOrg('team'))
    github.sim.inject({ path: '/graphql', status: 502, times: Infinity, json: { message: 'Server Error' } })
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toContain('POST /graphql answered 502')
    expect(error.hint).toContain('previous snapshot stays')
  })

  it("fails when GitHub withholds some repositories' collaborators, naming them", async () => {
    const org = testOrg('team')
    github = await start(org)
    github.controls.forbiddenCollaborators.add(org.repos[10]!.name)
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toContain(`incomplete data, not stored`)
    expect(error.message).toContain(`${org.repos[10]!.name} (Must have push access to view repository collaborators.)`)
  })

  it('refuses a token that cannot see secret teams and concealed members', async () => {
    const org = testOrg('team')
    github = await start(org)
    github.addToken('ghp_member_only_token', { owner: false })
    const error = await expectFailure(fetchWith(github, {}, { GH_TOKEN: 'ghp_member_only_token' }))
    expect(error.message).toContain('cannot see secret teams and concealed members')
    expect(error.hint).toContain("organization owner's token")
  })

  it('explains a refused token (401) without printing it', async () => {
    github = await start(testOrg('team'))
    const error = await expectFailure(fetchWith(github, {}, { GH_TOKEN: 'ghp_revoked_token_123' }))
    expect(error.message).toContain('GET /orgs/acme answered 401: Bad credentials')
    expect(error.hint).toContain('expired, revoked or mistyped')
    expect(error.message).not.toContain('ghp_revoked_token_123')
  })

  it('explains SAML single sign-on enforcement', async () => {
    github = await start(testOrg('team'))
    github.addToken('ghp_not_sso_authorized', { ssoAuthorized: false })
    const error = await expectFailure(fetchWith(github, {}, { GH_TOKEN: 'ghp_not_sso_authorized' }))
    expect(error.message).toContain('SAML enforcement')
    expect(error.hint).toContain('authorize the token for it')
  })

  it.each([
    ['organization-roles', 'Custom organization roles: read'],
    // Listing invitations is for organization owners, whatever the token's permissions.
    ['invitations', 'the token must belong to an organization owner']
  ])('names what a 403 on %s needs', async (endpoint, needed) => {
    github = await start(testOrg('team'))
    github.sim.inject({
      path: `/orgs/acme/${endpoint}`,
      status: 403,
      json: { message: 'Resource not accessible by personal access token', status: '403' }
    })
    const error = await expectFailure(fetchWith(github))
    expect(error.message).toContain(`GET /orgs/acme/${endpoint} answered 403`)
    expect(error.hint).toContain(needed)
  })

  it('reports a missing credential variable', async () => {
    github = await start(testOrg('team'))
    const error = await expectFailure(fetchWith(github, {}, {}))
    expect(error.message).toContain('GH_TOKEN is not set')
    expect(error).not.toBeInstanceOf(HttpError)
  })
})
