/**
 * One run of the GitHub source: the organization's settings first (they also
 * prove the token can see everything), then the GraphQL walk and the REST
 * reads side by side, then the REST look-ups custom roles make necessary.
 * Anything GitHub withheld fails the run: a partial snapshot would read as
 * revoked access.
 */
import type { GitHubClient } from '../../github/octokit.js'
import { mapLimit } from '../../util/concurrency.js'
import { counted } from '../../util/plural.js'
import { SourceError, type SourceContext, type SourceResult } from '../types.js'
import { fetchAuditEvents } from './audit.js'
import { githubFailure } from './hints.js'
import { normalize } from './normalize.js'
import { rootPages, type Withheld } from './pages.js'
import type { Collected } from './raw.js'
import {
  checkInstallationSelection,
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
    const orgSettings = await fetchOrgSettings(client, org)
    await checkInstallationSelection(client, org)
    const c: Collected = {
      org: orgSettings,
      users: new Map(),
      members: new Map(),
      teams: new Map(),
      repos: new Map(),
      invitations: [],
      orgRoles: [],
      customRepoRoles: []
    }
    const withheld: Withheld = { collaborators: [], vanished: [], nodes: [], unnamed: [] }
    const [walked, outside, invitations, orgRoles, customRepoRoles, events] = await Promise.all([
      walk({ client, organization: org, pages: rootPages(c, withheld), log }),
      fetchOutsideCollaborators(client, org),
      fetchInvitations(client, org, notes),
      fetchOrgRoles(client, org, notes),
      fetchCustomRepoRoles(client, org, notes),
      settings['audit-log'] ? fetchAuditEvents(client, org, context.eventsSince, context.eventsUntil, notes) : []
    ])
    for (const error of walked.unexplained) {
      withheld.nodes.push({ what: 'other data', detail: `${error.path?.join('.') ?? '(no path)'}: ${error.message}` })
    }
    if (Object.values(withheld).some((list) => list.length > 0)) throw incomplete(org, withheld)
    checkRepositoryTotals(c)
    Object.assign(c, { invitations, orgRoles, customRepoRoles })
    for (const user of outside) if (!c.users.has(user.id)) c.users.set(user.id, user)
    await resolveCustomTeamRoles(client, c)
    log.info(
      `GitHub ${org}: ${c.members.size} members, ${c.teams.size} teams, ${c.repos.size} repositories; ` +
        `${counted(walked.queries, 'GraphQL query', 'GraphQL queries')} (${counted(walked.points, 'point')}), ${counted(client.stats.requests, 'HTTP request')}`
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
  const hints: string[] = []
  if (withheld.nodes.length) {
    const kinds = [...new Set(withheld.nodes.map((n) => n.what))]
    const n = withheld.nodes.length
    parts.push(`GitHub withheld ${n} ${n === 1 ? 'entry' : 'entries'} of ${list(kinds)}`)
    hints.push(
      `GitHub returned them as null: ${list(withheld.nodes.map((n) => n.detail))}. Use an organization owner's token or a GitHub App installation with organization Members: read on the whole organization (authorized for SAML single sign-on where it is enforced).`
    )
  }
  if (withheld.collaborators.length) {
    parts.push(
      `GitHub withheld the collaborators of ${withheld.collaborators.length} repositories: ${list(withheld.collaborators)}`
    )
    hints.push(
      "Reading collaborators needs admin access to every repository: use an organization owner's token or a GitHub App with repository Administration: read on all repositories."
    )
  }
  if (withheld.unnamed.length) {
    parts.push(
      `direct grants on ${list(withheld.unnamed)} whose role GitHub did not name (no roleName, permission NONE)`
    )
    hints.push('GitHub did not say what these grants allow; run again, and report it if it persists.')
  }
  if (withheld.vanished.length) {
    parts.push(`these disappeared while being read: ${list(withheld.vanished)}`)
    hints.push('Something that vanished mid-run is fixed by running again.')
  }
  return new SourceError(
    `GitHub organization ${org}: incomplete data, not stored (${parts.join('; ')})`,
    hints.join(' ')
  )
}

/**
 * A token limited to some repositories (a fine-grained token with a repository
 * list, an App installed on selected ones) reads fewer from GraphQL than the
 * organization has. `GET /orgs/{org}` counts them all: fewer seen fails, so a
 * narrowed selection never reads as revoked grants. Repositories created
 * during the run only make the count seen larger.
 */
function checkRepositoryTotals(c: Collected): void {
  const { login, publicRepos, privateRepos } = c.org
  const repos = [...c.repos.values()]
  const seen = privateRepos === undefined ? repos.filter((r) => r.visibility === 'PUBLIC').length : repos.length
  const total = publicRepos + (privateRepos ?? 0)
  if (seen >= total) return
  const counted =
    privateRepos === undefined
      ? `${publicRepos} public`
      : `${publicRepos} public and ${privateRepos} private or internal`
  throw new SourceError(
    `GitHub organization ${login}: the token sees ${seen} of the ${total} ${privateRepos === undefined ? 'public ' : ''}repositories GET /orgs/${login} counts (${counted}); refusing to store a snapshot that would show the others' access as revoked`,
    'The token is limited to some repositories: give a fine-grained token "Repository access: All repositories" (resource owner: the organization), or set a GitHub App installation\'s "Repository access: All repositories"; a classic token needs the repo scope. A repository deleted during the run is fixed by running again.'
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
