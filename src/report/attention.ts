import { compareStrings } from '../diff/canonical.js'
import { DEFAULT_MASS_REMOVAL, describePolicy, describeRemovals, massRemovals } from '../diff/mass-removal.js'
import type { GrantChanged } from '../diff/types.js'
import { subjectKey } from '../model/keys.js'
import type { Grant, SourceRef } from '../model/types.js'
import { listText, RuleContext, sentence, SERVICE_KINDS, sortedText, type Draft } from './attention-context.js'
import { membershipAttention } from './attention-membership.js'
import { scopeSettingAttention } from './attention-scopes.js'
import { EventIndex, type Attribution } from './attribution.js'
import { plainText } from './markdown-escape.js'
import type { Report, SourceOutcome } from './types.js'

export type Severity = 'critical' | 'high' | 'medium'
export type AttentionRule =
  'failed' | 'mass-removal' | 'new-admin' | 'setting' | 'escalation' | 'external' | 'service-account'

/** One change a reviewer should look at before merging; `message` is sanitized plain text. */
export interface AttentionItem {
  severity: Severity
  rule: AttentionRule
  source: SourceRef
  message: string
  /** The audit event that made the change, when one tells it without guessing. */
  by?: Attribution
}

const SEVERITY_ORDER: Severity[] = ['critical', 'high', 'medium']
const RULE_ORDER: AttentionRule[] = [
  'failed',
  'mass-removal',
  'new-admin',
  'setting',
  'escalation',
  'external',
  'service-account'
]

/**
 * Needs attention, most dangerous first: failed sources (their snapshot was
 * not updated), mass removals, new owners and admins (granted, or reached
 * through a group joined or moved), settings that widen access for everyone
 * in a scope, escalations, new outside collaborators, service accounts
 * gaining access. A baseline raises no per-item alarms: everything in it is
 * new only to us.
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
    const context = new RuleContext(changes, before, outcome.after)
    // Item by item: a run can change more grants than a spread into push() can put on the call stack.
    for (const draft of [...grantAttention(context), ...scopeSettingAttention(context)]) drafts.push(draft)
  }
  let events: EventIndex | undefined
  return drafts.map(({ about, ...item }) => {
    events ??= new EventIndex(outcome.events)
    const by = about && events.find(about)
    return { ...item, source: outcome.source, ...(by ? { by } : {}) }
  })
}

/** Grants added or changed, roles gaining power, and (through `membershipAttention`) what groups confer. */
function grantAttention(context: RuleContext): Draft[] {
  const { changes, names, after } = context
  const drafts: Draft[] = []
  const principalOf = (grant: Grant) =>
    grant.subject.type === 'principal' ? names.principal(grant.subject.id) : undefined

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
    const p = principalOf(grant)
    const priv = context.privilege(grant.role)
    const subject = names.subject(grant.subject)
    const about = context.grantChange(['grant-added'], grant)
    const granted = `${subject} granted ${context.roleText(grant.role)} ${context.on(grant)}`
    if (priv === 'admin' || priv === 'owner') {
      drafts.push({
        severity: priv === 'owner' ? 'critical' : 'high',
        rule: 'new-admin',
        message: `${granted}${reach(grant)}`,
        about
      })
    } else if (p && newExternal.has(p.id)) {
      newExternal.get(p.id)!.push(`${context.roleText(grant.role)} ${context.on(grant)}`)
    } else if (p?.external) {
      drafts.push({ severity: 'medium', rule: 'external', message: granted, about })
    } else if (p && SERVICE_KINDS.has(p.kind)) {
      drafts.push({ severity: 'medium', rule: 'service-account', message: `${granted}${reach(grant)}`, about })
    }
  }
  for (const [id, grants] of newExternal) {
    const p = names.principal(id)!
    const what = grants.length > 0 ? ` with ${listText(sortedText(grants), 3)}` : ''
    drafts.push({
      severity: 'medium',
      rule: 'external',
      message: `new outside collaborator ${plainText(p.name)}${what}`,
      about: { kinds: ['principal-added', 'grant-added'], subject: context.principalEntity(id) }
    })
  }

  for (const change of changes.grants.changed) drafts.push(...grantChangeAttention(change))
  function grantChangeAttention(change: GrantChanged): Draft[] {
    const grant = change.after
    const subject = names.subject(grant.subject)
    const about = context.grantChange(['grant-changed'], grant)
    const found: Draft[] = []
    if (change.role) {
      const from = context.privilege(change.role.before)
      const to = context.privilege(change.role.after)
      const moved = `${subject} changed from ${context.roleText(change.role.before)} to ${context.roleText(change.role.after)} ${context.on(grant)}`
      if ((to === 'admin' || to === 'owner') && context.rank(to) > context.rank(from)) {
        found.push({ severity: to === 'owner' ? 'critical' : 'high', rule: 'new-admin', message: moved, about })
      } else if (from && to && context.rank(to) > context.rank(from)) {
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
        message: `${subject}'s ${context.roleText(grant.role)} ${context.on(grant)}: ${how}`,
        about
      })
    }
    return found
  }

  const grantsByRole = new Map<string, number>()
  for (const grant of after?.grants ?? []) grantsByRole.set(grant.role, (grantsByRole.get(grant.role) ?? 0) + 1)
  for (const change of changes.roles.changed) {
    const granted = grantsByRole.get(change.after.id) ?? 0
    if (granted === 0) continue
    const raised =
      change.privilege?.before &&
      change.privilege.after &&
      context.rank(change.privilege.after) > context.rank(change.privilege.before)
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
      about: { kinds: ['role-changed'], subject: context.roleEntity(change.after.id) }
    })
  }

  for (const draft of membershipAttention(context, new Set(newExternal.keys()))) drafts.push(draft)
  return drafts
}
