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
    membersCanCreateRepositories: data.members_can_create_repositories
  }
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

export async function fetchInvitations(client: GitHubClient, org: string): Promise<RawInvitation[]> {
  const invitations = await client.paginate('GET /orgs/{org}/invitations', { org, per_page: PER_PAGE })
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
