import { afterEach, describe, expect, it } from 'vitest'
import { setTimeout as delay } from 'node:timers/promises'
import { HttpClient } from '../../../src/http/client.js'
import { endpoints, TokenSource } from '../../../src/sources/uipath/client.js'
import { uipathSettings } from '../../../src/sources/uipath/settings.js'
import { silentLogger } from '../../../src/util/log.js'
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, type UipathSim } from '../../sim/uipath/server.js'
import { startSim } from './helpers.js'

describe('UiPath client: URLs, settings and tokens', () => {
  let sim: UipathSim | undefined
  afterEach(() => sim?.stop())

  it('derives the OData base and token endpoint from both URL shapes', () => {
    expect(endpoints('https://cloud.uipath.com/acme/DefaultTenant/orchestrator_')).toEqual({
      orchestrator: 'https://cloud.uipath.com/acme/DefaultTenant/orchestrator_/',
      token: 'https://cloud.uipath.com/identity_/connect/token'
    })
    // Pasted OData addresses and trailing slashes lead to the same place.
    expect(endpoints('https://cloud.uipath.com/acme/DefaultTenant/orchestrator_/odata/Users/').orchestrator).toBe(
      'https://cloud.uipath.com/acme/DefaultTenant/orchestrator_/'
    )
    expect(endpoints('https://orchestrator.example.com/')).toEqual({
      orchestrator: 'https://orchestrator.example.com/',
      token: 'https://orchestrator.example.com/identity/connect/token'
    })
    expect(
      endpoints('https://suite.example.com/acme/t1/orchestrator_', 'https://id.example.com/connect/token').token
    ).toBe('https://id.example.com/connect/token')
  })

  it('validates settings: env names, scopes, audit components', () => {
    const base = { url: 'https://o.example.com', 'client-id-env': 'ID', 'client-secret-env': 'SECRET' }
    expect(uipathSettings.parse(base)).toMatchObject({
      scopes: ['OR.Users.Read', 'OR.Roles.Read', 'OR.Folders.Read', 'OR.Audit.Read'],
      'personal-folders': false,
      'group-membership': true,
      'audit-components': ['Users', 'Roles', 'Folders', 'Settings'],
      concurrency: 8
    })
    expect(uipathSettings.safeParse({ ...base, 'client-secret-env': 'not a name' }).success).toBe(false)
    expect(uipathSettings.safeParse({ ...base, 'audit-components': ["Users' or 1 eq 1"] }).success).toBe(false)
    expect(uipathSettings.safeParse({ ...base, 'client-secret': 'inline' }).success).toBe(false)
  })

  it('shares one token between concurrent requests and renews it before it expires', async () => {
    sim = await startSim({ tokenLifetimeSeconds: 1 })
    const identity = new HttpClient({ system: 'UiPath Orchestrator', baseUrl: sim.server.url })
    const tokens = new TokenSource(identity, {
      endpoints: endpoints(sim.url),
      clientId: SIM_CLIENT_ID,
      clientSecret: SIM_CLIENT_SECRET,
      clientIdEnv: 'ID',
      clientSecretEnv: 'SECRET',
      scopes: ['OR.Users.Read'],
      log: silentLogger
    })
    const first = await Promise.all(Array.from({ length: 5 }, () => tokens.authorization()))
    expect(new Set(first.map((h) => h.authorization)).size).toBe(1)
    expect(sim.tokensIssued).toBe(1)

    // Renewal comes a tenth of the lifetime early, before Orchestrator would refuse the old token.
    await delay(920)
    const renewed = await tokens.authorization()
    expect(renewed.authorization).not.toBe(first[0]!.authorization)
    expect(sim.tokensIssued).toBe(2)
    const users = await fetch(`${sim.url}/odata/Users?$top=1`, { headers: renewed })
    expect(users.status).toBe(200)
  })
})
