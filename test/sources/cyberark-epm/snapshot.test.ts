import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SourceError } from '../../../src/sources/types.js'
import { changeSetRole } from '../../sim/cyberark-epm/changes.js'
import { API_USER, DAY_MS, generateEpm, type EpmState } from '../../sim/cyberark-epm/data.js'
import { EpmSimulator } from '../../sim/cyberark-epm/server.js'
import { expectedSnapshot, sorted } from './expected.js'
import { runEpm } from './run.js'

const SIZE = { sets: 4, adminsPerSet: 4, accountAdmins: 2, rowsPerDay: 60, days: 6, roleChanges: 0.5 }

describe('CyberArk EPM source: the access the audit trail reveals', () => {
  let state: EpmState
  let sim: EpmSimulator
  let url: string

  beforeEach(async () => {
    state = generateEpm(3, SIZE)
    sim = new EpmSimulator(state)
    sim.rateLimit = undefined
    url = await sim.start()
  })
  afterEach(() => sim.stop())

  it('derives every set and account administrator with the final role and the day first seen', async () => {
    expect(state.assignments.some((a) => a.roles.length > 1)).toBe(true)
    const result = await runEpm(url, { settings: { 'page-size': 9 } })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state))
    expect(result.notes).toEqual([])
  })

  it('logs on at the dispatcher, then calls only the ManagerURL, paging each set until TotalCount', async () => {
    const rows = new Map(state.sets.map((s) => [s.Id, state.setRows.get(s.Id)!.length]))
    // A window ending before the run keeps the run's own reads (written back to the trail) out of it.
    const result = await runEpm(url, { settings: { 'page-size': 9 }, until: new Date(Date.now() - 2_000) })
    expect(sim.dispatcher.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['POST /EPM/API/Auth/EPM/Logon'])
    for (const set of state.sets) {
      const pages = sim.manager.count(new RegExp(`^/EPM/API/Sets/${set.Id}/AdminAudit$`))
      expect(pages).toBe(Math.ceil(rows.get(set.Id)! / 9))
      expect(pages).toBeGreaterThan(1)
    }
    expect(sim.manager.count(/^\/EPM\/API\/Account\/AdminAudit$/)).toBeGreaterThan(1)
    expect(result.stats?.requests).toBe(sim.requests)
  })

  it('pins the API version in every path when asked', async () => {
    await runEpm(url, { settings: { 'api-version': '24.5.0' } })
    const paths = [...sim.dispatcher.requests, ...sim.manager.requests].map((r) => r.path)
    expect(paths.every((p) => p.startsWith('/EPM/API/24.5.0/'))).toBe(true)
  })

  it('keeps its own Public API reads out of the archive and the state, or archives them when asked', async () => {
    const ownRows = [...state.setRows.values()].flat().filter((r) => r.Administrator === API_USER).length
    expect(ownRows).toBeGreaterThan(0)
    const plain = await runEpm(url)
    expect(plain.events.filter((e) => e.actor?.name === API_USER)).toEqual([])
    const rowsInTrail = [...state.setRows.values(), state.accountRows]
      .flat()
      .filter((r) => r.Administrator !== API_USER)
    expect(plain.events).toHaveLength(rowsInTrail.length)

    const archived = await runEpm(url, { settings: { 'include-own-reads': true } })
    expect(archived.events.filter((e) => e.action === 'Public API').length).toBeGreaterThanOrEqual(ownRows)
    expect(sorted(archived.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('names each row by its fields, so an overlapping window yields the same ids, and maps the row', async () => {
    const until = new Date()
    const first = await runEpm(url, { until })
    const again = await runEpm(url, { until })
    expect(again.events.map((e) => e.id).sort()).toEqual(first.events.map((e) => e.id).sort())
    expect(new Set(first.events.map((e) => e.id)).size).toBe(first.events.length)
    const set = state.sets[0]!
    const row = state.setRows.get(set.Id)!.find((r) => r.Administrator !== API_USER)!
    const event = first.events.find(
      (e) =>
        e.target?.id === set.Id && e.time === new Date(row.EventTime).toISOString() && e.message === row.Description
    )
    expect(event).toMatchObject({
      actor: { name: row.Administrator },
      action: row.Feature,
      category: 'set-admin-audit',
      target: { type: 'set', id: set.Id, name: set.Name },
      details: {
        role: row.Role,
        permission: 'None',
        'logged-at': row.LoggedAt,
        'logged-from': row.LoggedFrom,
        session: String(row.InternalSessionId)
      }
    })
  })

  it('asks only for the window and keeps state the vendor no longer returns, from the archive', async () => {
    const archive = await runEpm(url)
    const since = new Date(Date.now() - DAY_MS / 2)
    const windowOnly = await runEpm(url, { since })
    expect(windowOnly.events.every((e) => Date.parse(e.time) >= since.getTime() - 1_000)).toBe(true)
    expect(windowOnly.events.length).toBeLessThan(archive.events.length)
    expect(windowOnly.snapshot.grants.length).toBeLessThan(archive.snapshot.grants.length)
    const withArchive = await runEpm(url, { since, stored: archive.events })
    expect(sorted(withArchive.snapshot)).toEqual(expectedSnapshot(state))
    for (const query of sim.manager.requests.slice(-3).map((r) => new URLSearchParams(r.query))) {
      expect(query.get('DateFrom') ?? query.get('datefrom')).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
    }
  })

  it('shows a role change as a new role on the same grant, first-seen unchanged', async () => {
    const before = await runEpm(url)
    const assignment = state.assignments.find((a) => a.scope !== 'account' && a.roles.at(-1)!.role !== 'Audit')!
    const actor = state.assignments.find((a) => a.scope === 'account')!.admin
    changeSetRole(state, actor, assignment, 'Audit')
    const after = await runEpm(url, { since: new Date(Date.now() - 60_000), stored: before.events })
    const grantOf = (r: typeof before) =>
      r.snapshot.grants.find((g) => g.scope === assignment.scope && g.subject.id === assignment.admin)!
    expect(grantOf(after).role).toBe('Audit')
    expect(grantOf(after).attributes).toEqual(grantOf(before).attributes)
    expect(sorted(after.snapshot)).toEqual(expectedSnapshot(state))
  })

  it('reads only the configured sets (by name or id), and refuses a set the user cannot view', async () => {
    const [a, b] = state.sets
    const result = await runEpm(url, { settings: { sets: [a!.Name, b!.Id], 'account-audit': false } })
    expect(sorted(result.snapshot)).toEqual(expectedSnapshot(state, { sets: [a!.Id, b!.Id], account: false }))
    expect(sim.manager.count(/Account\/AdminAudit/)).toBe(0)

    const error = (await runEpm(url, { settings: { sets: ['Nope'] } }).catch((e: unknown) => e)) as Error
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('"Nope"')
  })
})
