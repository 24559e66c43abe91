import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loseSetRole } from '../../sim/cyberark-epm/changes.js'
import { API_USER, generateEpm, type EpmState } from '../../sim/cyberark-epm/data.js'
import { EpmSimulator } from '../../sim/cyberark-epm/server.js'
import { expectedSnapshot, sorted } from './expected.js'
import { runEpm } from './run.js'

describe('CyberArk EPM source: a set the user stops seeing', () => {
  let state: EpmState
  let sim: EpmSimulator
  let url: string

  beforeEach(async () => {
    state = generateEpm(5, { sets: 3, adminsPerSet: 3, accountAdmins: 1, rowsPerDay: 20, days: 4, roleChanges: 0.3 })
    sim = new EpmSimulator(state)
    sim.rateLimit = undefined
    url = await sim.start()
  })
  afterEach(() => sim.stop())

  it('reports the set when the API user loses its role in it, instead of dropping every administrator of it', async () => {
    const day1 = await runEpm(url)
    const lost = state.sets[1]!
    expect(day1.snapshot.grants.filter((g) => g.scope === lost.Id).length).toBeGreaterThan(0)
    loseSetRole(state, API_USER, lost.Id)

    const { vanished } = await runEpm(url, { previous: day1.snapshot, stored: day1.events })
    expect(vanished?.message).toContain(`'${lost.Name}' (id ${lost.Id}`)
    expect(vanished?.hint).toContain('role in every set')
  })

  it('keeps reading when every set of the previous snapshot is still there', async () => {
    const day1 = await runEpm(url)
    const day2 = await runEpm(url, { previous: day1.snapshot, stored: day1.events })
    expect(sorted(day2.snapshot)).toEqual(expectedSnapshot(state))
    expect(day2.vanished).toBeUndefined()
  })
})
