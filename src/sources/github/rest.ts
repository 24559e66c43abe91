/**
 * What GraphQL does not have, read over REST: the organization's settings
 * (base permission), outside collaborators, pending invitations with their
 * teams, organization roles with their direct assignments, custom repository
 * roles, and the role names of team grants where custom roles make GraphQL's
 * permission ambiguous. Plan-gated endpoints that answer 404 add a note.
 */
import type { GitHubClient } from '../../github/octokit.js'
import { mapLimit } from '../../util/concurrency.js'
import { SourceError } from '../types.js'
import { INVITATION_ROLES } from './normalize.js'
import type { RawCustomRepoRole, RawInvitation, RawOrgRole, RawOrgSettings, RawUser } from './raw.js'

const PER_PAGE = 100
/** Parallel REST requests; GitHub asks for serial requests, a few at a time keeps wall time down without bursts. */
export const CONCURRENCY = 4

function isNotFound(error: unknown): boolean {
  return (error as { status?: number }).status === 404
}

export async function fetchOrgSettings(client: GitHubClient, org: string): Promise<RawOrgSettings> {
  const { data } = await client.request('GET /orgs/{org}', { org })
  // GitHub shows these to owners (and Apps with Administration: read) only: without them the token
  // also misses secret teams and concealed members, and a snapshot would read as lost access.
  if (data.default_repository_permission == null || data.members_can_create_repositories == null) {
    throw new SourceError(
      `GitHub organization ${org}: the token cannot see the organization's settings, so it also cannot see secret teams and concealed members; refusing to store an incomplete snapshot`,
      "Use an organization owner's token, or a GitHub App installation with organization Members: read and Administration: read."
    )
  }
  return {
    id: data.id,
    nodeId: data.node_id,
    login: data.login,
    defaultRepositoryPermission: data.default_repository_permission,
    membersCanCreateRepositories: data.members_can_create_repositories,
    publicRepos: data.public_repos,
    // Both are optional in the description (shown to those who may see private repositories).
    privateRepos: data.total_private_repos ?? data.owned_private_repos
  }
}

/**
 * An App installation limited to selected repositories returns only those
 * from `organization.repositories`: later narrowing the selection would read
 * as revoked grants. Other tokens are checked against the organization's
 * repository totals once the walk is done.
 */
export async function checkInstallationSelection(client: GitHubClient, org: string): Promise<void> {
  // @octokit/auth-token and @octokit/auth-app both say which kind of token they hold.
  const auth = (await client.auth({ type: 'installation' })) as { tokenType?: string }
  if (auth.tokenType !== 'installation') return
  const { data } = await client.request('GET /installation/repositories', { per_page: 1 })
  if (data.repository_selection !== 'selected') return
  throw new SourceError(
    `GitHub organization ${org}: the GitHub App is installed on selected repositories only (${data.total_count} of them); refusing to store a snapshot that would show the others' access as revoked`,
    `Set the App installation's "Repository access: All repositories" (organization Settings → GitHub Apps → Configure).`
  )
}

function rawUser(user: {
  node_id: string
  login: string
  type?: string
  name?: string | null
  email?: string | null
}): RawUser {
  return { id: user.node_id, login: user.login, type: user.type ?? 'User', name: user.name, email: user.email }
}

export async function fetchOutsideCollaborators(client: GitHubClient, org: string): Promise<RawUser[]> {
  const users = await client.paginate('GET /orgs/{org}/outside_collaborators', { org, per_page: PER_PAGE })
  return users.map(rawUser)
}

/**
 * Pending invitations. GitHub Enterprise Server has no invitations API (it is
 * in no ghes-3.x description) and Enterprise Managed Users organizations have
 * no invitations: both answer 404, noted like the plan-gated endpoints.
 */
export async function fetchInvitations(client: GitHubClient, org: string, notes: string[]): Promise<RawInvitation[]> {
  let invitations
  try {
    invitations = await client.paginate('GET /orgs/{org}/invitations', { org, per_page: PER_PAGE })
  } catch (error) {
    if (!isNotFound(error)) throw error
    notes.push(
      `GitHub ${org}: pending invitations were not read: GitHub Enterprise Server has no invitations API and Enterprise Managed Users organizations have no invitations (the endpoint answered 404)`
    )
    return []
  }
  const unknown = invitations.find((i) => !INVITATION_ROLES[i.role])
  if (unknown) {
    throw new SourceError(
      `GitHub organization ${org}: invitation ${unknown.id} has the role '${unknown.role}', which this version of permission-snapshot does not know; refusing to guess what it grants`,
      'Please report it with the role name; until then the previous snapshot stays as it is.'
    )
  }
  return mapLimit(invitations, CONCURRENCY, async (i) => ({
    id: Number(i.id),
    login: i.login,
    email: i.email,
    role: i.role,
    teamSlugs:
      i.team_count > 0
        ? (
            await client.paginate('GET /orgs/{org}/invitations/{invitation_id}/teams', {
              org,
              invitation_id: Number(i.id),
              per_page: PER_PAGE
            })
          ).map((t) => t.slug)
        : []
  }))
}

/** Organization roles with their direct assignments; those inherited through a team are the team's grant. */
export async function fetchOrgRoles(client: GitHubClient, org: string, notes: string[]): Promise<RawOrgRole[]> {
  let roles
  try {
    roles = (await client.request('GET /orgs/{org}/organization-roles', { org })).data.roles ?? []
  } catch (error) {
    if (!isNotFound(error)) throw error
    notes.push(`GitHub ${org}: organization roles are not available on this GitHub version or plan; skipped`)
    return []
  }
  const direct = (assignment: string | undefined) => assignment !== 'indirect'
  return mapLimit(roles, CONCURRENCY, async (role) => {
    const [teams, users] = await Promise.all([
      client.paginate('GET /orgs/{org}/organization-roles/{role_id}/teams', {
        org,
        role_id: Number(role.id),
        per_page: PER_PAGE
      }),
      client.paginate('GET /orgs/{org}/organization-roles/{role_id}/users', {
        org,
        role_id: Number(role.id),
        per_page: PER_PAGE
      })
    ])
    return {
      id: Number(role.id),
      name: role.name,
      description: role.description,
      baseRole: role.base_role,
      source: role.source,
      permissions: role.permissions,
      teams: teams.filter((t) => direct(t.assignment)).map((t) => t.node_id),
      users: users.filter((u) => direct(u.assignment)).map(rawUser)
    }
  })
}

interface CustomRepoRolesBody {
  total_count: number
  custom_roles: Array<{
    id: number
    name: string
    description?: string | null
    base_role: string
    permissions: string[]
  }>
}

/** Custom repository roles exist on GitHub Enterprise Cloud only; below it the endpoint answers 404. */
export async function fetchCustomRepoRoles(
  client: GitHubClient,
  org: string,
  notes: string[]
): Promise<RawCustomRepoRole[]> {
  try {
    // Not in api.github.com's OpenAPI description (GHEC only), so Octokit has no method for it.
    const { data } = await client.request('GET /orgs/{org}/custom-repository-roles', { org })
    return (data as CustomRepoRolesBody).custom_roles.map((r) => ({
      id: r.id,
      name: r.name,
      description: r.description,
      baseRole: r.base_role,
      permissions: r.permissions
    }))
  } catch (error) {
    if (!isNotFound(error)) throw error
    notes.push(
      `GitHub ${org}: custom repository roles need GitHub Enterprise Cloud (the endpoint answered 404); only built-in repository roles apply`
    )
    return []
  }
}

/** Role names (custom ones included) of one team's repository grants, by repository node id. */
export async function fetchTeamRepoRoles(
  client: GitHubClient,
  org: string,
  slug: string
): Promise<Map<string, string>> {
  const repos = await client.paginate('GET /orgs/{org}/teams/{team_slug}/repos', {
    org,
    team_slug: slug,
    per_page: PER_PAGE
  })
  return new Map(repos.filter((r) => r.role_name).map((r) => [r.node_id, r.role_name!]))
}
