import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { deleteSpace } from '../../sim/octopus/changes.js'
import { ADMIN_KEY, ADMIN_USER, generateOctopus, type OctopusState } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import type { SimServer } from '../../sim/server.js'
import { expectedSnapshot } from './expected.js'
import { KEY_ENV, runOctopus } from './run.js'

describe('Octopus source: a space the key stops seeing', () => {
  let state: OctopusState
  let server: SimServer
  let url: string

  beforeEach(async () => {
    state = generateOctopus(31)
    server = octopusServer(state)
    url = await server.start()
  })
  afterEach(() => server.stop())

  it('reports the space when the key’s user loses every access to it, instead of dropping its grants', async () => {
    const day1 = await runOctopus(url)
    state.apiKeys[ADMIN_KEY]!.unlistedSpaces = ['Spaces-2']
    const { vanished } = await runOctopus(url, { previous: day1.snapshot })
    expect(vanished?.message).toContain(`'${state.spaces[1]!.Name}' (id Spaces-2`)
    expect(vanished?.hint).toContain(KEY_ENV)
    expect(vanished?.hint).toContain('SpaceView')
  })

  it('accepts a space deleted in the window, as its Deleted event shows', async () => {
    const day1 = await runOctopus(url, { until: new Date(Date.now() - 1_000) })
    deleteSpace(state, ADMIN_USER, 'Spaces-3')
    const day2 = await runOctopus(url, { previous: day1.snapshot, since: new Date(Date.now() - 60_000) })
    expect(day2.snapshot).toEqual(expectedSnapshot(state, 'octo'))
    expect(day2.vanished).toBeUndefined()
    expect(day2.events.map((e) => [e.action, e.target?.id])).toContainEqual(['Deleted', 'Spaces-3'])
  })
})
