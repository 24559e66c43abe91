import { afterEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import type { AuditEvent } from '../../../src/model/types.js'
import { uipathSettings } from '../../../src/sources/uipath/settings.js'
import { SourceError } from '../../../src/sources/types.js'
import { classicPages } from '../../sim/uipath/minimum.js'
import { recordPlatformAudit, ticks, uipathTime, type SimPlatformRecord } from '../../sim/uipath/platform-audit.js'
import type { UipathSim, UipathSimOptions } from '../../sim/uipath/server.js'
import { runSource, startSim } from './helpers.js'

const DAY = 86_400_000
const now = new Date('2025-03-10T12:00:00Z')
const CLASSIC = /^\/acme\/audit_\/api\/auditlogs$/
const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('the source returned data'),
    (e: unknown) => e as Error
  )
const createdOn = (events: AuditEvent[]) =>
  events
    .filter((e) => e.id.startsWith('org-audit-'))
    .map((e) => e.details?.['created-on'])
    .sort()
const organization = (sim: UipathSim) => sim.data.platformAudit.filter((r) => r.level === 'organization')
const within = (records: SimPlatformRecord[], since: Date, until: Date) =>
  records.filter((r) => Date.parse(r.createdOn) >= since.getTime() && Date.parse(r.createdOn) <= until.getTime())
const query = (r: { query: string }) => Object.fromEntries(new URLSearchParams(r.query))
const platformRequests = (sim: UipathSim) => sim.server.requests.filter((r) => /audit_\//.test(r.path))

describe('UiPath source: the classic organization audit ("Get Audit Logs")', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  const start = (options: UipathSimOptions = {}, records = 60, historyDays = 20) =>
    startSim({ pageCap: 4, ...options }, { platformAuditLogs: records, historyDays, now })

  it('reads newest first and stops at the first page that reaches past the window start, whatever cap the server puts on top', async () => {
    sim = await start()
    const eventsSince = new Date(now.getTime() - 5 * DAY)
    const { events, stats } = await runSource(sim, {}, { eventsSince, eventsUntil: now })

    const expected = within(organization(sim), eventsSince, now)
    expect(expected.length).toBeGreaterThan(8)
    expect(createdOn(events)).toEqual(expected.map((r) => r.createdOn).sort())
    const asked = sim.server.requests.filter((r) => CLASSIC.test(r.path))
    // Pages of the server's 4, not the 1000 asked for; the last one reaches past the window start.
    expect(asked).toHaveLength(classicPages(sim.data, { pageCap: 4, eventsSince }))
    expect(asked.length).toBeLessThan(Math.ceil(organization(sim).length / 4))
    expect(asked.map(query)).toEqual(
      asked.map((_, i) => ({
        language: 'en',
        top: '1000',
        skip: String(i * 4),
        sortBy: 'createdOn',
        sortOrder: 'desc'
      }))
    )
    expect(stats?.requests).toBe(sim.server.requests.length)
  })

  it('stops at totalCount when the window reaches back past the oldest record', async () => {
    sim = await start()
    const { events } = await runSource(sim, {}, { eventsSince: new Date(now.getTime() - 60 * DAY), eventsUntil: now })
    expect(events.filter((e) => e.id.startsWith('org-audit-'))).toHaveLength(organization(sim).length)
    // No empty page to prove the end: totalCount says it.
    expect(sim.server.count(CLASSIC)).toBe(Math.ceil(organization(sim).length / 4))
  })

  it('keeps records that differ only in the last fractional digit as two events, and reading the window again changes nothing', async () => {
    sim = await start()
    const window = { eventsSince: new Date(now.getTime() - 60 * DAY), eventsUntil: now }
    const records = organization(sim)
    const twins = records.filter((r) =>
      records.some(
        (o) => o !== r && o.createdOn !== r.createdOn && o.createdOn.slice(0, -7) === r.createdOn.slice(0, -7)
      )
    )
    expect(twins).toHaveLength(2)
    expect(twins[0]!.message).toBe(twins[1]!.message)

    const first = (await runSource(sim, {}, window)).events.filter((e) => e.id.startsWith('org-audit-'))
    const pair = first.filter((e) => twins.some((t) => t.createdOn === e.details?.['created-on']))
    expect(pair).toHaveLength(2)
    expect(pair[0]!.id).not.toBe(pair[1]!.id)
    expect(pair[0]!.time).toBe(pair[1]!.time)
    expect(new Set(first.map((e) => e.id)).size).toBe(records.length)

    const again = (await runSource(sim, {}, window)).events.filter((e) => e.id.startsWith('org-audit-'))
    expect(again).toEqual(first)
  })

  it('keeps the original createdOn, parses auditLogDetails, and keeps it raw when it is absent, empty or not JSON', async () => {
    sim = await start({}, 0)
    const admin = sim.data.accounts[0]!
    const at = new Date(now.getTime() - DAY)
    const login = recordPlatformAudit(sim.data, admin, {
      category: 'User',
      action: 'Login',
      message: "User 'Ana Silva' logged in",
      details: '{\r\n "userName": "Ana Silva",\r\n "email": "",\r\n "roles": ["Admin", "User"]\r\n}',
      createdOn: uipathTime(at, 4174, 120)
    })
    const plain = { category: 'License', action: 'Update', message: 'Licences changed', time: at }
    recordPlatformAudit(sim.data, admin, { ...plain, details: 'Allocated 5 licences' })
    recordPlatformAudit(sim.data, admin, { ...plain, details: '{"truncated": ' })
    recordPlatformAudit(sim.data, admin, { ...plain, details: '' })
    recordPlatformAudit(sim.data, admin, { ...plain, details: null })
    recordPlatformAudit(sim.data, admin, plain)
    const { events } = await runSource(sim, {}, { eventsSince: new Date(now.getTime() - 2 * DAY), eventsUntil: now })
    const org = events.filter((e) => e.id.startsWith('org-audit-'))
    expect(org).toHaveLength(6)

    expect(login.createdOn).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}\+02:00$/)
    expect(org.find((e) => e.category === 'User')).toEqual({
      id: expect.stringMatching(/^org-audit-[0-9a-f]{24}$/),
      time: at.toISOString(),
      actor: { id: admin.EmailAddress, name: 'Ana Silva' },
      action: 'Login',
      category: 'User',
      target: { type: 'user' },
      message: "User 'Ana Silva' logged in",
      details: {
        'created-on': login.createdOn,
        email: admin.EmailAddress,
        source: 'Cis',
        'details-version': '1.0',
        'details.userName': 'Ana Silva',
        'details.email': '',
        'details.roles.0': 'Admin',
        'details.roles.1': 'User'
      }
    })
    const licence = org.filter((e) => e.category === 'License').map((e) => e.details?.details)
    expect(licence.sort()).toEqual(['Allocated 5 licences', '{"truncated": ', undefined, undefined, undefined].sort())
    expect(org.find((e) => e.category === 'License')!.target).toEqual({ type: 'license' })
  })

  it('absorbs a record written while the trail is paged: every record of the window once, none twice', async () => {
    sim = await start()
    const eventsSince = new Date(now.getTime() - 60 * DAY)
    const existing = organization(sim)
    let pages = 0
    sim.platform.onRequest = () => {
      // After the first page, a login lands at the top and pushes every later record one place down.
      if (++pages === 2)
        recordPlatformAudit(sim.data, sim.data.accounts[0]!, {
          category: 'User',
          action: 'Login',
          message: 'late',
          time: new Date(now.getTime() - 60_000)
        })
    }
    const { events } = await runSource(sim, {}, { eventsSince, eventsUntil: now })
    const org = events.filter((e) => e.id.startsWith('org-audit-'))
    expect(new Set(org.map((e) => e.id)).size).toBe(org.length)
    // The late one arrived above what was read; the next run's overlap reads it.
    expect(createdOn(org)).toEqual(existing.map((r) => r.createdOn).sort())
  })

  it('fails on an answer of another shape, out of order, or shorter than its totalCount', async () => {
    sim = await start()
    const run = () => fail(runSource(sim, {}, { eventsSince: new Date(now.getTime() - 60 * DAY), eventsUntil: now }))
    const record = (at: Date) => ({ createdOn: uipathTime(at, 1), category: 'User', action: 'Login' })

    sim.server.inject({ path: CLASSIC, status: 200, json: { value: [] } })
    const shape = await run()
    expect(shape).toBeInstanceOf(SourceError)
    expect(shape.message).toContain('unexpected answer from GET /acme/audit_/api/auditlogs: totalCount')

    sim.server.inject({
      path: CLASSIC,
      status: 200,
      json: { totalCount: 2, results: [record(new Date(now.getTime() - DAY)), record(now)] }
    })
    expect((await run()).message).toContain('answered records out of order although sortOrder=desc was asked')

    sim.server.inject({ path: CLASSIC, status: 200, json: { totalCount: 5, results: [] } })
    expect((await run()).message).toContain('returned no records at skip=0 although totalCount is 5')
  })

  it('asks for PM.Audit.Read beside the configured scopes; a 403 names it and where to grant it', async () => {
    const withoutAudit = ['OR.Users.Read', 'OR.Roles.Read', 'OR.Folders.Read', 'OR.Audit.Read']
    sim = await start({ appScopes: withoutAudit, ungrantedScopes: 'drop' })
    const denied = await fail(runSource(sim))
    expect(denied).toBeInstanceOf(HttpError)
    expect((denied as HttpError).status).toBe(403)
    expect(denied.message).toMatch(/GET \/acme\/audit_\/api\/auditlogs answered 403/)
    expect(denied.message).toContain('application scope PM.Audit.Read')
    expect(denied.message).toContain('Admin > External Applications')
    expect(denied.message).toContain('platform-audit: off')
    await sim.stop()

    // An identity server that refuses the scope outright says so at the token request.
    sim = await start({ appScopes: withoutAudit })
    const refused = await fail(runSource(sim))
    expect(refused.message).toMatch(/invalid_scope.*PM\.Audit\.Read is for the organization audit \(platform-audit\)/)
    const off = await runSource(sim, { 'platform-audit': 'off' })
    expect(off.events.some((e) => e.id.startsWith('org-'))).toBe(false)
    expect(platformRequests(sim)).toEqual([])
  })

  it('derives the organization route from an Automation Cloud url, encoded once', async () => {
    sim = await start({ org: 'Acme Corp' })
    const { events } = await runSource(sim, {}, { eventsSince: new Date(now.getTime() - 60 * DAY), eventsUntil: now })
    expect(events.filter((e) => e.id.startsWith('org-audit-'))).toHaveLength(organization(sim).length)
    expect(new Set(platformRequests(sim).map((r) => r.path))).toEqual(new Set(['/Acme Corp/audit_/api/auditlogs']))
  })

  it('reads the older per-tenant route when platform-audit-url names the tenant', async () => {
    sim = await start()
    const window = { eventsSince: new Date(now.getTime() - 60 * DAY), eventsUntil: now }
    const viaOrg = await runSource(sim, {}, window)
    sim.server.requests.length = 0
    const viaTenant = await runSource(sim, { 'platform-audit-url': `${sim.server.url}/acme/DefaultTenant/` }, window)
    expect(new Set(platformRequests(sim).map((r) => r.path))).toEqual(
      new Set(['/acme/DefaultTenant/audit_/api/auditlogs'])
    )
    expect(viaTenant.events).toEqual(viaOrg.events)
  })

  it('is off for a standalone Orchestrator unless told where the organization is, and keeps the token on its hosts', async () => {
    sim = await start({ deployment: 'standalone' })
    const base = { url: sim.url, 'client-id-env': 'UIP_ID', 'client-secret-env': 'UIP_SECRET' }
    await runSource(sim)
    expect(platformRequests(sim)).toEqual([])

    const issue = (settings: Record<string, unknown>) => {
      const parsed = uipathSettings.safeParse({ ...base, ...settings })
      return parsed.success ? undefined : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('\n')
    }
    expect(issue({ 'platform-audit': 'classic' })).toMatch(
      /^platform-audit-url: is needed for platform-audit: classic when 'url' is not an Automation Cloud address/
    )
    expect(issue({ 'platform-audit': 'classic', 'platform-audit-url': 'https://elsewhere.example.com/acme' })).toMatch(
      /^platform-audit-url: must be on the host of 'url'.*the access token is sent there/
    )
    expect(issue({ 'platform-audit-url': `${sim.server.url}/a/b/c` })).toMatch(
      /^platform-audit-url: must be the organization/
    )
    expect(issue({ 'platform-audit': 'sometimes' })).toMatch(/^platform-audit: /)

    const told = await runSource(
      sim,
      { 'platform-audit': 'classic', 'platform-audit-url': `${sim.server.url}/acme/audit_` },
      { eventsSince: new Date(now.getTime() - 60 * DAY), eventsUntil: now }
    )
    expect(told.events.filter((e) => e.id.startsWith('org-audit-'))).toHaveLength(organization(sim).length)
  })
})

describe('UiPath source: the unified audit (newer Automation Cloud)', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  it('reads the organization and the tenant trail with from, to, maxCount and the next continuation', async () => {
    sim = await startSim({ pageCap: 4 }, { platformAuditLogs: 30, historyDays: 20, now })
    for (let i = 0; i < 9; i++)
      recordPlatformAudit(sim.data, sim.data.accounts[i]!, {
        level: 'tenant',
        category: 'Orchestrator',
        action: 'Update',
        message: `tenant change ${i}`,
        details: JSON.stringify({ folder: 'Finance', n: i }),
        time: new Date(now.getTime() - (i + 1) * 3_600_000)
      })
    const eventsSince = new Date(now.getTime() - 10 * DAY)
    const { events } = await runSource(sim, { 'platform-audit': 'unified' }, { eventsSince, eventsUntil: now })

    const byLevel = (level: SimPlatformRecord['level']) =>
      within(sim.data.platformAudit, eventsSince, now).filter((r) => r.level === level)
    const ids = events.filter((e) => /^(org|tenant)-event-/.test(e.id)).map((e) => e.id)
    expect(ids.sort()).toEqual(
      [
        ...byLevel('organization').map((r) => `org-event-${r.id}`),
        ...byLevel('tenant').map((r) => `tenant-event-${r.id}`)
      ].sort()
    )
    const org = sim.server.requests.filter((r) => r.path === '/acme/orgaudit_/api/query/events')
    const tenant = sim.server.requests.filter((r) => r.path === '/acme/DefaultTenant/tenantaudit_/api/query/events')
    expect(org).toHaveLength(Math.ceil(byLevel('organization').length / 4))
    expect(tenant).toHaveLength(3)
    for (const r of [...org, ...tenant])
      expect(query(r)).toMatchObject({ from: eventsSince.toISOString(), to: now.toISOString(), maxCount: '1000' })
    expect(query(org[0]!).next).toBeUndefined()
    expect(query(org[1]!).next).toMatch(/^[A-Za-z0-9_-]+$/)
    expect(sim.server.requests.some((r) => CLASSIC.test(r.path))).toBe(false)

    const change = events.find((e) => e.message === 'tenant change 0')!
    expect(change).toMatchObject({
      action: 'Update',
      category: 'Cis',
      target: { type: 'orchestrator' },
      details: {
        level: 'tenant',
        status: '0',
        'details.folder': 'Finance',
        'details.n': '0',
        'client.ipAddress': '203.0.113.7'
      }
    })
    expect(ticks(change.details!['created-on']!)).toBeGreaterThan(0n)
  })

  it('fails with a clear message when the unverified answer shape is not what this deployment sends', async () => {
    sim = await startSim({ pageCap: 4 }, { platformAuditLogs: 5, now })
    sim.server.inject({ path: /orgaudit_/, status: 200, json: { items: [], continuationToken: null } })
    const error = await fail(runSource(sim, { 'platform-audit': 'unified' }))
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('unexpected answer from GET /acme/orgaudit_/api/query/events: auditEvents')
    expect((error as SourceError).hint).toContain('known only from a third-party schema')
    expect((error as SourceError).hint).toContain('platform-audit: classic')
  })
})
