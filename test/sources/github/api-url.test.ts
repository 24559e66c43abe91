/**
 * A wrong `api-url` is blamed before the token: whatever answers there must
 * answer as a GitHub API does (with GitHub's headers) before a 401, 403 or 404
 * is read as a permission problem.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest'
import { githubSource } from '../../../src/sources/github/index.js'
import { SourceError } from '../../../src/sources/types.js'
import { closedPort, startElsewhere } from '../../sim/elsewhere.js'
import { generateOrg, type GeneratedOrg } from '../../sim/github/data.js'
import { startGitHubSim } from '../../sim/github/server.js'
import { SimServer } from '../../sim/server.js'
import { runSource } from '../run-source.js'
import { expectFailure } from './harness.js'

const TOKEN = 'ghp_0123456789abcdefghijklmnopqrstuvwxyzAB'

describe('GitHub source: the base URL is checked before the token is blamed', () => {
  let org: GeneratedOrg
  const servers: SimServer[] = []
  beforeAll(() => {
    org = generateOrg({ seed: 4, members: 6, teams: 2, repos: 3 })
  })
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.stop()))
  })

  const run = (apiUrl: string, token = TOKEN) =>
    expectFailure(
      runSource(githubSource, {
        settings: { organization: org.login, 'token-env': 'GH_TOKEN', 'api-url': apiUrl },
        env: { GH_TOKEN: token },
        instance: 'acme'
      })
    )
  const server = async (answer: Parameters<SimServer['inject']>[0]) => {
    const sim = new SimServer()
    sim.inject({ ...answer, times: Infinity })
    servers.push(sim)
    return sim.start()
  }
  const blamesTheUrl = (error: SourceError) => {
    expect(error).toBeInstanceOf(SourceError)
    expect(error.message).toMatch(/check `api-url`/)
    expect(error.hint).toBe(
      'For github.com leave it out (https://api.github.com); for GitHub Enterprise Server it is https://HOST/api/v3.'
    )
    expect(`${error.message} ${error.hint}`).not.toMatch(/token|permission|scope|[<>]/i)
  }

  it('another server answering 401, 403 or 404 in JSON, without GitHub headers', async () => {
    for (const status of [401, 403, 404]) {
      const url = await server({ path: '/', status, json: { message: 'Not Found' } })
      const error = await run(url)
      expect(error.message).toBe(
        `GitHub source 'acme': GET /orgs/${org.login} answered ${status} with none of the headers a GitHub API sends (x-github-request-id): check \`api-url\` (a proxy, a sign-in page or a wrong path answered instead of the API)`
      )
      blamesTheUrl(error)
    }
  })

  it('a sign-in page in front of the API, answering at once or after a redirect to it', async () => {
    const page = '<html><head><title>Corporate SSO</title></head><body><form>password</form></body></html>'
    const direct = await server({ path: '/', status: 200, text: page, headers: { 'content-type': 'text/html' } })
    const proxy = new SimServer()
    servers.push(proxy)
    proxy.route('GET', '/orgs/:org', () => ({ status: 302, headers: { location: '/login?next=%2Forgs' } }))
    proxy.route('GET', '/login', () => ({ text: page, headers: { 'content-type': 'text/html' } }))
    for (const url of [direct, await proxy.start()]) {
      const error = await run(url)
      expect(error.message).toContain(`GET /orgs/${org.login} answered 200 with an HTML page titled "Corporate SSO"`)
      blamesTheUrl(error)
    }
  })

  it('nobody listening: one retry, then "cannot reach"', async () => {
    const url = await closedPort()
    const error = await run(url)
    expect(error.message).toBe(`GitHub source 'acme': cannot reach ${url} (connection refused): check \`api-url\``)
    blamesTheUrl(error)
  })

  it('asks for the REST API version the reference names, on every request', async () => {
    const elsewhere = await startElsewhere()
    servers.push(elsewhere.sim)
    await run(elsewhere.url)
    expect(elsewhere.received.map((r) => r.headers['x-github-api-version'])).toEqual(['2022-11-28'])
  })

  it('an HTML error page from GitHub itself is reduced to its title', async () => {
    const github = await startGitHubSim({ org })
    servers.push(github.sim)
    const page =
      '<!DOCTYPE html><html><head><title>Page not found · GitHub</title></head><body><img src=x></body></html>'
    github.sim.inject({ path: `/orgs/${org.login}`, status: 404, text: page, headers: { 'content-type': 'text/html' } })
    const error = await run(github.url, github.token)
    expect(error.message).toBe(
      `GitHub source 'acme': GET /orgs/${org.login} answered 404: an HTML page titled "Page not found · GitHub"`
    )
    expect(`${error.message} ${error.hint}`).not.toMatch(/[<>]/)
  })

  it('the real API refusing the token still says so', async () => {
    const github = await startGitHubSim({ org })
    servers.push(github.sim)
    const error = await run(github.url, 'ghp_revoked_token_0000000000000000000000')
    expect(error.message).toContain(`GET /orgs/${org.login} answered 401: Bad credentials`)
    expect(error.hint).toMatch(/^The credentials were refused/)
  })
})
