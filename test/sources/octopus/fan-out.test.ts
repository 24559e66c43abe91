import { setTimeout as delay } from 'node:timers/promises'
import { describe, expect, it } from 'vitest'
import { generateOctopus, SMALL } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import { rejection } from '../../rejection.js'
import { runOctopus } from './run.js'

describe('Octopus source: a fan-out stops at its first failure', () => {
  it('sends no request for the remaining spaces once one space’s scoped roles fail', async () => {
    const state = generateOctopus(11, { ...SMALL, spaces: 8 })
    const server = octopusServer(state)
    try {
      const url = await server.start()
      // The first space fails at once; the space beside it in flight answers a little later.
      const perSpace = /^\/api\/Spaces-\d+\/scopeduserroles$/
      server.inject({
        path: perSpace,
        status: 404,
        json: { ErrorMessage: 'The resource you requested was not found.' }
      })
      server.inject({ path: perSpace, delayMs: 100, times: Infinity })
      const error = await rejection(runOctopus(url, { settings: { concurrency: 2 } }))
      expect(error.message).toMatch(/scopeduserroles answered 404/)
      // A request started after the failure would arrive once the one in flight has answered: give it the time.
      await delay(400)
      // The failed request and the one in flight beside it; not one per remaining space.
      expect(server.count(perSpace)).toBe(2)
    } finally {
      await server.stop()
    }
  })
})
