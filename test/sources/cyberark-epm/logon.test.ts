import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import { generateEpm, type EpmState } from '../../sim/cyberark-epm/data.js'
import { EpmSimulator, throttledAnswer, TOO_MANY_CALLS } from '../../sim/cyberark-epm/server.js'
import { expectedSnapshot, sorted } from './expected.js'
import { PASSWORD_ENV, runEpm, USER_ENV } from './run.js'

describe('CyberArk EPM logon: throttling is waited out, a refusal names the credentials', () => {
  let state: EpmState
  let sim: EpmSimulator
  let url: string

  beforeEach(async () => {
    state = generateEpm(23, { sets: 2, adminsPerSet: 2, accountAdmins: 1, rowsPerDay: 10, days: 3, roleChanges: 0.3 })
    sim = new EpmSimulator(state)
    sim.rateLimit = undefined
    url = await sim.start()
  })
  afterEach(() => sim.stop())

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
