import { setTimeout as delay } from 'node:timers/promises'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { generateOctopus, type OctopusState } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import type { SimServer } from '../../sim/server.js'
import { runOctopus } from './run.js'

describe('Octopus source: a fan-out stops at its first failure', () => {
  let state: OctopusState
  let server: SimServer
  let url: string
  beforeEach(async () => {
    state = generateOctopus(11)
    server = octopusServer(state)
    url = await server.start()
  })
  afterEach(() => server.stop())

  it('sends no request for the remaining teams once one team’s scoped roles are refused', async () => {
    // The first team is refused at once; the team beside it in flight answers a little later.
    server.inject({ path: /\/scopeduserroles$/, status: 403, json: { ErrorMessage: 'You do not have permission' } })
    server.inject({ path: /\/scopeduserroles$/, delayMs: 100, times: Infinity })
    expect(state.teams.length).toBeGreaterThan(10)
    const error = (await runOctopus(url, { settings: { concurrency: 2 } }).catch((e: unknown) => e)) as Error
    expect(error.message).toMatch(/scopeduserroles answered 403/)
    // A request started after the failure would arrive once the one in flight has answered: give it the time.
    await delay(400)
    // The refused request and the one in flight beside it; not one per remaining team.
    expect(server.count(/\/scopeduserroles$/)).toBe(2)
  })
})
