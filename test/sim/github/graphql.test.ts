import { getOperationAST, parse } from 'graphql'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { queryCost } from './cost.js'
import { generateOrg } from './data.js'
import { githubSchema } from './graphql.js'
import { startGitHubSim, type GitHubSim } from './server.js'

// The tests read into answers of several shapes.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type GraphQLBody = { data: any; errors: Array<{ type?: string; message: string }> }

function cost(query: string, variables: Record<string, unknown> = {}) {
  const document = parse(query)
  return queryCost(githubSchema(), document, getOperationAST(document)!, variables)
}

describe('GitHub GraphQL point cost', () => {
  it("matches GitHub's documented examples", () => {
    // github/docs: 1 + 100 + 100 × 50 = 5,101 requests → 51 points.
    const worked = cost(
      `query { viewer { repositories(first: 100) { nodes { issues(first: 50) { nodes { labels(first: 60) { nodes { name } } } } } } } }`
    )
    expect(worked).toMatchObject({ requests: 5_101, points: 51, errors: [] })
    const teams = cost(
      `query($n: Int!) { organization(login: "a") { teams(first: $n) { nodes {
      members(first: 100) { nodes { login } } repositories(first: 100) { nodes { name } } } } } }`,
      { n: 25 }
    )
    expect(teams).toMatchObject({ requests: 51, points: 1 })
    expect(cost('query { rateLimit { cost } }').points).toBe(1)
  })

  it('refuses connections without first/last, pages over 100 and more than 500,000 nodes', () => {
    expect(cost('query { organization(login: "a") { teams { totalCount } } }').errors[0]!.type).toBe(
      'MISSING_PAGINATION_BOUNDARIES'
    )
    expect(
      cost('query { organization(login: "a") { teams(first: 101) { totalCount } } }').errors[0]!.message
    ).toContain('exceeds the `first` limit of 100 records')
    const huge = cost(`query { organization(login: "a") { repositories(first: 100) { nodes {
      collaborators(first: 100) { nodes { repositories(first: 100) { totalCount } } } } } } }`)
    expect(huge.errors.map((e) => e.type)).toContain('MAX_NODE_LIMIT_EXCEEDED')
  })
})

describe('GitHub simulator over HTTP', () => {
  let github: GitHubSim
  const org = generateOrg({ seed: 3, members: 250, teams: 20, repos: 30 })
  beforeAll(async () => {
    github = await startGitHubSim({ org })
  })
  afterAll(() => github.stop())

  async function graphql(query: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(github.graphqlUrl, {
      method: 'POST',
      headers: { authorization: `bearer ${github.token}` },
      body: JSON.stringify({ query, variables })
    })
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLBody }
  }

  it('rejects a query GitHub would reject, with GitHub-style errors', async () => {
    const { status, body } = await graphql('query { organization(login: "acme") { owners } }')
    expect(status).toBe(200)
    expect(body.errors[0].message).toBe('Cannot query field "owners" on type "Organization".')
  })

  it('lists child-team members under a parent unless asked for IMMEDIATE members', async () => {
    const parent = org.teams.find((t) =>
      org.teams.some((c) => c.parentId === t.id && [...c.members.keys()].some((id) => !t.members.has(id)))
    )!
    const query = (membership: string) =>
      `query { organization(login: "acme") { team(slug: "${parent.slug}") { members(first: 100, membership: ${membership}) { totalCount } } } }`
    const all = (await graphql(query('ALL'))).body.data.organization.team.members.totalCount
    const immediate = (await graphql(query('IMMEDIATE'))).body.data.organization.team.members.totalCount
    expect(immediate).toBe(parent.members.size)
    expect(all).toBeGreaterThan(immediate)
  })

  it('answers rateLimit truthfully and RATE_LIMITED once the budget is spent', async () => {
    const token = 'ghp_small_budget'
    const access = github.addToken(token)
    access.graphql.limit = 3
    const ask = () =>
      fetch(github.graphqlUrl, {
        method: 'POST',
        headers: { authorization: `bearer ${token}` },
        body: JSON.stringify({ query: 'query { rateLimit { cost remaining used } }' })
      }).then(async (r) => ({ headers: r.headers, body: (await r.json()) as GraphQLBody }))
    expect((await ask()).body.data.rateLimit).toEqual({ cost: 1, remaining: 2, used: 1 })
    await ask()
    await ask()
    const spent = await ask()
    expect(spent.body.errors[0].type).toBe('RATE_LIMITED')
    expect(spent.headers.get('x-ratelimit-remaining')).toBe('0')
    expect(spent.headers.get('x-ratelimit-resource')).toBe('graphql')
  })

  it('pages REST lists with Link headers and rate-limit headers', async () => {
    const response = await fetch(`${github.url}/orgs/acme/outside_collaborators?per_page=2`, {
      headers: { authorization: `token ${github.token}` }
    })
    expect(((await response.json()) as unknown[]).length).toBe(2)
    expect(response.headers.get('link')).toContain('rel="next"')
    expect(response.headers.get('x-ratelimit-resource')).toBe('core')
  })
})
