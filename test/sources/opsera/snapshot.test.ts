import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ADMIN_ACTION_TYPES } from '../../../src/sources/opsera/settings.js'
import { administer, createToken } from '../../sim/opsera/changes.js'
import { DAY_MS, generateOpsera, logAction, type OpseraState } from '../../sim/opsera/data.js'
import { OpseraSimulator } from '../../sim/opsera/server.js'
import { expectedSnapshot, sorted } from './expected.js'
import { runOpsera } from './run.js'

describe('Opsera source: the access the audit logs reveal', () => {
  let state: OpseraState
  let sim: OpseraSimulator
  let url: string

  beforeEach(async () => {
    state = generateOpsera(4)
    sim = new OpseraSimulator(state)
    url = await sim.start()
  })
  afterEach(() => sim.stop())

  const recordsIn = (since: number, until: number) =>
    [...state.actions, ...state.tokenUses].filter((r) => {
      const t = Date.parse(r.createdAt)
      return t >= since && t <= until
    }).length

  it('derives every token (owner, scope, first seen) and every administrator, asking once per log per day', async () => {
    const until = new Date()
    const since = new Date(until.getTime() - 7 * DAY_MS)
    const expectedEvents = recordsIn(since.getTime(), until.getTime())
    const result = await runOpsera(url, { since, until })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state, DEFAULT_ADMIN_ACTION_TYPES))
    expect(result.events).toHaveLength(expectedEvents)
    expect(result.notes).toEqual([])
    // 8 UTC days touch a 7-day window (9 when it starts exactly at midnight).
    expect(sim.server.count(/\/actions$/)).toBeGreaterThanOrEqual(8)
    expect(sim.server.count(/\/tokens$/)).toBe(sim.server.count(/\/actions$/))
    for (const r of sim.server.requests) expect(new URLSearchParams(r.query).get('date')).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(result.stats?.requests).toBe(sim.server.requests.length)
  })

  it('reads the same whether Opsera takes date= as that day or as "since that day"', async () => {
    const until = new Date()
    const asDay = await runOpsera(url, { until })
    state.dateMeans = 'since'
    const asSince = await runOpsera(url, { until })
    expect(asSince.events.map((e) => e.id).sort()).toEqual(asDay.events.map((e) => e.id).sort())
    expect(sorted(asSince.snapshot)).toEqual(sorted(asDay.snapshot))
  })

  it('maps records to events, naming token owners by e-mail', async () => {
    const result = await runOpsera(url)
    const action = state.actions.find((a) => a.type === 'pipeline')!
    expect(result.events.find((e) => e.id === `action-${action._id}`)).toEqual({
      id: `action-${action._id}`,
      time: action.createdAt,
      actor: { id: action.user_id, name: action.user_email },
      action: `pipeline ${action.action}`,
      category: 'user-action',
      target: { type: 'pipeline', id: action.target_id },
      details: { type: 'pipeline', action: action.action, account: state.account }
    })
    const use = state.tokenUses.find((u) => u.target === '/v1/tools')!
    const owner = state.users.find((u) => u._id === use.user_id)!
    expect(result.events.find((e) => e.id === `token-${use._id}`)).toEqual({
      id: `token-${use._id}`,
      time: use.createdAt,
      actor: { id: owner._id, name: owner.email },
      action: 'token use',
      category: 'token-use',
      target: { type: 'api', name: '/v1/tools' },
      message: `Access token ${use.token_id} (scope ${use.scope}) called /v1/tools`,
      details: { token: use.token_id, scope: use.scope, user: owner._id, account: state.account }
    })
  })

  it('keeps what the logs no longer return, from the archive, and shows day-2 tokens and administrators', async () => {
    const day1 = await runOpsera(url)
    const started = new Date()
    const user = state.users.find((u) => u.siteRole === 'User')!
    createToken(state, user, 'api')
    administer(state, state.users[1]!, 'site_role', 'update', state.users[2]!._id)
    const window = { since: new Date(started.getTime() - 60 * 60_000), until: new Date(Date.now() + 1) }
    sim.server.requests.length = 0
    const day2 = await runOpsera(url, { ...window, stored: day1.events })
    expect(sorted(day2.snapshot)).toEqual(expectedSnapshot(state, DEFAULT_ADMIN_ACTION_TYPES))
    // An hour's window touches one UTC day, two around midnight: one request per log per day.
    expect(sim.server.requests.length).toBeLessThanOrEqual(4)
    const onlyWindow = await runOpsera(url, window)
    expect(onlyWindow.snapshot.grants.length).toBeLessThan(day2.snapshot.grants.length)
  })

  it('warns of a gap longer than the retention (records lost), and of a first run asking for more than it keeps', async () => {
    const until = new Date()
    const since = new Date(until.getTime() - 10 * DAY_MS)
    const stored = (await runOpsera(url)).events
    sim.server.requests.length = 0
    const gap = await runOpsera(url, { since, until, stored })
    expect(gap.notes).toHaveLength(1)
    expect(gap.notes[0]).toMatch(/^A gap longer than Opsera's 7-day retention: .* records between them are lost/)
    // Days past the retention are not asked for.
    const oldest = new Date(until.getTime() - 7 * DAY_MS).toISOString().slice(0, 10)
    const dates = sim.server.requests.map((r) => new URLSearchParams(r.query).get('date')!)
    expect(dates.every((d) => d >= oldest)).toBe(true)

    const first = await runOpsera(url, { since, until })
    expect(first.notes[0]).toMatch(/^The first run asked Opsera for audit logs since .* Opsera keeps 7 days/)
    expect(sorted(first.snapshot)).toEqual(sorted(gap.snapshot))
  })

  it('warns when a day returns exactly the 1,000-record cap: possibly truncated', async () => {
    const busy = Date.now() - 2 * DAY_MS
    const user = state.users[3]!
    for (let i = 0; i < 1_200; i++) logAction(state, user, 'pipeline', 'run', `p${i}`, busy - i * 1_000)
    const result = await runOpsera(url)
    const day = new Date(busy).toISOString().slice(0, 10)
    const notes = result.notes.filter((n) => n.includes(day))
    expect(notes).toHaveLength(1)
    expect(notes[0]).toContain('user actions log returned 1,000 records for')
    expect(notes[0]).toContain('possibly truncated')
    expect(result.log.some((l) => l.startsWith('warning:') && l.includes('possibly truncated'))).toBe(true)
  })
})
