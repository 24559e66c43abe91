/**
 * The GitHub simulator: one loopback SimServer serving a generated
 * organization over REST (GitHub's conventions from rest.ts) and GraphQL
 * (executed against GitHub's published schema, with point costs), optionally
 * GitHub App authentication, under `''` (api.github.com) or `/api/v3` (GHES,
 * GraphQL then at `/api/graphql`). Other simulated routes (repository
 * contents, pull requests) plug in through `rest.route()` and GraphQL
 * mutations through `graphqlRoots.Mutation`.
 *
 * GHES mode serves what the GHES descriptions have: `GET /orgs/{org}/invitations`
 * is absent from every ghes-3.x description of GitHub's OpenAPI (the npm
 * `@octokit/openapi-types` ships only api.github.com's, so this follows the
 * issue that compared them), so it answers 404 there, as it does for an
 * Enterprise Managed Users organization (`emu`).
 */
import type { GraphQLFieldResolver } from 'graphql'
import { SimServer, type Fault, type SimRequest } from '../server.js'
import { addAppRoutes, type SimApp } from './app-routes.js'
import type { GeneratedOrg } from './data.js'
import { GraphQLEndpoint, graphqlRateLimit, type GraphQLControls, type GraphQLTotals } from './graphql.js'
import { graphControls } from './org-graph.js'
import { addOrgRoutes } from './org-routes.js'
import { badCredentials, bearer, githubError, GitHubRestApi, type RateLimit } from './rest.js'

export interface TokenAccess {
  /** An owner's token (or an App installation's) sees secret teams and owner-only settings. */
  owner: boolean
  /** False for a token not authorized for the organization's SAML single sign-on. */
  ssoAuthorized: boolean
  /** Installation tokens stop working at this instant. */
  expiresAt?: Date
  /** Repository names a token limited to selected repositories sees; undefined: all. */
  repositories?: ReadonlySet<string>
  graphql: RateLimit
}

export interface GitHubSimOptions {
  org: GeneratedOrg
  /** The owner token the simulator accepts. Default `ghp_simulated_owner_token`. */
  token?: string
  prefix?: '' | '/api/v3'
  graphqlRoots?: { Mutation?: Record<string, GraphQLFieldResolver<unknown, unknown>> }
  /** Enables GitHub App authentication for this App. */
  app?: SimApp
  /** An Enterprise Managed Users organization: no invitations (GitHub answers 404). */
  emu?: boolean
}

export interface GitHubSim {
  sim: SimServer
  rest: GitHubRestApi
  org: GeneratedOrg
  /** The REST base URL (`…/api/v3` for GHES). */
  url: string
  graphqlUrl: string
  token: string
  /** Per-node GraphQL faults and the timeout threshold, changeable while running. */
  controls: GraphQLControls
  graphql: GraphQLTotals
  /** Installation tokens minted so far (App authentication). */
  mintedTokens: string[]
  addToken(token: string, access?: Partial<Omit<TokenAccess, 'graphql'>>): TokenAccess
  stop(): Promise<void>
}

const SAML_MESSAGE =
  'Resource protected by organization SAML enforcement. You must grant your Personal Access token access to this organization.'

/** GitHub's secondary-rate-limit answer, for `sim.inject`. */
export function secondaryRateLimit(path: RegExp | string, retryAfterSeconds = 1, times = 1): Fault {
  return {
    path,
    times,
    status: 403,
    json: {
      message:
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID SIM.',
      documentation_url:
        'https://docs.github.com/rest/overview/rate-limits-for-the-rest-api#about-secondary-rate-limits',
      status: '403'
    },
    headers: { 'retry-after': String(retryAfterSeconds) }
  }
}

export async function startGitHubSim(options: GitHubSimOptions): Promise<GitHubSim> {
  const { org } = options
  const prefix = options.prefix ?? ''
  const sim = new SimServer()
  const rest = new GitHubRestApi(sim, prefix)
  const access = new Map<string, TokenAccess>()
  const controls: GraphQLControls = graphControls()
  const graphql = new GraphQLEndpoint(org, controls, options.graphqlRoots?.Mutation)

  const addToken = (token: string, given: Partial<Omit<TokenAccess, 'graphql'>> = {}): TokenAccess => {
    const entry: TokenAccess = { owner: true, ssoAuthorized: true, ...given, graphql: graphqlRateLimit() }
    access.set(token, entry)
    rest.addToken(token)
    return entry
  }
  const expired = (entry: TokenAccess | undefined) =>
    entry?.expiresAt !== undefined && entry.expiresAt.getTime() <= Date.now()
  rest.accept = (token) => {
    const entry = access.get(token)
    if (expired(entry)) return badCredentials()
    if (entry && !entry.ssoAuthorized) return githubError(403, SAML_MESSAGE)
    return undefined
  }
  // Tokens added straight to `rest.tokens` by other simulated routes count as owners.
  const isOwner = (req: SimRequest) => access.get(bearer(req) ?? '')?.owner ?? true
  const repositories = (req: SimRequest) => access.get(bearer(req) ?? '')?.repositories

  const token = options.token ?? 'ghp_simulated_owner_token'
  addToken(token)
  addOrgRoutes(rest, {
    org,
    isOwner,
    repositories,
    invitations: prefix === '' && !options.emu
  })
  const app = options.app
  const minted = app
    ? addAppRoutes(sim, rest, prefix, org, app, (t) => {
        const expiresAt = new Date(Date.now() + 3_600_000)
        addToken(t, { expiresAt, ...(app.repositories ? { repositories: new Set(app.repositories) } : {}) })
        return expiresAt
      }).minted
    : []

  const graphqlPath = prefix === '' ? '/graphql' : '/api/graphql'
  const graphqlAnswer = (req: SimRequest) => {
    const key = bearer(req) ?? ''
    let entry = access.get(key)
    if (!entry && rest.tokens.has(key)) {
      entry = { owner: true, ssoAuthorized: true, graphql: graphqlRateLimit() }
      access.set(key, entry)
    }
    if (!entry || expired(entry)) return githubError(401, 'Bad credentials')
    return graphql.handle(req, {
      viewer: { owner: entry.owner, repositories: entry.repositories },
      rate: entry.graphql,
      samlBlocked: !entry.ssoAuthorized
    })
  }

  // GraphQL answers carry its own media type; the other GitHub headers come from GitHubRestApi.
  sim.route('POST', graphqlPath, async (req) => {
    const answer = await graphqlAnswer(req)
    answer.headers = { ...answer.headers, 'x-github-media-type': 'github.v4; format=json' }
    return answer
  })

  const origin = await sim.start()
  return {
    sim,
    rest,
    org,
    url: `${origin}${prefix}`,
    graphqlUrl: `${origin}${graphqlPath}`,
    token,
    controls,
    graphql: graphql.totals,
    mintedTokens: minted,
    addToken,
    stop: () => sim.stop()
  }
}
