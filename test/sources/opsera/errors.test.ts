import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import { DEFAULT_ADMIN_ACTION_TYPES } from '../../../src/sources/opsera/settings.js'
import { SourceError } from '../../../src/sources/types.js'
import { generateOpsera, type OpseraState } from '../../sim/opsera/data.js'
import { OpseraSimulator } from '../../sim/opsera/server.js'
import { expectedSnapshot, sorted } from './expected.js'
import { runOpsera, TOKEN_ENV } from './run.js'

describe('Opsera source: failures are explained, waited out, or refused', () => {
  let state: OpseraState
  let sim: OpseraSimulator
  let url: string

  beforeEach(async () => {
    state = generateOpsera(12)
    sim = new OpseraSimulator(state)
    url = await sim.start()
  })
  afterEach(() => sim.stop())

  const failure = (options: Parameters<typeof runOpsera>[1]) =>
    runOpsera(url, options).then(
      () => {
        throw new Error('expected the source to fail')
      },
      (error: unknown) => error as Error
    )

  it('explains a refused token with the variable to update, never the token', async () => {
    const error = await failure({ env: { [TOKEN_ENV]: 'opsera-wrong-token-123456' } })
    expect((error as HttpError).status).toBe(401)
    expect(error.message).toMatch(/GET \/api\/v1\/logs\/user\/(actions|tokens) answered 401: Unauthorized/)
    expect(error.message).toContain(TOKEN_ENV)
    expect(error.message).toContain('Profile > Access Tokens')
    expect(error.message).not.toContain('opsera-wrong-token-123456')

    state.tokens[0]!.expired = true
    expect((await failure({})).message).toContain('jwt expired')
  })

  it('explains "forbidden": the token scope and the site role the audit logs need', async () => {
    const user = state.users.find((u) => u.siteRole === 'User')!
    state.tokens.push({
      token_id: 'x',
      user_id: user._id,
      scope: 'api',
      secret: 'opsera-plain-user-token',
      firstUse: 0
    })
    const error = await failure({ env: { [TOKEN_ENV]: 'opsera-plain-user-token' } })
    expect((error as HttpError).status).toBe(403)
    expect(error.message).toContain('answered 403: forbidden')
    expect(error.message).toContain('Site Administrator or Power User')
    expect(error.message).toContain('Security Logs (Read Only)')
  })

  it('says which variable to set when the token is missing', async () => {
    const error = await failure({ env: {} })
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain(TOKEN_ENV)
  })

  it('waits out 429 Retry-After and retries a 5xx and a truncated body mid-way, then returns complete data', async () => {
    sim.server.inject({ path: '/api/v1/logs/user/actions', status: 429, headers: { 'retry-after': '0' }, times: 2 })
    sim.server.inject({ path: '/api/v1/logs/user/tokens', status: 502, headers: { 'retry-after': '0' } })
    sim.server.inject({ path: '/api/v1/logs/user/tokens', truncate: true })
    const until = new Date()
    const result = await runOpsera(url, { until })
    expect(result.stats).toMatchObject({ throttled: 2, retries: 4 })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state, DEFAULT_ADMIN_ACTION_TYPES))
  })

  it('fails on a permanent error mid-way instead of returning part of the logs', async () => {
    sim.server.inject({
      path: '/api/v1/logs/user/tokens',
      status: 500,
      headers: { 'retry-after': '0' },
      times: Infinity
    })
    const error = await failure({})
    expect((error as HttpError).status).toBe(500)
  })

  it('fails on an answer that is not {count, data[]}', async () => {
    sim.server.inject({ path: '/api/v1/logs/user/actions', status: 200, json: { records: [] } })
    const error = await failure({})
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('did not answer {count, data[]}')
  })
})
