/**
 * The organization audit log (GitHub Enterprise Cloud only) as events for the
 * window since the last run: who added whom to which team, who changed a
 * repository grant, with the effect of each action in the model's terms for
 * the report's attribution. Below Enterprise Cloud the endpoint answers 404 and the
 * source notes it; the snapshot diff stays the source of truth.
 */
import type { GitHubClient } from '../../github/octokit.js'
import { SCOPE_SETTINGS } from '../../model/settings.js'
import type { AuditEvent, ChangeKind, EventEffect, EventRef } from '../../model/types.js'

interface AuditEntry {
  _document_id?: string
  '@timestamp'?: number
  created_at?: number
  action?: string
  actor?: string
  actor_id?: number
  user?: string
  user_id?: number
  org?: string
  team?: string
  repo?: string
  permission?: string
}

export async function fetchAuditEvents(
  client: GitHubClient,
  org: string,
  since: Date,
  until: Date,
  notes: string[]
): Promise<AuditEvent[]> {
  let entries: AuditEntry[]
  try {
    // Not in Octokit's route types for api.github.com (GHEC only); `paginate` follows the `after` cursor in `Link`.
    entries = (await client.paginate('GET /orgs/{org}/audit-log', {
      org,
      phrase: `created:>=${since.toISOString()} created:<=${until.toISOString()}`,
      include: 'web',
      order: 'asc',
      per_page: 100
    })) as AuditEntry[]
  } catch (error) {
    if ((error as { status?: number }).status !== 404) throw error
    notes.push(`GitHub ${org}: the audit log API needs GitHub Enterprise Cloud (it answered 404); no events read`)
    return []
  }
  return entries
    .map(toEvent)
    .filter((e): e is AuditEvent => e !== undefined && e.time >= since.toISOString() && e.time <= until.toISOString())
}

/** Who and what an entry names, as the snapshot spells them: logins, team slugs, repository names. */
interface Named {
  user?: EventRef
  team?: EventRef
  repo?: EventRef
  org?: EventRef
}

/**
 * What each audit action can change, in the model's terms (the event
 * catalogue of reference §11; `org.update_member_repository_creation_permission`,
 * `repo.access` and `team.change_parent_team` are the actions of the GraphQL
 * schema's `OrgUpdateMemberRepositoryCreationPermissionAuditEntry`,
 * `RepoAccessAuditEntry` and `TeamChangeParentTeamAuditEntry`). Actions not
 * listed, or whose entry lacks a field the effect needs, claim nothing.
 */
const EFFECTS: Record<string, (n: Named) => (EventEffect | undefined)[]> = {
  'org.add_member': (n) => [grant(['grant-added', 'principal-added'], n.user, n.org)],
  'org.remove_member': (n) => [grant(['grant-removed', 'principal-removed'], n.user, n.org)],
  // Member ↔ owner: one grant whose role changed, or a new one when other grants share its slot.
  'org.update_member': (n) => [grant(['grant-added', 'grant-changed'], n.user, n.org)],
  'org.invite_member': (n) => [grant(['grant-added', 'principal-added'], n.user, n.org)],
  'org.update_default_repository_permission': (n) => [setting(n.org, SCOPE_SETTINGS.membersPrivilege)],
  'org.update_member_repository_creation_permission': (n) => [setting(n.org, SCOPE_SETTINGS.membersCanCreate)],
  'repo.add_member': (n) => [grant(['grant-added', 'principal-added'], n.user, n.repo)],
  'repo.remove_member': (n) => [grant(['grant-removed', 'principal-removed'], n.user, n.repo)],
  'repo.update_member': (n) => [grant(['grant-changed'], n.user, n.repo)],
  'repo.access': (n) => [setting(n.repo, SCOPE_SETTINGS.visibility)],
  'repo.create': (n) => [n.repo && { kinds: ['scope-added'], scope: n.repo }],
  'repo.destroy': (n) => [n.repo && { kinds: ['scope-removed'], scope: n.repo }],
  'team.create': (n) => [n.team && { kinds: ['group-added'], subject: n.team }],
  'team.destroy': (n) => [n.team && { kinds: ['group-removed'], subject: n.team }],
  'team.rename': (n) => [n.team && { kinds: ['group-changed'], subject: n.team }],
  'team.change_parent_team': (n) => [n.team && { kinds: ['group-parent-changed'], subject: n.team }],
  'team.add_member': (n) => [member(['member-added'], n.user, n.team)],
  'team.remove_member': (n) => [member(['member-removed'], n.user, n.team)],
  'team.promote_maintainer': (n) => [member(['member-role-changed'], n.user, n.team)],
  'team.demote_maintainer': (n) => [member(['member-role-changed'], n.user, n.team)],
  'team.add_repository': (n) => [grant(['grant-added'], n.team, n.repo)],
  'team.remove_repository': (n) => [grant(['grant-removed'], n.team, n.repo)],
  'team.update_repository_permission': (n) => [grant(['grant-changed'], n.team, n.repo)]
}

function grant(kinds: ChangeKind[], subject?: EventRef, scope?: EventRef): EventEffect | undefined {
  return subject && scope ? { kinds, subject, scope } : undefined
}

function member(kinds: ChangeKind[], subject?: EventRef, group?: EventRef): EventEffect | undefined {
  return subject && group ? { kinds, subject, group } : undefined
}

function setting(scope: EventRef | undefined, key: string): EventEffect | undefined {
  return scope && { kinds: ['setting-changed'], scope, setting: key }
}

/** `acme/api` → `api`: the audit log prefixes repositories and teams with the organization. */
function withinOrg(value: string | undefined, org: string | undefined): string | undefined {
  if (!value) return undefined
  const slash = value.indexOf('/')
  if (slash < 0) return value
  return org === undefined || value.slice(0, slash).toLowerCase() === org.toLowerCase()
    ? value.slice(slash + 1)
    : undefined
}

function effectsOf(entry: AuditEntry & { action: string }): EventEffect[] | undefined {
  const repo = withinOrg(entry.repo, entry.org)
  const team = withinOrg(entry.team, entry.org)
  const named: Named = {
    // `user_id` is GitHub's database id, not the node id the snapshot uses: the login is the match.
    user: entry.user ? { type: 'principal', name: entry.user } : undefined,
    team: team ? { type: 'group', slug: team } : undefined,
    repo: repo ? { type: 'repository', name: repo } : undefined,
    org: entry.org ? { type: 'organization', name: entry.org } : undefined
  }
  const effects = (EFFECTS[entry.action]?.(named) ?? []).filter((e): e is EventEffect => e !== undefined)
  return effects.length > 0 ? effects : undefined
}

function toEvent(entry: AuditEntry): AuditEvent | undefined {
  const at = entry['@timestamp'] ?? entry.created_at
  if (!entry._document_id || at === undefined || !entry.action) return undefined
  const target = entry.user
    ? { type: 'user', id: entry.user_id === undefined ? undefined : String(entry.user_id), name: entry.user }
    : entry.team
      ? { type: 'team', name: entry.team }
      : entry.repo
        ? { type: 'repository', name: entry.repo }
        : undefined
  const details: Record<string, string> = {}
  if (entry.team && target?.type !== 'team') details.team = entry.team
  if (entry.repo && target?.type !== 'repository') details.repository = entry.repo
  if (entry.permission) details.permission = entry.permission
  // An organization-level change (`org.update_member`) names no team or repository: the organization is
  // its scope, and without it the report cannot say who made someone an owner.
  if (entry.action.startsWith('org.') && entry.org) details.organization = entry.org
  const effects = effectsOf({ ...entry, action: entry.action })
  return {
    id: entry._document_id,
    time: new Date(at).toISOString(),
    actor: entry.actor
      ? { id: entry.actor_id === undefined ? undefined : String(entry.actor_id), name: entry.actor }
      : undefined,
    action: entry.action,
    category: entry.action.split('.')[0],
    target,
    ...(Object.keys(details).length ? { details } : {}),
    ...(effects ? { effects } : {})
  }
}
