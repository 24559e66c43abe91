import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import { SourceError } from '../../../src/sources/types.js'
import { generateOctopus, type OctopusState } from '../../sim/octopus/data.js'
import { octopusServer, throttled, UNAUTHORIZED } from '../../sim/octopus/server.js'
import type { SimServer } from '../../sim/server.js'
import { expectedSnapshot } from './expected.js'
import { KEY_ENV, runOctopus } from './run.js'

describe('Octopus source: failures are explained, waited out, or refused', () => {
  let state: OctopusState
  let server: SimServer
  let url: string

  beforeEach(async () => {
    state = generateOctopus(11)
    server = octopusServer(state)
    url = await server.start()
  })
  afterEach(() => server.stop())

  const failure = (options: Parameters<typeof runOctopus>[1]) =>
    runOctopus(url, options).then(
      () => {
        throw new Error('expected the source to fail')
      },
      (error: unknown) => error as Error
    )

  it('explains a 401: the endpoint, the header, the permissions, and never the key', async () => {
    const key = 'API-WRONGKEY1234567890'
    const error = await failure({ env: { [KEY_ENV]: key } })
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(401)
    expect(error.message).toMatch(/GET \/api\/[a-z/]+ answered 401: You must be logged in/)
    expect(error.message).toContain('X-Octopus-ApiKey')
    expect(error.message).toContain(KEY_ENV)
    for (const permission of ['TeamView', 'UserView', 'UserRoleView', 'EventView', 'SpaceView']) {
      expect(error.message).toContain(permission)
    }
    expect(error.message).not.toContain(key)
    expect(UNAUTHORIZED).toMatch(/valid API key/)
  })

  it('answers 401 for the key of a disabled account', async () => {
    state.users.find((u) => u.Id === 'Users-1')!.IsActive = false
    expect(((await failure({})) as HttpError).status).toBe(401)
  })

  it('names the missing permission of the endpoint that answered 403', async () => {
    state.apiKeys['API-NOUSERVIEW00000001'] = { userId: 'Users-1', missing: ['UserView'] }
    const error = await failure({ env: { [KEY_ENV]: 'API-NOUSERVIEW00000001' } })
    expect((error as HttpError).status).toBe(403)
    expect(error.message).toContain('GET /api/users/all answered 403')
    expect(error.message).toContain('Missing permission: UserView')
    expect(error.message).toContain('(here: UserView)')
  })

  it('says which variable to set when the key is missing', async () => {
    const error = await failure({ env: {} })
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain(KEY_ENV)
  })

  it('waits out 429 Retry-After and retries a 5xx mid-way, then returns complete data', async () => {
    server.inject(throttled(/^\/api\/Spaces-1\/scopeduserroles$/, 0, 2))
    server.inject({ path: /^\/api\/Spaces-3\/scopeduserroles$/, status: 503, text: 'Service Unavailable' })
    const result = await runOctopus(url, { settings: { 'page-size': 10 } })
    expect(result.snapshot).toEqual(expectedSnapshot(state, 'octo'))
    expect(result.stats).toMatchObject({ throttled: 2, retries: 3 })
  })

  it('fails when throttling never ends instead of returning what it has', async () => {
    server.inject(throttled(/^\/api\/Spaces-2\/scopeduserroles$/, 0, Infinity))
    const error = await failure({})
    expect((error as HttpError).status).toBe(429)
  })

  it('fails on a permanent error mid-way (a space gone between the list and its roles)', async () => {
    server.inject({
      path: /^\/api\/Spaces-2\/scopeduserroles$/,
      status: 404,
      json: { ErrorMessage: 'Not found' }
    })
    const error = await failure({})
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toContain('/api/Spaces-2/scopeduserroles answered 404')
  })

  it('detects a page loop instead of spinning', async () => {
    const body = {
      Items: [state.teams[0]],
      TotalResults: 100,
      Links: { 'Page.Next': '/api/teams?spaces=all&includeSystem=true&skip=30&take=30' }
    }
    server.inject({ path: /^\/api\/teams$/, status: 200, json: body, times: Infinity })
    const error = await failure({})
    expect(error.message).toMatch(/looped back/)
    expect(server.count(/^\/api\/teams$/)).toBeLessThanOrEqual(3)
  })

  it('refuses a next-page link to another server, which would receive the key', async () => {
    const body = {
      Items: [state.teams[0]],
      TotalResults: 2,
      Links: { 'Page.Next': 'http://attacker.example/api/teams?skip=1' }
    }
    server.inject({ path: /^\/api\/teams$/, status: 200, json: body })
    const error = await failure({})
    expect(error.message).toContain('would go to http://attacker.example, but credentials are only sent to')
    expect(error.message).toContain('check `url`')
  })

  it('refuses a list shorter than the total the server announced', async () => {
    server.inject({
      path: /^\/api\/teams$/,
      status: 200,
      json: { Items: state.teams.slice(0, 3), TotalResults: 9, Links: {} }
    })
    const error = await failure({})
    expect(error.message).toMatch(/read 3 teams but the server announced 9/)
  })

  it('refuses a team list missing a space the key cannot see (no silent mass revocation)', async () => {
    state.apiKeys['API-PARTIALVIEW000001'] = { userId: 'Users-1', hiddenSpaces: ['Spaces-2'] }
    const error = await failure({ env: { [KEY_ENV]: 'API-PARTIALVIEW000001' } })
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('teams-spacemanagers-Spaces-2')
    expect((error as SourceError).hint).toContain('TeamView')
  })

  it('refuses a grant of a role the role list did not contain', async () => {
    state.scopedUserRoles[3]!.UserRoleId = 'UserRoles-77'
    const error = await failure({})
    expect(error.message).toMatch(/dangling reference.*UserRoles-77/)
  })

  it('refuses a resource whose shape is not what Octopus documents', async () => {
    ;(state.users[2] as unknown as { Username: unknown }).Username = 42
    const error = await failure({})
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toMatch(/unexpected users: Username/)
  })
})
