/**
 * GitHub App authentication as GitHub does it: a JWT signed with the App's
 * private key (RS256, `iss` = the App id or client id, at most 10 minutes
 * long) finds the organization's installation and mints installation tokens
 * that expire after one hour. The simulator verifies the signature with the
 * App's public key, so a wrong key fails like it would on GitHub. An App
 * installed on selected repositories says so in `repository_selection`
 * (installation, token and `GET /installation/repositories`) and its tokens
 * see only those repositories.
 */
import { createVerify, type KeyObject } from 'node:crypto'
import type { components, operations } from '@octokit/openapi-types'
import type { SimRequest, SimResponse, SimServer } from '../server.js'
import { bearer, githubError, paginate, type GitHubRestApi } from './rest.js'
import type { GeneratedOrg } from './data.js'
import { repositoryFields } from './org-routes.js'

type Installation = Pick<
  components['schemas']['installation'],
  'id' | 'app_id' | 'target_id' | 'target_type' | 'repository_selection' | 'permissions' | 'events' | 'app_slug'
>
type InstallationToken = Pick<
  components['schemas']['installation-token'],
  'token' | 'expires_at' | 'permissions' | 'repository_selection'
>
type Repository = ReturnType<typeof repositoryFields>
type InstallationRepositories = Omit<
  operations['apps/list-repos-accessible-to-installation']['responses'][200]['content']['application/json'],
  'repositories'
> & { repositories: Repository[] }

export interface SimApp {
  appId: number
  installationId: number
  publicKey: KeyObject | string
  /** Repository names the App is installed on ("Only select repositories"); absent: all repositories. */
  repositories?: string[]
}

const PERMISSIONS: Installation['permissions'] = {
  members: 'read',
  organization_administration: 'read',
  organization_custom_roles: 'read',
  organization_custom_org_roles: 'read',
  administration: 'read',
  metadata: 'read'
}

/** Checks an App JWT; answers GitHub's 401 when it is not acceptable. */
function verifyJwt(req: SimRequest, app: SimApp): SimResponse | undefined {
  const jwt = bearer(req) ?? ''
  const [header, payload, signature] = jwt.split('.')
  if (!header || !payload || !signature) return githubError(401, 'A JSON web token could not be decoded')
  const verifier = createVerify('RSA-SHA256')
  verifier.update(`${header}.${payload}`)
  if (!verifier.verify(app.publicKey, Buffer.from(signature, 'base64url'))) {
    return githubError(401, 'A JSON web token could not be decoded')
  }
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
    iss?: unknown
    exp?: number
    iat?: number
  }
  if (String(claims.iss) !== String(app.appId)) return githubError(401, "'Issuer' claim ('iss') must be an Integer")
  const now = Math.floor(Date.now() / 1000)
  if (typeof claims.exp !== 'number' || claims.exp < now || claims.exp - (claims.iat ?? now) > 600) {
    return githubError(
      401,
      "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
    )
  }
  return undefined
}

/**
 * Adds the App routes; `mint` registers each new installation token with the
 * simulator (owner-level visibility, one hour of life) and returns its expiry.
 */
export function addAppRoutes(
  sim: SimServer,
  rest: GitHubRestApi,
  prefix: string,
  org: GeneratedOrg,
  app: SimApp,
  mint: (token: string) => Date
): { minted: string[] } {
  const minted: string[] = []
  const selection = app.repositories ? 'selected' : 'all'
  sim.route('GET', `${prefix}/orgs/:org/installation`, (req) => {
    const refused = verifyJwt(req, app)
    if (refused) return refused
    if (req.params.org!.toLowerCase() !== org.login.toLowerCase()) return githubError(404, 'Not Found')
    const body: Installation = {
      id: app.installationId,
      app_id: app.appId,
      target_id: org.id,
      target_type: 'Organization',
      repository_selection: selection,
      permissions: PERMISSIONS,
      events: [],
      app_slug: 'permission-snapshot'
    }
    return { json: body }
  })
  sim.route('POST', `${prefix}/app/installations/:id/access_tokens`, (req) => {
    const refused = verifyJwt(req, app)
    if (refused) return refused
    if (req.params.id !== String(app.installationId)) return githubError(404, 'Not Found')
    const token = `ghs_sim${minted.length + 1}${Math.random().toString(36).slice(2, 12)}`
    minted.push(token)
    const body: InstallationToken = {
      token,
      expires_at: mint(token).toISOString(),
      permissions: PERMISSIONS,
      repository_selection: selection
    }
    return { status: 201, json: body }
  })
  // An installation token only; other tokens are refused as GitHub refuses them (message not verified).
  rest.route('GET', '/installation/repositories', (req) => {
    if (!minted.includes(bearer(req) ?? ''))
      return githubError(403, 'This endpoint requires you to be authenticated as a GitHub App installation.')
    const repos = org.repos.filter((r) => !app.repositories || app.repositories.includes(r.name))
    const page = paginate(
      req,
      repos.map((r) => repositoryFields(org, r))
    )
    const body: InstallationRepositories = {
      total_count: repos.length,
      repositories: page.json as Repository[],
      repository_selection: selection
    }
    return { ...page, json: body }
  })
  return { minted }
}
