/**
 * The organization audit log (GitHub Enterprise Cloud only) as events for the
 * window since the last run: who added whom to which team, who changed a
 * repository grant. Below Enterprise Cloud the endpoint answers 404 and the
 * source notes it; the snapshot diff stays the source of truth.
 */
import type { GitHubClient } from '../../github/octokit.js'
import type { AuditEvent } from '../../model/types.js'

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
  return {
    id: entry._document_id,
    time: new Date(at).toISOString(),
    actor: entry.actor
      ? { id: entry.actor_id === undefined ? undefined : String(entry.actor_id), name: entry.actor }
      : undefined,
    action: entry.action,
    category: entry.action.split('.')[0],
    target,
    ...(Object.keys(details).length ? { details } : {})
  }
}
