import { afterEach, describe, expect, it } from 'vitest'
import { HttpError } from '../../../src/http/errors.js'
import { SourceError } from '../../../src/sources/types.js'
import type { UipathSim } from '../../sim/uipath/server.js'
import { comparable, ENV, expectedSnapshot, runSource, startSim } from './helpers.js'

const fail = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('the source returned data'),
    (e: unknown) => e as Error
  )

describe('UiPath source: errors, throttling and retries', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  it('explains a refused client secret by naming the variables, never the secret', async () => {
    sim = await startSim()
    const error = await fail(runSource(sim, {}, { env: { ...ENV, UIP_SECRET: 'wrong-secret-value-123' } }))
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toMatch(/POST \/identity_\/connect\/token answered 400: invalid_client/)
    expect(error.message).toContain('check UIP_ID and UIP_SECRET')
    expect(error.message).not.toContain('wrong-secret-value-123')
  })

  it('says which scope is not granted, and works once the scopes match the app', async () => {
    sim = await startSim({ appScopes: ['OR.Users.Read', 'OR.Folders.Read', 'OR.Audit.Read', 'PM.Audit.Read'] })
    const error = await fail(runSource(sim))
    expect(error.message).toMatch(/invalid_scope.*OR\.Roles\.Read exists only on newer versions/)
    // Older tenants read roles with OR.Users.Read; the scopes may be written as UiPath shows them.
    const result = await runSource(sim, { scopes: 'OR.Users.Read OR.Folders.Read OR.Audit.Read' })
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
  })

  it('names the scope and the permission a 403 is about', async () => {
    sim = await startSim({ deniedPermissions: ['Audit.View'] })
    const denied = await fail(runSource(sim))
    expect(denied).toBeInstanceOf(HttpError)
    expect((denied as HttpError).status).toBe(403)
    expect(denied.message).toMatch(/GET \/acme\/DefaultTenant\/orchestrator_\/odata\/AuditLogs answered 403/)
    expect(denied.message).toContain('application scope OR.Audit.Read')
    expect(denied.message).toContain('Audit - View')
    await sim.stop()

    sim = await startSim({ appScopes: ['OR.Users.Read', 'OR.Roles.Read', 'OR.Audit.Read', 'PM.Audit.Read'] })
    const noScope = await fail(runSource(sim, { scopes: ['OR.Users.Read', 'OR.Roles.Read', 'OR.Audit.Read'] }))
    expect(noScope.message).toMatch(/odata\/Folders answered 403.*OR\.Folders\.Read/)
  })

  it('renews a token that stops working mid-run (401) once and carries on, with no failure to explain', async () => {
    // Each token is good for 40 requests only, whatever its expires_in says (clock skew, a revocation).
    sim = await startSim({ tokenUses: 40 })
    const result = await runSource(sim)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    expect(sim.tokensIssued).toBeGreaterThan(1)
    expect(sim.server.requests.filter((r) => r.status === 401).length).toBeGreaterThan(0)
  })

  it('renews the token for the organization audit too, when its route refuses it once', async () => {
    sim = await startSim()
    sim.server.inject({ path: /\/audit_\/api\/auditlogs$/, status: 401, json: { message: 'Unauthorized' } })
    const result = await runSource(sim)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    expect(sim.tokensIssued).toBe(2)
  })

  it('explains a token refused even when freshly issued, and a wrong tenant URL, without printing the token', async () => {
    sim = await startSim()
    sim.server.inject({
      path: /\/odata\/Users$/,
      status: 401,
      times: 2,
      json: { message: 'You are not authenticated!', errorCode: 0 }
    })
    const refused = await fail(runSource(sim))
    expect(refused.message).toContain('A freshly issued access token was refused as well')
    expect(refused.message).toContain("Check that 'url' names the organization and tenant")
    expect(refused.message).not.toMatch(/sim-access-/)
    expect(sim.tokensIssued).toBe(2)

    const wrongTenant = await fail(runSource(sim, { url: sim.url.replace('DefaultTenant', 'Other') }))
    expect(wrongTenant.message).toMatch(/answered 404.*orchestrator_ for Automation Cloud/)
  })

  it('refuses a URL that looks like Automation Cloud but is not shaped like it', async () => {
    sim = await startSim()
    const error = await fail(runSource(sim, { url: `${sim.server.url}/acme/orchestrator_` }))
    expect(error).toBeInstanceOf(SourceError)
    expect((error as SourceError).hint).toContain('{organization}/{tenant}/orchestrator_')
  })

  it('fails with the variable name when a credential is missing', async () => {
    sim = await startSim()
    const error = await fail(runSource(sim, {}, { env: { UIP_ID: ENV.UIP_ID } }))
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toContain('UIP_SECRET is not set')
    expect(sim.server.requests).toHaveLength(0)
  })

  it('refuses to return a snapshot when the token sees only part of the folder tree', async () => {
    sim = await startSim({}, {}, () => undefined)
    const isRoot = (id: number | null) => sim.data.folders.some((f) => f.Id === id && f.ParentId == null)
    const child = sim.data.folders.find((f) => isRoot(f.ParentId))!
    const roots = sim.data.folders.filter((f) => f.ParentId == null && f.Id !== child.ParentId).map((f) => f.Id)
    await sim.stop()
    // Assigned to a subfolder but not to its parent: the subfolder is listed, its parent is not.
    sim = await startSim({ assignedFolderIds: [...roots, child.Id] })
    const error = await fail(runSource(sim))
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toMatch(/parent folder \(id \d+\) is not: the token sees only part of the folder tree/)
  })

  it('waits out 429 from the identity server and from Orchestrator', async () => {
    sim = await startSim()
    sim.throttle(/\/connect\/token$/, 1)
    sim.throttle(/GetUsersForFolder/, 3)
    sim.throttle(/\/odata\/AuditLogs$/, 1)
    const result = await runSource(sim)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    expect(result.stats).toMatchObject({ throttled: 5, retries: 5 })
  })

  it('retries a 5xx in the middle of the run and still returns everything', async () => {
    sim = await startSim()
    sim.server.inject({ path: /GetUsersForFolder/, status: 503, headers: { 'retry-after': '0' }, times: 2 })
    sim.server.inject({ path: /GetAllRolesForUser/, status: 502, headers: { 'retry-after': '0' } })
    const result = await runSource(sim)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    expect(result.stats?.retries).toBe(3)
  })

  it('throws on a permanent failure instead of returning a partial snapshot', async () => {
    sim = await startSim()
    const folder = sim.data.folders.find((f) => f.ParentId != null)!
    sim.server.inject({
      path: new RegExp(`GetUsersForFolder\\(key=${folder.Id},`),
      status: 500,
      headers: { 'retry-after': '0' },
      times: Infinity
    })
    const error = await fail(runSource(sim))
    expect(error).toBeInstanceOf(HttpError)
    expect(error.message).toContain(`GetUsersForFolder(key=${folder.Id},includeInherited=true) answered 500`)
  })

  it('fails when a list comes back shorter than its count or in a shape it cannot read', async () => {
    sim = await startSim()
    sim.server.inject({ path: /\/odata\/Users$/, status: 200, json: { '@odata.count': 50, value: [] } })
    const short = await fail(runSource(sim))
    expect(short).toBeInstanceOf(SourceError)
    expect(short.message).toContain('returned no items at $skip=0 although @odata.count is 50')

    // A fresh tenant: requests the failed run still had in flight must not take the next fault.
    await sim.stop()
    sim = await startSim()
    sim.server.inject({ path: /\/odata\/Roles$/, status: 200, json: { '@odata.count': 1, value: [{ Id: 'seven' }] } })
    const odd = await fail(runSource(sim))
    expect(odd.message).toMatch(/unexpected answer from GET \/odata\/Roles value\[0\]: Id/)
  })
})
