import { afterEach, describe, expect, it } from 'vitest'
import { assign, roleByName } from '../../sim/uipath/data.js'
import { minimumRequests } from '../../sim/uipath/minimum.js'
import type { UipathSim } from '../../sim/uipath/server.js'
import { comparable, context, expectedSnapshot, runSource, startSim } from './helpers.js'

describe('UiPath source: paging', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  it('reads every page of every list although the server caps pages far below the $top asked for', async () => {
    sim = await startSim({ pageCap: 4 }, {}, (data) => {
      // A directory user in more folders than one GetAllRolesForUser page holds.
      const user = data.accounts.find((a) => a.Type === 'DirectoryUser')!
      for (const folder of data.folders.filter((f) => !f.IsPersonal).slice(0, 7))
        assign(data, folder.Id, user.Id, [roleByName(data, 'Folder Viewer').Id])
    })
    const ctx = context()
    const result = await runSource(sim, {}, ctx)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))

    const odata = sim.server.requests.filter(
      (r) => r.path.includes('/odata/') && !r.path.includes('GetAllRolesForUser')
    )
    for (const r of odata) {
      const query = new URLSearchParams(r.query)
      expect(query.get('$top')).toBe('1000')
      expect(query.get('$count')).toBe('true')
    }
    const laterPage = (path: RegExp) =>
      odata.some((r) => path.test(r.path) && Number(new URLSearchParams(r.query).get('$skip')) > 0)
    for (const path of [
      /\/odata\/Users$/,
      /\/odata\/Roles$/,
      /\/odata\/Folders$/,
      /GetUsersForFolder/,
      /\/odata\/AuditLogs$/
    ])
      expect(laterPage(path), String(path)).toBe(true)
    expect(
      sim.server.requests.some((r) => /GetAllRolesForUser\(username='[^']+',skip=4,take=1000\)/.test(r.path))
    ).toBe(true)

    // Nothing read twice: the count is exactly the fewest pages the endpoints allow.
    const minimum = minimumRequests(sim.data, {
      pageCap: 4,
      eventsSince: ctx.eventsSince,
      eventsUntil: ctx.eventsUntil
    })
    expect(result.stats?.requests).toBe(minimum.total)
    expect(sim.server.requests).toHaveLength(minimum.total)
  })

  it('stops at an empty page when the server leaves out @odata.count', async () => {
    sim = await startSim({ pageCap: 4, ignoreCount: true })
    const result = await runSource(sim)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    // 13 roles in pages of 4: four pages, and a fifth, empty one to prove the end.
    expect(sim.data.roles).toHaveLength(13)
    expect(sim.server.count(/\/odata\/Roles$/)).toBe(5)
  })
})
