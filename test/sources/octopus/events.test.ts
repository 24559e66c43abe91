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
    expect(result.events).toEqual(expected)
    expect(server.count(/^\/api\/events$/)).toBe(Math.ceil(expected.length / 9))
    // Deployments happened in the window too, but are not access changes.
    expect(
      state.events.some((e) => e.Category === 'DeploymentStarted' && Date.parse(e.Occurred) >= since.getTime())
    ).toBe(true)
    expect(result.events.some((e) => e.action === 'DeploymentStarted')).toBe(false)
    expect(result.events.some((e) => e.target?.type === 'api-key' && e.details?.related)).toBe(true)
    expect(result.events.every((e) => e.time.endsWith('Z'))).toBe(true)
  })

  it('asks the server for the window, system and all spaces, without differences', async () => {
    const since = new Date(now.getTime() - 86_400_000)
    await runOctopus(url, { since, until: now })
    const query = new URLSearchParams(server.requests.find((r) => r.path === '/api/events')!.query)
    expect(query.get('from')).toBe(since.toISOString())
    expect(query.get('to')).toBe(now.toISOString())
    expect(query.get('spaces')).toBe('all')
    expect(query.get('includeSystem')).toBe('true')
    expect(query.get('excludeDifference')).toBe('true')
    expect(query.get('documentTypes')?.split(',')).toEqual(
      expect.arrayContaining(['Teams', 'Users', 'ScopedUserRoles'])
    )
  })

  it('reads only the configured document types', async () => {
    const since = new Date(now.getTime() - 10 * 86_400_000)
    const result = await runOctopus(url, { since, until: now, settings: { 'event-document-types': ['Teams'] } })
    expect(result.events.length).toBeGreaterThan(0)
    expect(result.events.every((e) => e.target?.type === 'team')).toBe(true)
  })
})
