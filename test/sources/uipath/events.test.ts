import { afterEach, describe, expect, it } from 'vitest'
import { toEvent } from '../../../src/sources/uipath/events.js'
import type { UipathSim } from '../../sim/uipath/server.js'
import { runSource, startSim } from './helpers.js'

const DAY = 86_400_000
const now = new Date('2025-03-10T12:00:00Z')

describe('UiPath source: audit logs', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  it('returns exactly the entries of the window in the access-related components, oldest first', async () => {
    sim = await startSim({}, { auditLogs: 80, historyDays: 10, now })
    const eventsSince = new Date(now.getTime() - 6 * DAY)
    const eventsUntil = new Date(now.getTime() - DAY)
    const { events } = await runSource(sim, {}, { eventsSince, eventsUntil })

    const expected = sim.data.auditLogs.filter(
      (log) =>
        Date.parse(log.ExecutionTime) >= eventsSince.getTime() &&
        Date.parse(log.ExecutionTime) < eventsUntil.getTime() &&
        ['Users', 'Roles', 'Folders', 'Settings'].includes(log.Component)
    )
    expect(expected.length).toBeGreaterThan(8)
    expect(events.map((e) => e.id)).toEqual(expected.map((log) => String(log.Id)))

    const log = expected[0]!
    const admin = sim.data.accounts[0]!
    expect(events[0]).toEqual({
      id: String(log.Id),
      time: new Date(log.ExecutionTime).toISOString(),
      actor: { id: String(admin.Id), name: admin.UserName },
      action: log.Action,
      category: log.Component,
      target: {
        type: { Users: 'user', Roles: 'role', Folders: 'folder', Settings: 'setting' }[log.Component],
        id: String(log.EntityId),
        name: log.Entities[0]!.EntityName
      },
      message: log.OperationText,
      details: { service: log.ServiceName, method: log.MethodName, 'actor-type': 'User' }
    })
  })

  it('reads other components when the config lists them', async () => {
    sim = await startSim({}, { auditLogs: 60, now })
    const { events } = await runSource(
      sim,
      { 'audit-components': ['Jobs', 'Robots'] },
      { eventsSince: new Date(now.getTime() - 30 * DAY), eventsUntil: now }
    )
    const expected = sim.data.auditLogs.filter((log) => ['Jobs', 'Robots'].includes(log.Component))
    expect(events.map((e) => e.id)).toEqual(expected.map((log) => String(log.Id)))
  })

  it('reads zone-less times as UTC and names external applications by client id', () => {
    const event = toEvent({
      Id: 7,
      ExecutionTime: '2025-03-01T08:30:00.5',
      Action: 'Update',
      Component: 'Settings',
      ExternalClientId: 'c0ffee-app',
      UserName: null,
      UserId: null
    })
    expect(event).toEqual({
      id: '7',
      time: '2025-03-01T08:30:00.500Z',
      actor: { id: 'c0ffee-app', name: 'external application c0ffee-app' },
      action: 'Update',
      category: 'Settings'
    })
  })
})
