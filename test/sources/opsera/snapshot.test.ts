import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_ADMIN_ACTION_TYPES } from '../../../src/sources/opsera/settings.js'
import { administer, createToken } from '../../sim/opsera/changes.js'
import { utcDays } from '../../../src/sources/opsera/logs.js'
import {
  DAY_MS,
  generateOpsera,
  logAction,
  logTokenUse,
  SMALL,
  TOOL_TOKEN,
  type OpseraState
} from '../../sim/opsera/data.js'
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

  const toolToken = () => state.tokens.find((t) => t.secret === TOOL_TOKEN)!
  /** This tool's earlier daily reads of the two audit logs, as the tokens log recorded them. */
  const ownRead = (r: { token_id?: string; target?: string } | object) =>
    'token_id' in r &&
    r.token_id === toolToken().token_id &&
    /^\/v1\/logs\/user\/(actions|tokens)$/.test((r as { target?: string }).target ?? '')
  /** Records of the window the archive keeps by default: all but the tool's own audit-log reads. */
  const recordsIn = (since: number, until: number, own = false) =>
    [...state.actions, ...state.tokenUses].filter((r) => {
      const t = Date.parse(r.createdAt)
      return t >= since && t <= until && (own || !ownRead(r))
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

  it('a first run asks for every day of its window, an empty day included, and reads what Opsera still has', async () => {
    // Opsera documents a 7-day default window for calls without date=, not a 7-day retention.
    state = generateOpsera(4, { ...SMALL, days: 10 })
    state.retentionDays = 30
    await sim.stop()
    sim = new OpseraSimulator(state)
    url = await sim.start()
    const until = new Date()
    const since = new Date(until.getTime() - 9 * DAY_MS)
    // One day of the window without a single record: an answer, not an error.
    const quiet = new Date(until.getTime() - 5 * DAY_MS).toISOString().slice(0, 10)
    state.actions = state.actions.filter((r) => !r.createdAt.startsWith(quiet))
    state.tokenUses = state.tokenUses.filter((r) => !r.createdAt.startsWith(quiet))

    const result = await runOpsera(url, { since, until })
    const days = utcDays(since, until)
    expect(days).toHaveLength(10)
    for (const route of [/\/actions$/, /\/tokens$/]) {
      const asked = sim.server.requests.filter((r) => route.test(r.path))
      expect(asked.map((r) => new URLSearchParams(r.query).get('date')).sort()).toEqual(days)
    }
    expect(result.events).toHaveLength(recordsIn(since.getTime(), until.getTime()))
    const old = result.events.filter((e) => Date.parse(e.time) < until.getTime() - 7 * DAY_MS)
    expect(old.length).toBeGreaterThan(0)
    // The risk is said once, as a risk: nothing is known to be lost.
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0]).toMatch(
      /^The first run asked Opsera for 9 days of audit logs; Opsera is known to keep about 7 days by default/
    )
    expect(result.notes[0]).toContain('may be missing')
  })

  it('warns of a gap longer than Opsera is known to keep, as a risk, and still asks for every day of it', async () => {
    const until = new Date()
    const since = new Date(until.getTime() - 10 * DAY_MS)
    const stored = (await runOpsera(url)).events
    sim.server.requests.length = 0
    const gap = await runOpsera(url, { since, until, stored })
    expect(gap.notes).toHaveLength(1)
    expect(gap.notes[0]).toMatch(
      /^The archive ends at .*, 10 days before this run; Opsera is known to keep about 7 days by default, so records before .* may have been lost\. Run at least every 7 days\.$/
    )
    const dates = sim.server.requests.map((r) => new URLSearchParams(r.query).get('date')!)
    expect(new Set(dates)).toEqual(new Set(utcDays(since, until)))

    const first = await runOpsera(url, { since, until })
    expect(first.notes[0]).toMatch(/^The first run asked Opsera for 10 days of audit logs/)
    expect(sorted(first.snapshot)).toEqual(sorted(gap.snapshot))
  })

  it("leaves this tool's own audit-log reads out of the archive, and keeps everyone else's", async () => {
    const until = new Date()
    const since = new Date(until.getTime() - 7 * DAY_MS)
    // Another token reading the audit logs is access worth archiving, not this tool's noise.
    const other = state.tokens.find((t) => t.secret !== TOOL_TOKEN)!
    const auditor = logTokenUse(state, other, '/v1/logs/user/tokens', until.getTime() - DAY_MS)
    const ownInWindow = state.tokenUses.filter((r) => ownRead(r) && Date.parse(r.createdAt) >= since.getTime()).length
    expect(ownInWindow).toBeGreaterThan(0)

    const result = await runOpsera(url, { since, until })
    expect(result.events).toHaveLength(recordsIn(since.getTime(), until.getTime()))
    const tokenUses = result.events.filter((e) => e.category === 'token-use')
    expect(tokenUses.filter((e) => ownRead({ token_id: e.details?.token, target: e.target?.name }))).toEqual([])
    expect(tokenUses.map((e) => e.id)).toContain(`token-${auditor._id}`)
    // The tool's token still shows where it did more than read the logs (its first use).
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state, DEFAULT_ADMIN_ACTION_TYPES))
    expect(result.log.join('\n')).toContain(`(${ownInWindow} records of this tool's own reads left out)`)

    const all = await runOpsera(url, { since, until, settings: { 'include-own-reads': true } })
    expect(all.events).toHaveLength(recordsIn(since.getTime(), until.getTime(), true))
  })

  it('leaves nothing out when the records of its own calls do not name one token', async () => {
    const until = new Date()
    const since = new Date(until.getTime() - 7 * DAY_MS)
    // Someone else reads the audit logs while this run does: which token is ours is no longer certain.
    const other = state.tokens.find((t) => t.secret !== TOOL_TOKEN)!
    logTokenUse(state, other, '/v1/logs/user/actions', until.getTime() + 1)
    const result = await runOpsera(url, { since, until })
    expect(result.events).toHaveLength(recordsIn(since.getTime(), until.getTime(), true))
  })

  it('names a token owner by the email the archived actions log gave, when the window has no action of theirs', async () => {
    const day1 = await runOpsera(url)
    const quiet = state.users.find((u) => u.siteRole === 'User' && state.actions.some((a) => a.user_id === u._id))!
    const started = Date.now()
    createToken(state, quiet, 'api')
    // Only the token use falls in the window: the actions log of this window does not name its owner.
    state.actions = state.actions.filter((a) => Date.parse(a.createdAt) < started - 1_000)
    const day2 = await runOpsera(url, { since: new Date(started - 60_000), until: new Date(), stored: day1.events })
    const use = day2.events.find((e) => e.category === 'token-use' && e.actor?.id === quiet._id)!
    expect(use.actor).toEqual({ id: quiet._id, name: quiet.email })
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
