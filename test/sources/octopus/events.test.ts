import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditEvent } from '../../../src/model/types.js'
import { generateOctopus, SMALL, type OctopusState, type SimEvent } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import type { SimServer } from '../../sim/server.js'
import { runOctopus } from './run.js'

const ACCESS_TYPES = ['apikeys', 'scopeduserroles', 'spaces', 'teams', 'userroles', 'users']
const TARGET_TYPES: Record<string, string> = {
  apikeys: 'api-key',
  teams: 'team',
  users: 'user',
  userroles: 'user-role'
}

/** The audit events the source must return for a window, from the simulator's records. */
function expectedEvents(events: SimEvent[], since: Date, until: Date): AuditEvent[] {
  return events
    .filter((e) => Date.parse(e.Occurred) >= since.getTime() && Date.parse(e.Occurred) <= until.getTime())
    .filter((e) => e.RelatedDocumentIds.some((id) => ACCESS_TYPES.includes(id.split('-')[0]!.toLowerCase())))
    .map((e) => {
      const target = e.ChangeDetails.DocumentContext ?? { Id: e.RelatedDocumentIds[0]!, Name: undefined }
      const prefix = target.Id.split('-')[0]!.toLowerCase()
      return {
        id: e.Id,
        time: new Date(e.Occurred).toISOString(),
        actor: { id: e.UserId, name: e.Username },
        action: e.Category,
        target: { type: TARGET_TYPES[prefix] ?? prefix, id: target.Id, ...(target.Name ? { name: target.Name } : {}) },
        message: e.Message,
        ...(e.RelatedDocumentIds.length > 1 || e.SpaceId
          ? {
              details: {
                ...(e.SpaceId ? { space: e.SpaceId } : {}),
                ...(e.RelatedDocumentIds.length > 1 ? { related: [...e.RelatedDocumentIds].sort().join(', ') } : {})
              }
            }
          : {})
      }
    })
}

/** The events as Octopus wrote them: what each did is checked on its own below. */
const withoutEffects = (events: AuditEvent[]) => events.map(({ effects: _effects, ...event }) => event)

describe('Octopus source: the event trail', () => {
  const now = new Date('2026-03-10T12:00:00Z')
  let state: OctopusState
  let server: SimServer
  let url: string

  beforeEach(async () => {
    state = generateOctopus(21, { ...SMALL, events: 150, eventDays: 10 }, now)
    server = octopusServer(state)
    url = await server.start()
  })
  afterEach(() => server.stop())

  it('returns every access-related event of the window, all pages, oldest first, in UTC', async () => {
    const since = new Date(now.getTime() - 4 * 86_400_000)
    const result = await runOctopus(url, { since, until: now, settings: { 'page-size': 9 } })
    const expected = expectedEvents(state.events, since, now)
    expect(expected.length).toBeGreaterThan(18)
    // What each event did is checked below; here, that every event arrives as Octopus wrote it.
    expect(withoutEffects(result.events)).toEqual(expected)
    expect(server.count(/^\/api\/events$/)).toBe(Math.ceil(expected.length / 9))
    // Deployments happened in the window too, but are not access changes.
    expect(
      state.events.some((e) => e.Category === 'DeploymentStarted' && Date.parse(e.Occurred) >= since.getTime())
    ).toBe(true)
    expect(result.events.some((e) => e.action === 'DeploymentStarted')).toBe(false)
    expect(result.events.some((e) => e.target?.type === 'api-key' && e.details?.related)).toBe(true)
    expect(result.events.every((e) => e.time.endsWith('Z'))).toBe(true)
    // Every space's events are there, not only the system's.
    expect(new Set(result.events.map((e) => e.details?.space).filter(Boolean))).toEqual(
      new Set(state.spaces.map((s) => s.Id))
    )
  })

  it('asks the server for the window, system and every listed space by id, without differences', async () => {
    const since = new Date(now.getTime() - 86_400_000)
    await runOctopus(url, { since, until: now })
    const query = new URLSearchParams(server.requests.find((r) => r.path === '/api/events')!.query)
    expect(query.get('from')).toBe(since.toISOString())
    expect(query.get('to')).toBe(now.toISOString())
    // `spaces=all` is undocumented (the simulator ignores it); Octopus's clients send concrete ids.
    expect(query.get('spaces')?.split(',')).toEqual(state.spaces.map((s) => s.Id))
    expect(query.get('includeSystem')).toBe('true')
    expect(query.get('excludeDifference')).toBe('true')
    expect(query.get('documentTypes')?.split(',')).toEqual(
      expect.arrayContaining(['Teams', 'Users', 'ScopedUserRoles'])
    )
  })

  it('names many spaces over several requests, the system in one of them, and misses no event', async () => {
    await server.stop()
    state = generateOctopus(22, { ...SMALL, spaces: 55, teams: 60, events: 400, eventDays: 10 }, now)
    server = octopusServer(state)
    url = await server.start()
    const since = new Date(now.getTime() - 10 * 86_400_000)
    const result = await runOctopus(url, { since, until: now })
    expect(withoutEffects(result.events)).toEqual(expectedEvents(state.events, since, now))
    const queries = server.requests.filter((r) => r.path === '/api/events').map((r) => new URLSearchParams(r.query))
    expect(queries.map((q) => q.get('spaces')!.split(',').length)).toEqual([50, 5])
    expect(queries.filter((q) => q.get('includeSystem') === 'true')).toHaveLength(1)
    expect(server.count(/^\/api\/teams$/)).toBe(2)
  })

  it("says what each document event did in the model's terms, and how little a generic Modified tells", async () => {
    const result = await runOctopus(url, { since: new Date(now.getTime() - 10 * 86_400_000), until: now })
    const first = (test: (e: AuditEvent) => boolean) => result.events.find(test)!
    const team = first((e) => e.action === 'Modified' && e.target?.type === 'team')
    // A team's Modified may be a membership or a scoped-role change: it names the team, never the member.
    expect(team.effects).toEqual([
      {
        kinds: ['grant-added', 'grant-changed', 'grant-removed', 'group-changed'],
        subject: { type: 'group', id: team.target!.id },
        uncertain: true
      },
      { kinds: ['member-added', 'member-removed'], group: { type: 'group', id: team.target!.id }, uncertain: true }
    ])
    const created = first((e) => e.action === 'Created' && e.target?.type === 'user')
    expect(created.effects).toEqual([
      { kinds: ['principal-added'], subject: { type: 'principal', id: created.target!.id } }
    ])
    const role = first((e) => e.action === 'Modified' && e.target?.type === 'user-role')
    expect(role.effects).toEqual([
      { kinds: ['role-changed'], subject: { type: 'role', id: role.target!.id }, uncertain: true }
    ])
    // An API key says nothing about grants.
    expect(first((e) => e.target?.type === 'api-key').effects).toBeUndefined()
  })

  it('reads only the configured document types', async () => {
    const since = new Date(now.getTime() - 10 * 86_400_000)
    const result = await runOctopus(url, { since, until: now, settings: { 'event-document-types': ['Teams'] } })
    expect(result.events.length).toBeGreaterThan(0)
    expect(result.events.every((e) => e.target?.type === 'team')).toBe(true)
  })
})
