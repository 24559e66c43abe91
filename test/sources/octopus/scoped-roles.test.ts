/**
 * Scoped user roles are read per space and for the system, not per team: the
 * requests grow with the spaces. Where a space's own route is refused, that
 * space is read per team. Whatever the routes answer must account for every
 * role where it belongs and add up to what the server counts.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { SourceError } from '../../../src/sources/types.js'
import { generateOctopus, SMALL, type OctopusSize, type SimScopedUserRole } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import type { SimServer } from '../../sim/server.js'
import { rejection } from '../../rejection.js'
import { expectedSnapshot } from './expected.js'
import { runOctopus } from './run.js'

const PER_SPACE = /^\/api\/Spaces-\d+\/scopeduserroles$/
const PER_TEAM = /^\/api\/teams\/[^/]+\/scopeduserroles$/
const SYSTEM_ROUTE = /^\/api\/scopeduserroles$/

describe('Octopus source: scoped user roles per space', () => {
  const servers: SimServer[] = []
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.stop()
  })
  const start = async (seed: number, size: OctopusSize = SMALL) => {
    const state = generateOctopus(seed, size)
    const server = octopusServer(state)
    servers.push(server)
    return { state, server, url: await server.start() }
  }
  /** A page of scoped user roles as the server would send it (Page.Next absent: the last page). */
  const page = (items: SimScopedUserRole[]) => ({
    status: 200,
    json: { ItemType: 'ScopedUserRole', Items: items, TotalResults: items.length, Links: {} }
  })

  it('costs the same whatever the number of teams: a request per space, the system, and a count', async () => {
    const few = await start(5, { ...SMALL, spaces: 4, teams: 10 })
    const many = await start(5, { ...SMALL, spaces: 4, teams: 80 })
    for (const { state, server, url } of [few, many]) {
      const result = await runOctopus(url)
      expect(result.snapshot).toEqual(expectedSnapshot(state, 'octo'))
      expect(server.count(PER_SPACE)).toBe(4)
      expect(server.count(SYSTEM_ROUTE)).toBe(2)
      expect(server.count(PER_TEAM)).toBe(0)
      // About 5 requests per space (its roles and the lists that name restrictions) plus 10.
      expect(result.stats!.requests).toBeLessThanOrEqual(5 * 4 + 10)
    }
    expect(many.state.teams.length).toBeGreaterThan(few.state.teams.length + 60)
  })

  it('reads a space per team where its own route is refused, and still gets every role', async () => {
    const { state, server, url } = await start(6)
    state.apiKeys['API-REFUSEDSPACE00001'] = { userId: 'Users-1', refusedSpaces: ['Spaces-2'] }
    const result = await runOctopus(url, { env: { OCTO_TEST_KEY: 'API-REFUSEDSPACE00001' } })
    expect(result.snapshot).toEqual(expectedSnapshot(state, 'octo'))
    // Only the teams that can hold roles in Spaces-2: the system teams and its own.
    const holders = state.teams.filter((t) => t.SpaceId === null || t.SpaceId === 'Spaces-2')
    expect(server.count(PER_TEAM)).toBe(holders.length)
    expect(holders.length).toBeLessThan(state.teams.length)
    expect(result.log.join('\n')).toContain(
      'GET /api/{spaceId}/scopeduserroles was refused for Spaces-2; reading their scoped user roles per team'
    )
  })

  it('refuses a role a space answers with that belongs to another space', async () => {
    const { state, server, url } = await start(7)
    const other = state.scopedUserRoles.find((r) => r.SpaceId === 'Spaces-1')!
    server.inject({
      path: /^\/api\/Spaces-2\/scopeduserroles$/,
      ...page([...state.scopedUserRoles.filter((r) => r.SpaceId === 'Spaces-2'), other])
    })
    const error = await rejection(runOctopus(url))
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toBe(
      `Octopus Deploy: the scoped user roles of Spaces-2 returned scoped user role ${other.Id}, but it belongs to Spaces-1`
    )
  })

  it('refuses a role of a team of another space', async () => {
    const { state, server, url } = await start(8)
    const foreign = state.teams.find((t) => t.SpaceId === 'Spaces-1')!
    const roles = state.scopedUserRoles.filter((r) => r.SpaceId === 'Spaces-2')
    const moved = { ...roles[0]!, TeamId: foreign.Id }
    server.inject({ path: /^\/api\/Spaces-2\/scopeduserroles$/, ...page([moved, ...roles.slice(1)]) })
    const error = await rejection(runOctopus(url))
    expect(error.message).toContain(`its team ${foreign.Id} is a team of Spaces-1`)
  })

  it('refuses answers that add up to less than the server counts (a space or the system short)', async () => {
    for (const [seed, path, where] of [
      [9, /^\/api\/Spaces-3\/scopeduserroles$/, 'Spaces-3'],
      [10, SYSTEM_ROUTE, '']
    ] as const) {
      const { state, server, url } = await start(seed)
      // Short but consistent in itself: its total matches what it holds, so only the count can tell.
      const roles = state.scopedUserRoles.filter((r) => r.SpaceId === where)
      expect(roles.length).toBeGreaterThan(0)
      server.inject({ path, ...page(roles.slice(1)) })
      const error = await rejection(runOctopus(url))
      expect(error).toBeInstanceOf(SourceError)
      expect(error.message).toBe(
        `Octopus Deploy: the scoped user roles read per space and for the system add up to ${state.scopedUserRoles.length - 1}, but GET /api/scopeduserroles?spaces=…&includeSystem=true counts ${state.scopedUserRoles.length}`
      )
    }
  })
})
