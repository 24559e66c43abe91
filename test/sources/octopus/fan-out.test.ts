import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { generateOctopus } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import { rejection } from '../../rejection.js'
import { runOctopus } from './run.js'

describe('Octopus source: a fan-out stops at its first failure', () => {
  it('sends no request for the remaining teams once one team’s scoped roles are refused', async () => {
    const state = generateOctopus(11)
    expect(state.teams.length).toBeGreaterThan(10)
    const server = octopusServer(state)
    try {
      const url = await server.start()
      // The first team is refused at once; the team beside it in flight answers a little later.
      server.inject({ path: /\/scopeduserroles$/, status: 403, json: { ErrorMessage: 'You do not have permission' } })
      server.inject({ path: /\/scopeduserroles$/, delayMs: 100, times: Infinity })
      const error = await rejection(runOctopus(url, { settings: { concurrency: 2 } }))
      expect(error.message).toMatch(/scopeduserroles answered 403/)
      // A request started after the failure would arrive once the one in flight has answered: give it the time.
      await delay(400)
      // The refused request and the one in flight beside it; not one per remaining team.
      expect(server.count(/\/scopeduserroles$/)).toBe(2)
    } finally {
      await server.stop()
    }
  })
})
