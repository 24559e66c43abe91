/**
 * One run of the GitHub source: the organization's settings first (they also
 * prove the token can see everything), then the GraphQL walk and the REST
 * reads side by side, then the REST look-ups custom roles make necessary.
 * Anything GitHub withheld fails the run: a partial snapshot would read as
 * revoked access.
 */
import type { GitHubClient } from '../../github/octokit.js'
import { mapLimit } from '../../util/concurrency.js'
import { SourceError, type SourceContext, type SourceResult } from '../types.js'
import { fetchAuditEvents } from './audit.js'
import { githubFailure } from './hints.js'
import { normalize } from './normalize.js'
import { rootPages, type Withheld } from './pages.js'
import type { Collected } from './raw.js'
import {
  CONCURRENCY,
  fetchCustomRepoRoles,
  fetchInvitations,
  fetchOrgRoles,
  fetchOrgSettings,
  fetchOutsideCollaborators,
  fetchTeamRepoRoles
} from './rest.js'
import type { GitHubSettings } from './settings.js'
import { walk, WalkFailure } from './walker.js'

export async function fetchOrganization(
  client: GitHubClient,
  settings: GitHubSettings,
  context: SourceContext,
  instance: string
): Promise<SourceResult> {
  const org = settings.organization
  const { log } = context
  const notes: string[] = []
  try {
    const c: Collected = {
      org: await fetchOrgSettings(client, org),
      users: new Map(),
      members: new Map(),
      teams: new Map(),
      repos: new Map(),
      invitations: [],
      orgRoles: [],
      customRepoRoles: []
    }
    const withheld: Withheld = { collaborators: [], vanished: [] }
    const [walked, outside, invitations, orgRoles, customRepoRoles, events] = await Promise.all([
      walk({ client, organization: org, pages: rootPages(c, withheld), log }),
      fetchOutsideCollaborators(client, org),
      fetchInvitations(client, org),
      fetchOrgRoles(client, org, notes),
      fetchCustomRepoRoles(client, org, notes),
      settings['audit-log'] ? fetchAuditEvents(client, org, context.eventsSince, context.eventsUntil, notes) : []
    ])
    if (withheld.collaborators.length > 0 || withheld.vanished.length > 0) {
      throw incomplete(org, withheld)
    }
    Object.assign(c, { invitations, orgRoles, customRepoRoles })
    for (const user of outside) if (!c.users.has(user.id)) c.users.set(user.id, user)
    await resolveCustomTeamRoles(client, c)
    log.info(
      `GitHub ${org}: ${c.members.size} members, ${c.teams.size} teams, ${c.repos.size} repositories; ` +
        `${walked.queries} GraphQL queries (${walked.points} points), ${client.stats.requests} HTTP requests`
    )
    return { snapshot: normalize(c, instance), events, notes, stats: { ...client.stats } }
  } catch (error) {
    if (error instanceof WalkFailure) {
      const saml = /SAML enforcement/i.test(error.message)
      throw new SourceError(
        `GitHub source '${instance}': the GraphQL API refused to read organization ${org}: ${error.message}`,
        saml
          ? `Organization ${org} enforces SAML single sign-on: authorize the token for it (Settings → Tokens → Configure SSO) or use a GitHub App.`
          : 'The token needs organization Members: read and repository Metadata: read on all repositories (classic token: read:org and repo).',
        { cause: error }
      )
    }
    throw githubFailure(error, org, instance)
  }
}

function incomplete(org: string, withheld: Withheld): SourceError {
  const list = (items: string[]) =>
    items.slice(0, 5).join(', ') + (items.length > 5 ? ` and ${items.length - 5} more` : '')
  const parts: string[] = []
  if (withheld.collaborators.length) {
    parts.push(
      `GitHub withheld the collaborators of ${withheld.collaborators.length} repositories: ${list(withheld.collaborators)}`
    )
  }
  if (withheld.vanished.length) parts.push(`these disappeared while being read: ${list(withheld.vanished)}`)
  return new SourceError(
    `GitHub organization ${org}: incomplete data, not stored (${parts.join('; ')})`,
    "Reading collaborators needs admin access to every repository: use an organization owner's token or a GitHub App with repository Administration: read on all repositories. Something that vanished mid-run is fixed by running again."
  )
}

/**
 * GraphQL reports a team's grant as a permission (WRITE), which a custom
 * repository role shares with its base role. Where the organization has a
 * custom role with that base, the team's role names come from REST `role_name`.
 */
async function resolveCustomTeamRoles(client: GitHubClient, c: Collected): Promise<void> {
  const bases = new Set(c.customRepoRoles.map((r) => r.baseRole.toUpperCase()))
  if (bases.size === 0) return
  const ambiguous = [...c.teams.values()].filter((t) => [...t.repos.values()].some((p) => bases.has(p)))
  await mapLimit(ambiguous, CONCURRENCY, async (team) => {
    const names = await fetchTeamRepoRoles(client, c.org.login, team.slug)
    for (const repoId of team.repos.keys()) {
      const name = names.get(repoId)
      if (name) team.repos.set(repoId, name)
    }
  })
}
