import { load } from 'js-yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { validateSnapshot } from '../../../src/model/validate.js'
import { findSource } from '../../../src/sources/registry.js'
import { parseSnapshot, renderSnapshot } from '../../../src/store/snapshot-files.js'
import { ADMIN_KEY, generateOctopus, SMALL } from '../../sim/octopus/data.js'
import { octopusServer } from '../../sim/octopus/server.js'
import type { SimServer } from '../../sim/server.js'
import { expectedSnapshot } from './expected.js'
import { runOctopus } from './run.js'

describe('Octopus source: snapshot against the simulator ground truth', () => {
  let server: SimServer | undefined
  afterEach(() => server?.stop())

  const start = async (seed: number, options = {}, size = SMALL) => {
    const state = generateOctopus(seed, size)
    server = octopusServer(state, options)
    return { state, url: await server.start() }
  }

  it('is registered under the config type octopus', () => {
    expect(findSource('octopus')?.description).toMatch(/Octopus Deploy/)
  })

  it('equals the ground truth, with every list read in one page where Octopus allows it', async () => {
    const { state, url } = await start(1)
    const result = await runOctopus(url)
    expect(result.snapshot).toEqual(expectedSnapshot(state, 'octo'))
    expect(validateSnapshot(result.snapshot)).toEqual([])
    expect(result.notes).toEqual([])
    // The generator uses every restriction type, sentinels included, and a team with more than 30 scoped roles.
    const restrictions = result.snapshot.grants.flatMap((g) => Object.entries(g.restrictions ?? {}))
    expect(new Set(restrictions.map(([k]) => k))).toEqual(
      new Set(['projects', 'project-groups', 'environments', 'tenants'])
    )
    expect(restrictions.some(([, v]) => v.includes('all projects (projects-all)'))).toBe(true)
    expect(result.snapshot.grants.filter((g) => g.subject.id === 'Teams-1').length).toBeGreaterThan(30)
    expect(result.snapshot.principals.some((p) => p.kind === 'service-account')).toBe(true)
    expect(result.snapshot.groups.some((g) => g.externalMembers?.length)).toBe(true)
    expect(result.snapshot.groups.some((g) => g.attributes?.space === 'system')).toBe(true)
    // Unrestricted grants say so (no dimension at all), never an empty list that reads like "nothing".
    expect(result.snapshot.grants.some((g) => g.restrictions && Object.keys(g.restrictions).length === 0)).toBe(true)
    expect(result.snapshot.grants.every((g) => Object.values(g.restrictions ?? {}).every((v) => v.length > 0))).toBe(
      true
    )
    // Scoped roles per space, the system's, and one count over all of them: never one request per team.
    expect(server!.count(/^\/api\/Spaces-\d+\/scopeduserroles$/)).toBe(state.spaces.length)
    expect(server!.count(/^\/api\/scopeduserroles$/)).toBe(2)
    expect(server!.count(/^\/api\/teams\/[^/]+\/scopeduserroles$/)).toBe(0)
    expect(server!.count(/^\/api\/teams$/)).toBe(1)
  })

  it('follows Page.Next across several pages everywhere, including a space with a team of 35 scoped roles', async () => {
    const { state, url } = await start(2)
    const result = await runOctopus(url, { settings: { 'page-size': 7 } })
    expect(result.snapshot).toEqual(expectedSnapshot(state, 'octo'))
    const inSpace1 = state.scopedUserRoles.filter((r) => r.SpaceId === 'Spaces-1').length
    expect(inSpace1).toBeGreaterThan(35)
    expect(server!.count(/^\/api\/Spaces-1\/scopeduserroles$/)).toBe(Math.ceil(inSpace1 / 7))
    expect(server!.count(/^\/api\/teams$/)).toBe(Math.ceil(state.teams.length / 7))
    expect(server!.count(/^\/api\/Spaces-1\/projects$/)).toBeGreaterThan(0)
    const queries = server!.requests.map((r) => r.query)
    expect(queries.some((q) => q.includes('skip=7&take=7') || q.includes('take=7&skip=7'))).toBe(true)
  })

  it('reads everything when the server takes fewer per page than asked (default 30 cap)', async () => {
    const { state, url } = await start(3, { maxTake: 30 })
    const result = await runOctopus(url)
    expect(result.snapshot).toEqual(expectedSnapshot(state, 'octo'))
    const inSpace1 = state.scopedUserRoles.filter((r) => r.SpaceId === 'Spaces-1').length
    expect(server!.count(/^\/api\/Spaces-1\/scopeduserroles$/)).toBe(Math.ceil(inSpace1 / 30))
  })

  it('writes an unrestricted scoped role as unrestricted in its scope file, never as an absent key', async () => {
    const { state, url } = await start(1)
    const result = await runOctopus(url)
    const open = state.scopedUserRoles.find(
      (s) =>
        s.SpaceId && [s.ProjectIds, s.ProjectGroupIds, s.EnvironmentIds, s.TenantIds].every((list) => list.length === 0)
    )!
    const files = renderSnapshot(result.snapshot)
    const [path, text] = [...files].find(([, content]) => content.includes(`id: ${open.Id}\n`))!
    const grants = (load(text) as { grants: Array<Record<string, unknown>> }).grants
    expect(grants.find((g) => g.id === open.Id)?.restrictions).toBe('unrestricted')
    expect(path).toMatch(/^scopes\/space\//)
    // Read back, it is the same state.
    const read = parseSnapshot(files, result.snapshot.source)
    expect(read.grants.find((g) => g.id === open.Id)?.restrictions).toEqual({})
  })

  it('never sends the API key in a URL', async () => {
    const { url } = await start(4)
    await runOctopus(url)
    expect(server!.requests.every((r) => !/[?&]apikey=/i.test(r.query) && !r.query.includes(ADMIN_KEY))).toBe(true)
  })

  it('shows a restriction to a deleted project by id, with a note', async () => {
    const { state, url } = await start(5)
    const grant = state.scopedUserRoles.find((s) => s.SpaceId)!
    grant.ProjectIds = ['Projects-999']
    const result = await runOctopus(url)
    expect(result.snapshot.grants.find((g) => g.id === grant.Id)?.restrictions?.projects).toEqual(['Projects-999'])
    expect(result.notes).toEqual([expect.stringContaining(`${grant.Id}`)])
    expect(result.notes[0]).toMatch(/Projects-999.*deleted/)
  })
})
