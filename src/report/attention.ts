import { compareStrings } from '../diff/canonical.js'
import { DEFAULT_MASS_REMOVAL, describePolicy, describeRemovals, massRemovals } from '../diff/mass-removal.js'
import { subjectKey } from '../model/keys.js'
import type { GrantChanged, SnapshotChanges } from '../diff/types.js'
import {
  PRIVILEGE_RANK,
  type Grant,
  type Privilege,
  type Snapshot,
  type SourceRef,
  type Subject
} from '../model/types.js'
import { EventIndex, type Attribution } from './attribution.js'
import { plainText } from './markdown-escape.js'
import { Names } from './names.js'
import type { Report, SourceOutcome } from './types.js'

export type Severity = 'critical' | 'high' | 'medium'
export type AttentionRule = 'failed' | 'mass-removal' | 'new-admin' | 'escalation' | 'external' | 'service-account'

/** One change a reviewer should look at before merging; `message` is sanitized plain text. */
export interface AttentionItem {
  severity: Severity
  rule: AttentionRule
  source: SourceRef
  message: string
  /** The audit event that mentions the change, when one does. */
  by?: Attribution
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium']
const RULE_ORDER: AttentionRule[] = ['failed', 'mass-removal', 'new-admin', 'escalation', 'external', 'service-account']
const SERVICE_KINDS = new Set(['service-account', 'bot', 'app'])
// Membership roles that let a member manage the group (GitHub team maintainer, Octopus/UiPath managers).
const ELEVATED_MEMBER_ROLES = new Set(['maintainer', 'manager', 'admin', 'owner'])

/**
 * Needs attention, most dangerous first: failed sources (their snapshot was not
 * updated), mass removals, new owners and admins, escalations, new outside
 * collaborators, service accounts gaining access. A baseline raises no
 * per-item alarms: everything in it is new only to us.
 */
export function needsAttention(report: Report): AttentionItem[] {
  const items = report.outcomes.flatMap((outcome) => outcomeAttention(outcome, report.massRemovalThreshold))
  return items.sort(
    (a, b) =>
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      RULE_ORDER.indexOf(a.rule) - RULE_ORDER.indexOf(b.rule) ||
      compareStrings(sourceKey(a.source), sourceKey(b.source)) ||
      compareStrings(a.message, b.message)
  )
}

export function sourceKey(source: SourceRef): string {
  return `${source.type}/${source.name}`
}

/** What an item is about, for attribution: ids and names of the subject and of the scope. */
interface Mention {
  subject: string[]
  scope?: string[]
}

type Draft = Omit<AttentionItem, 'source' | 'by'> & { about?: Mention }

function outcomeAttention(outcome: SourceOutcome, threshold: number): AttentionItem[] {
  const drafts: Draft[] = []
  if (outcome.status === 'failed') {
    drafts.push({
      severity: 'critical',
      rule: 'failed',
      message: `${sentence(outcome.error ?? 'failed')}${outcome.hint ? ` ${sentence(outcome.hint)}` : ''} The snapshot of this source was not updated.`
    })
  }
  const { changes, before } = outcome
  if (outcome.status === 'held') {
    drafts.push({
      severity: 'critical',
      rule: 'mass-removal',
      message: `Held back, not written: ${sentence(outcome.error ?? 'too much would be removed')}${outcome.hint ? ` ${sentence(outcome.hint)}` : ''}`
    })
  } else if (changes) {
    // Over the guard yet written: mass removal was allowed for this run.
    const policy = outcome.massRemoval ?? { ...DEFAULT_MASS_REMOVAL, threshold }
    const removals = massRemovals(before, changes, policy)
    if (removals.length > 0) {
      drafts.push({
        severity: 'high',
        rule: 'mass-removal',
        message: `${describeRemovals(removals)} removed, more than ${describePolicy(policy)}. Check the source's credentials can still see everything.`
      })
    }
  }
  if (changes && !outcome.baseline && outcome.status !== 'failed') {
    drafts.push(...changeAttention(changes, before, outcome.after))
  }
  let events: EventIndex | undefined
  return drafts.map(({ about, ...item }) => {
    events ??= new EventIndex(outcome.events)
    const by = about && events.find(about.subject, about.scope)
    return { ...item, source: outcome.source, ...(by ? { by } : {}) }
  })
}

function changeAttention(changes: SnapshotChanges, before: Snapshot | undefined, after: Snapshot | undefined): Draft[] {
  const names = new Names(before, after)
  const drafts: Draft[] = []
  const privilege = (role: string) => names.role(role)?.privilege
  const rank = (p: Privilege | undefined) => (p ? PRIVILEGE_RANK[p] : 0)
  const principalOf = (subject: Subject) => (subject.type === 'principal' ? names.principal(subject.id) : undefined)
  const roleText = (role: string) => {
    const p = privilege(role)
    const name = names.roleName(role)
    return p && p !== name.toLowerCase() ? `${name} (${p})` : name
  }
  const on = (grant: Grant) => `on ${names.scope(grant.scope)}${grant.via ? ` via ${names.via(grant.via)}` : ''}`
  const grantMention = (grant: Grant): Mention => ({
    subject: subjectKeys(grant.subject, names),
    scope: scopeKeys(grant.scope, names)
  })

  // New outside collaborators: one item each, listing what they were granted.
  const newExternal = new Map<string, string[]>()
  for (const p of changes.principals.added) if (p.external) newExternal.set(p.id, [])

  // An inherited grant follows from a direct one (a UiPath folder role reaching every subfolder): one
  // item for the direct grant, saying how far it reaches, instead of one alarm per inherited scope.
  const reachKey = (grant: Grant) => `${subjectKey(grant.subject)}\u0000${grant.role}`
  const direct = new Set(changes.grants.added.filter((g) => !g.via).map(reachKey))
  const inherited = new Map<string, number>()
  const added = changes.grants.added.filter((grant) => {
    if (!grant.via || !direct.has(reachKey(grant))) return true
    inherited.set(reachKey(grant), (inherited.get(reachKey(grant)) ?? 0) + 1)
    return false
  })
  const reach = (grant: Grant) => {
    const count = grant.via ? 0 : (inherited.get(reachKey(grant)) ?? 0)
    return count > 0 ? ` (and ${count} ${count === 1 ? 'scope' : 'scopes'} inheriting it)` : ''
  }

  for (const grant of added) {
    const p = principalOf(grant.subject)
    const priv = privilege(grant.role)
    const subject = names.subject(grant.subject)
    const about = grantMention(grant)
    if (priv === 'admin' || priv === 'owner') {
      drafts.push({
        severity: priv === 'owner' ? 'critical' : 'high',
        rule: 'new-admin',
        message: `${subject} granted ${roleText(grant.role)} ${on(grant)}${reach(grant)}`,
        about
      })
    } else if (p && newExternal.has(p.id)) {
      newExternal.get(p.id)!.push(`${roleText(grant.role)} ${on(grant)}`)
    } else if (p?.external) {
      drafts.push({
        severity: 'medium',
        rule: 'external',
        message: `${subject} granted ${roleText(grant.role)} ${on(grant)}`,
        about
      })
    } else if (p && SERVICE_KINDS.has(p.kind)) {
      drafts.push({
        severity: 'medium',
        rule: 'service-account',
        message: `${subject} granted ${roleText(grant.role)} ${on(grant)}${reach(grant)}`,
        about
      })
    }
  }
  for (const [id, grants] of newExternal) {
    const p = names.principal(id)!
    const what = grants.length > 0 ? ` with ${listText(grants.sort(compareStrings), 3)}` : ''
    drafts.push({
      severity: 'medium',
      rule: 'external',
      message: `new outside collaborator ${plainText(p.name)}${what}`,
      about: { subject: subjectKeys({ type: 'principal', id }, names) }
    })
  }

  for (const change of changes.grants.changed) drafts.push(...grantChangeAttention(change))
  function grantChangeAttention(change: GrantChanged): Draft[] {
    const grant = change.after
    const subject = names.subject(grant.subject)
    const about = grantMention(grant)
    const found: Draft[] = []
    if (change.role) {
      const from = privilege(change.role.before)
      const to = privilege(change.role.after)
      const moved = `${subject} changed from ${roleText(change.role.before)} to ${roleText(change.role.after)} ${on(grant)}`
      if ((to === 'admin' || to === 'owner') && rank(to) > rank(from)) {
        found.push({ severity: to === 'owner' ? 'critical' : 'high', rule: 'new-admin', message: moved, about })
      } else if (from && to && rank(to) > rank(from)) {
        found.push({ severity: 'high', rule: 'escalation', message: moved, about })
      }
    }
    const widened = change.restrictions.filter(
      (r) => r.before !== undefined && (r.after === undefined || r.added.length > 0)
    )
    if (found.length === 0 && widened.length > 0) {
      const how = widened
        .map((r) =>
          r.after === undefined
            ? `no longer restricted by ${plainText(r.dimension)}`
            : `${plainText(r.dimension)} widened to add ${listText(
                r.added.map((v) => plainText(v)),
                5
              )}`
        )
        .join('; ')
      found.push({
        severity: 'medium',
        rule: 'escalation',
        message: `${subject}'s ${roleText(grant.role)} ${on(grant)}: ${how}`,
        about
      })
    }
    return found
  }

  const grantsByRole = new Map<string, number>()
  const groupGrants = new Map<string, Grant[]>()
  for (const grant of after?.grants ?? []) {
    grantsByRole.set(grant.role, (grantsByRole.get(grant.role) ?? 0) + 1)
    if (grant.subject.type === 'group') {
      const list = groupGrants.get(grant.subject.id)
      if (list) list.push(grant)
      else groupGrants.set(grant.subject.id, [grant])
    }
  }

  for (const change of changes.roles.changed) {
    const granted = grantsByRole.get(change.after.id) ?? 0
    if (granted === 0) continue
    const raised =
      change.privilege?.before && change.privilege.after && rank(change.privilege.after) > rank(change.privilege.before)
    if (change.permissionsAdded.length === 0 && !raised) continue
    const what = [
      ...(raised ? [`raised from ${change.privilege!.before} to ${change.privilege!.after}`] : []),
      ...(change.permissionsAdded.length > 0
        ? [
            `gained ${listText(
              change.permissionsAdded.map((p) => plainText(p)),
              5
            )}`
          ]
        : [])
    ].join(' and ')
    drafts.push({
      severity: 'high',
      rule: 'escalation',
      message: `role ${names.roleName(change.after.id)} ${what} (granted ${granted} time${granted === 1 ? '' : 's'})`,
      about: { subject: [change.after.id, change.after.name] }
    })
  }

  for (const change of changes.groups.changed) {
    const group = names.groupName(change.after.id)
    const scope = [change.after.id, change.after.name]
    for (const m of change.memberRoles) {
      if (!ELEVATED_MEMBER_ROLES.has(m.after) || ELEVATED_MEMBER_ROLES.has(m.before)) continue
      drafts.push({
        severity: 'medium',
        rule: 'escalation',
        message: `${names.member(m.id)} promoted from ${plainText(m.before)} to ${plainText(m.after)} in group ${group}`,
        about: { subject: memberKeys(m.id, names), scope }
      })
    }
    const strongest = strongestGrant(groupGrants.get(change.after.id) ?? [], privilege)
    for (const m of change.membersAdded) {
      const p = names.principal(m.id)
      const about = { subject: memberKeys(m.id, names), scope }
      const added = `${names.member(m.id)} added to group ${group}`
      const priv = strongest && privilege(strongest.grant.role)
      if (strongest && (priv === 'admin' || priv === 'owner')) {
        const more =
          strongest.count > 1 ? ` and ${strongest.count - 1} more grant${strongest.count === 2 ? '' : 's'}` : ''
        drafts.push({
          severity: priv === 'owner' ? 'critical' : 'high',
          rule: 'new-admin',
          message: `${added}, which holds ${roleText(strongest.grant.role)} ${on(strongest.grant)}${more}`,
          about
        })
      } else if (p?.external && !newExternal.has(p.id)) {
        drafts.push({ severity: 'medium', rule: 'external', message: added, about })
      } else if (p && SERVICE_KINDS.has(p.kind)) {
        drafts.push({ severity: 'medium', rule: 'service-account', message: added, about })
      }
    }
  }
  return drafts
}

/** The group's grant with the highest privilege (ties: the first by scope), and how many grants it holds. */
function strongestGrant(
  grants: Grant[],
  privilege: (role: string) => Privilege | undefined
): { grant: Grant; count: number } | undefined {
  let best: Grant | undefined
  const rankOf = (g: Grant) => {
    const p = privilege(g.role)
    return p ? PRIVILEGE_RANK[p] : 0
  }
  for (const g of grants) {
    if (!best || rankOf(g) > rankOf(best) || (rankOf(g) === rankOf(best) && compareStrings(g.scope, best.scope) < 0))
      best = g
  }
  return best && { grant: best, count: grants.length }
}

function subjectKeys(subject: Subject, names: Names): string[] {
  if (subject.type === 'group') return [subject.id, names.group(subject.id)?.name ?? subject.id]
  const p = names.principal(subject.id)
  return [subject.id, ...(p ? [p.name, ...(p.displayName ? [p.displayName] : [])] : [])]
}

function memberKeys(id: string, names: Names): string[] {
  return subjectKeys({ type: names.group(id) && !names.principal(id) ? 'group' : 'principal', id }, names)
}

function scopeKeys(id: string, names: Names): string[] {
  const scope = names.scopeEntity(id)
  return [id, ...(scope ? [scope.name] : [])]
}

/** A system's message as one sanitized sentence, so the next one does not run into it. */
function sentence(value: string): string {
  const line = plainText(value, 600)
  return /[.!?…]$/.test(line) ? line : `${line}.`
}

function listText(items: string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ')
}
