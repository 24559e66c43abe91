import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import { SourceError } from '../../../src/sources/types.js'
import { API_USER, generateEpm, type EpmState } from '../../sim/cyberark-epm/data.js'
import { EpmSimulator, throttledAnswer, TOO_MANY_CALLS } from '../../sim/cyberark-epm/server.js'
import { expectedSnapshot, sorted } from './expected.js'
import { PASSWORD_ENV, runEpm, USER_ENV } from './run.js'

const SIZE = { sets: 3, adminsPerSet: 3, accountAdmins: 1, rowsPerDay: 30, days: 4, roleChanges: 0.3 }

describe('CyberArk EPM source: failures are explained, waited out, or refused', () => {
  let state: EpmState
  let sim: EpmSimulator
  let url: string

  beforeEach(async () => {
    state = generateEpm(21, SIZE)
    sim = new EpmSimulator(state)
    sim.rateLimit = undefined
    url = await sim.start()
  })
  afterEach(() => sim.stop())

  const failure = (options: Parameters<typeof runEpm>[1]) =>
    runEpm(url, options).then(
      () => {
        throw new Error('expected the source to fail')
      },
      (error: unknown) => error as Error
    )

  it('explains a refused logon with the variables to check, never the password', async () => {
    const error = await failure({ env: { [USER_ENV]: API_USER, [PASSWORD_ENV]: 'Wrong-Password-123' } })
    expect(error).toBeInstanceOf(HttpError)
    expect((error as HttpError).status).toBe(401)
    expect(error.message).toContain('POST /EPM/API/Auth/EPM/Logon answered 401: Invalid user name or password')
    expect(error.message).toContain(USER_ENV)
    expect(error.message).toContain(PASSWORD_ENV)
    expect(error.message).not.toContain('Wrong-Password-123')
  })

  it('treats a 200 logon with IsPasswordExpired as an error that says so', async () => {
    state.users.get(API_USER)!.expired = true
    const error = await failure({})
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('password of the API user has expired')
    expect((error as SourceError).hint).toContain(PASSWORD_ENV)
    expect(sim.manager.requests).toHaveLength(0)
  })

  it('says which variable to set when a credential is missing', async () => {
    const error = await failure({ env: { [USER_ENV]: API_USER } })
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain(PASSWORD_ENV)
  })

  it('waits out 403 "Too many calls" as throttling, not a refusal, and returns complete data', async () => {
    sim.manager.inject({ path: /\/AdminAudit$/, ...throttledAnswer(), times: 3 })
    const result = await runEpm(url, { settings: { 'page-size': 10 } })
    expect(result.stats).toMatchObject({ throttled: 3, retries: 3 })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('stays within 5 calls per second at its default pace, and recovers when it is made to exceed it', async () => {
    sim.rateLimit = { perSecond: 5, perFiveMinutes: 1_000 }
    const paced = await runEpm(url, { settings: { 'min-interval-ms': 300 } })
    expect(paced.stats?.throttled).toBe(0)
    expect(sorted(paced.snapshot)).toEqual(expectedSnapshot(state))

    const hurried = await runEpm(url, {
      settings: { 'min-interval-ms': 0, 'page-size': 40, concurrency: 2, 'throttle-wait-seconds': 0.3 }
    })
    expect(hurried.stats?.throttled).toBeGreaterThan(0)
    expect(sorted(hurried.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('fails with the throttling message when "Too many calls" never ends', async () => {
    sim.manager.inject({ path: '/EPM/API/Sets', ...throttledAnswer(), times: Infinity })
    const error = await failure({})
    expect((error as HttpError).status).toBe(403)
    expect(error.message).toContain(TOO_MANY_CALLS)
    expect(error.message).not.toContain('role')
  })

  it('retries a 5xx and a dropped connection mid-way', async () => {
    sim.manager.inject({ path: /\/AdminAudit$/, status: 503, text: 'Service Unavailable' })
    sim.manager.inject({ path: /\/AdminAudit$/, drop: true })
    const result = await runEpm(url, { settings: { 'page-size': 10 } })
    expect(result.stats?.retries).toBe(2)
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('logs on again when the session token expires mid-run', async () => {
    sim.sessionCalls = 3
    const result = await runEpm(url, { settings: { concurrency: 1 } })
    expect(sim.dispatcher.count(/Logon$/)).toBe(2)
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('explains a 403 on the account audit: the role it needs, or how to skip it', async () => {
    state.users.get(API_USER)!.accountAdmin = false
    const error = await failure({})
    expect((error as HttpError).status).toBe(403)
    expect(error.message).toContain('GET /EPM/API/Account/AdminAudit answered 403')
    expect(error.message).toContain("'account-audit: false'")
    const result = await runEpm(url, { settings: { 'account-audit': false } })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state, { account: false }))
  })

  it('fails instead of returning part of the trail when a page never comes or the total does not add up', async () => {
    sim.manager.inject({ path: new RegExp(`/Sets/${state.sets[2]!.Id}/AdminAudit$`), status: 500, times: Infinity })
    expect(await failure({ settings: { 'page-size': 10 } })).toBeInstanceOf(HttpError)

    sim.manager.clearFaults()
    sim.manager.inject({ path: /\/Sets\/[^/]+\/AdminAudit$/, status: 200, json: { TotalCount: 99, AdminAudits: [] } })
    const short = await failure({})
    expect(short).toBeInstanceOf(SourceError)
    expect(short.message).toMatch(/stopped at 0 of 99 rows/)
  })

  it('refuses a ManagerURL that is not an http(s) URL: the token would go there', async () => {
    sim.managerUrl = 'file:///etc/passwd'
    const error = await failure({})
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('ManagerURL with scheme file:')
    expect(sim.manager.requests).toHaveLength(0)
  })

  it('waits out 403 "Too many calls" on Logon, like any other call, and returns complete data', async () => {
    sim.dispatcher.inject({ path: /\/Auth\/EPM\/Logon$/, ...throttledAnswer(), times: 2 })
    const result = await runEpm(url)
    expect(sim.dispatcher.count(/\/Logon$/)).toBe(3)
    expect(result.stats).toMatchObject({ throttled: 2 })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('when the throttling never ends, says so instead of blaming the user name and password', async () => {
    sim.dispatcher.inject({ path: /\/Auth\/EPM\/Logon$/, ...throttledAnswer(), times: Infinity })
    const error = (await runEpm(url).catch((e: unknown) => e)) as HttpError
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toBe(`CyberArk EPM: POST /EPM/API/Auth/EPM/Logon answered 403: ${TOO_MANY_CALLS}`)
    expect(error.message).not.toContain(USER_ENV)
    expect(error.message).not.toContain(PASSWORD_ENV)
  })

  it("the simulator's rate limit covers Logon too", async () => {
    sim.rateLimit = { perSecond: 5, perFiveMinutes: 1_000 }
    // Five logons of one user inside a second, as parallel runs would make: the sixth is throttled.
    const logon = () =>
      fetch(`${url}/EPM/API/Auth/EPM/Logon`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Username: 'nobody@example.com', Password: 'x', ApplicationID: 'test' })
      }).then(async (r) => ({ status: r.status, body: await r.text() }))
    const answers = []
    for (let i = 0; i < 6; i++) answers.push(await logon())
    expect(answers.slice(0, 5).map((a) => a.status)).toEqual([401, 401, 401, 401, 401])
    expect(answers[5]).toMatchObject({ status: 403 })
    expect(answers[5]!.body).toContain(TOO_MANY_CALLS)
  })
})
