/**
 * Every credential stays on its host: each source's simulator redirects the
 * request that carries it to a second listener (another port, so another
 * origin), and that listener must receive nothing — not the Octopus key
 * header, not the UiPath client secret, not the EPM password, not the GitHub
 * token — while the error names both origins and the setting to fix. A
 * next-page link to another origin is refused the same way.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { githubSource } from '../../src/sources/github/index.js'
import { generateEpm } from '../sim/cyberark-epm/data.js'
import { EpmSimulator } from '../sim/cyberark-epm/server.js'
import { startElsewhere, type Elsewhere } from '../sim/elsewhere.js'
import { generateOrg } from '../sim/github/data.js'
import { startGitHubSim } from '../sim/github/server.js'
import { generateOctopus } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import { runEpm } from './cyberark-epm/run.js'
import { runOctopus } from './octopus/run.js'
import { runSource } from './run-source.js'
import { runSource as runUipath, startSim as startUipath } from './uipath/helpers.js'
import { rejection } from '../rejection.js'

describe('a redirect to another origin never carries a credential there', () => {
  const stops: Array<() => Promise<void>> = []
  let elsewhere: Elsewhere
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()))
  })
  const start = async () => {
    elsewhere = await startElsewhere()
    stops.push(elsewhere.stop)
  }
  // Nothing at all reached the other host: no header, no body, so no credential.
  const nothingArrived = () => expect(elsewhere.received).toEqual([])

  it('Octopus: the X-Octopus-ApiKey header', async () => {
    await start()
    const server = octopusServer(generateOctopus(3))
    const url = await server.start()
    stops.push(() => server.stop())
    server.inject({ path: '/api/users/all', status: 302, headers: { location: `${elsewhere.url}/api/users/all` } })
    const error = await rejection(runOctopus(url))
    expect(error.message).toBe(
      `Octopus Deploy: GET /api/users/all was redirected from ${url} to ${elsewhere.url}; credentials are only sent to ${url}: check \`url\``
    )
    nothingArrived()
  })

  it('UiPath: the client secret in a 307/308 token request, naming `url` or `token-url`', async () => {
    await start()
    const sim = await startUipath()
    stops.push(() => sim.stop())
    const origin = new URL(sim.url).origin
    for (const status of [307, 308]) {
      sim.server.inject({ path: '/identity_/connect/token', status, headers: { location: `${elsewhere.url}/token` } })
      const error = await rejection(runUipath(sim))
      expect(error.message).toContain(`POST /identity_/connect/token was redirected from ${origin} to ${elsewhere.url}`)
      expect(error.message).toMatch(/: check `url`$/)
    }
    sim.server.inject({
      path: '/identity_/connect/token',
      status: 307,
      headers: { location: `${elsewhere.url}/token` }
    })
    const configured = await rejection(runUipath(sim, { 'token-url': `${origin}/identity_/connect/token` }))
    expect(configured.message).toMatch(/: check `token-url`$/)
    nothingArrived()
  })

  it('UiPath: the organization audit names `platform-audit-url` when that is where its address comes from', async () => {
    await start()
    const sim = await startUipath()
    stops.push(() => sim.stop())
    const origin = new URL(sim.url).origin
    const path = '/acme/DefaultTenant/audit_/api/auditlogs'
    sim.server.inject({ path, status: 302, headers: { location: `${elsewhere.url}${path}` } })
    const error = await rejection(runUipath(sim, { 'platform-audit-url': `${origin}/acme/DefaultTenant/` }))
    expect(error.message).toContain(`GET ${path} was redirected from ${origin} to ${elsewhere.url}`)
    expect(error.message).toMatch(/: check `platform-audit-url`$/)
    nothingArrived()
  })

  it('CyberArk EPM: the password in a 308 logon', async () => {
    await start()
    const sim = new EpmSimulator(generateEpm(5))
    sim.rateLimit = undefined
    const url = await sim.start()
    stops.push(() => sim.stop())
    sim.dispatcher.inject({
      path: /\/Logon$/,
      status: 308,
      headers: { location: `${elsewhere.url}/EPM/API/Auth/EPM/Logon` }
    })
    const error = await rejection(runEpm(url))
    expect(error.message).toBe(
      `CyberArk EPM: POST /EPM/API/Auth/EPM/Logon was redirected from ${url} to ${elsewhere.url}; credentials are only sent to ${url}: check \`url\``
    )
    nothingArrived()
  })

  it('GitHub: the token, on REST and on GraphQL; a same-origin redirect is followed', async () => {
    await start()
    const github = await startGitHubSim({ org: generateOrg({ seed: 3, members: 6, teams: 2, repos: 3 }) })
    stops.push(github.stop)
    const run = () =>
      runSource(githubSource, {
        settings: { organization: github.org.login, 'token-env': 'GH_TOKEN', 'api-url': github.url },
        env: { GH_TOKEN: github.token },
        instance: 'acme'
      })
    const orgPath = `/orgs/${github.org.login}`
    // GitHub answers 301 for a renamed organization or repository: on its own host that is followed.
    github.sim.inject({ path: orgPath, status: 301, headers: { location: `${github.url}${orgPath}?moved=1` } })
    expect((await run()).snapshot.principals.length).toBeGreaterThan(0)

    github.sim.inject({ path: orgPath, status: 307, headers: { location: `${elsewhere.url}${orgPath}` } })
    const rest = await rejection(run())
    expect(rest.message).toBe(
      `GitHub source 'acme': GET ${orgPath} was redirected from ${github.url} to ${elsewhere.url}; credentials are only sent to ${github.url}: check \`api-url\``
    )
    // A next-page link is followed on GitHub's own origin only.
    github.sim.inject({
      path: `${orgPath}/outside_collaborators`,
      headers: { link: `<${elsewhere.url}${orgPath}/outside_collaborators?page=2>; rel="next"` }
    })
    const link = await rejection(run())
    expect(link.message).toBe(
      `GitHub source 'acme': GET ${orgPath}/outside_collaborators would go to ${elsewhere.url}, but credentials are only sent to ${github.url}: check \`api-url\``
    )
    github.sim.inject({ path: '/graphql', status: 307, headers: { location: `${elsewhere.url}/graphql` } })
    const graphql = await rejection(run())
    expect(graphql.message).toContain(`POST /graphql was redirected from ${github.url} to ${elsewhere.url}`)
    expect(graphql.message).toMatch(/check `api-url`$/)
    nothingArrived()
  })
})
