/**
 * Access that arrives through membership: a principal (or a nested group)
 * joining a group, a group moved under a new parent, a member promoted
 * inside a group. What a membership reaches is derived (`AccessGraph`): the
 * group's own grants, its ancestors' and the groups it belongs to, and the
 * scopes it manages. Only what the member could not reach before counts, and
 * only from the write tier up; below that, outside collaborators and service
 * accounts joining a group still get a line.
 */
import { compareStrings } from '../diff/canonical.js'
import { grantKey } from '../model/keys.js'
import { AccessGraph, type ManagedScope, type Reach } from '../model/effective.js'
import { emptySnapshot, PRIVILEGE_RANK, type Grant, type Privilege } from '../model/types.js'
import type { AttentionRule, Severity } from './attention.js'
import { listText, SERVICE_KINDS, sortedText, type Draft, type RuleContext } from './attention-context.js'
import { plainText } from './markdown-escape.js'

// Membership roles that let a member manage the group (GitHub team maintainer, Octopus/UiPath managers).
const ELEVATED_MEMBER_ROLES = new Set(['maintainer', 'manager', 'admin', 'owner'])
const MAX_PARTS = 4

export function membershipAttention(context: RuleContext, newExternal: Set<string>): Draft[] {
  const { changes, names, after } = context
  if (!after) return []
  const previous = new AccessGraph(context.before ?? emptySnapshot(after.source))
  const current = new AccessGraph(after)
  const drafts: Draft[] = []

  const joins = [
    ...changes.groups.added.map((group) => ({ group: group.id, members: group.members })),
    ...changes.groups.changed.map((change) => ({ group: change.after.id, members: change.membersAdded }))
  ]
  for (const { group, members } of joins) {
    const reach = current.groupReach(group)
    const managed = current.groupManages(group)
    for (const member of members) {
      const entity = context.memberEntity(member.id)
      const isGroup = entity.type === 'group'
      const had = isGroup
        ? access(previous.groupReach(member.id), previous.groupManages(member.id))
        : access(previous.principalReach(member.id), previous.principalManages(member.id))
      const gained = newAccess(context, reach, managed, had)
      const about = { kinds: ['member-added' as const], subject: entity, group: context.groupEntity(group) }
      const joined = `${names.member(member.id)} joined ${names.groupName(group)}`
      const p = names.principal(member.id)
      if (gained) {
        const who = isGroup
          ? `${names.member(member.id)} (${count(current.effectiveMembers(member.id).length, 'member')})`
          : names.member(member.id)
        // Below admin, the line sorts with what the member is: a service account, an outside collaborator.
        const rule: AttentionRule =
          gained.rank.rule !== 'escalation'
            ? gained.rank.rule
            : p && SERVICE_KINDS.has(p.kind)
              ? 'service-account'
              : p?.external
                ? 'external'
                : 'escalation'
        drafts.push({
          severity: gained.rank.severity,
          rule,
          message: `${who} joined ${names.groupName(group)}: ${gained.text(group)}`,
          about
        })
        continue
      }
      if (p?.external && !newExternal.has(p.id))
        drafts.push({ severity: 'medium', rule: 'external', message: joined, about })
      else if (p && SERVICE_KINDS.has(p.kind))
        drafts.push({ severity: 'medium', rule: 'service-account', message: joined, about })
    }
  }

  for (const change of changes.groups.changed) {
    const id = change.after.id
    const parent = change.parent?.after
    if (parent !== undefined) {
      const gained = newAccess(
        context,
        current.groupReach(id),
        current.groupManages(id),
        access(previous.groupReach(id), previous.groupManages(id))
      )
      if (gained) {
        drafts.push({
          ...gained.rank,
          message: `group ${names.groupName(id)} (${count(current.effectiveMembers(id).length, 'member')}) moved under ${names.groupName(parent)}: ${gained.text(id)}`,
          about: { kinds: ['group-parent-changed'], subject: context.groupEntity(id) }
        })
      }
    }
    for (const m of change.memberRoles) {
      if (!ELEVATED_MEMBER_ROLES.has(m.after) || ELEVATED_MEMBER_ROLES.has(m.before)) continue
      drafts.push({
        severity: 'medium',
        rule: 'escalation',
        message: `${names.member(m.id)} promoted from ${plainText(m.before)} to ${plainText(m.after)} in group ${names.groupName(id)}`,
        about: { kinds: ['member-role-changed'], subject: context.memberEntity(m.id), group: context.groupEntity(id) }
      })
    }
  }
  return drafts
}

interface Access {
  grants: Set<string>
  scopes: Set<string>
}

function access(reach: Reach[], managed: ManagedScope[]): Access {
  return { grants: new Set(reach.map((r) => grantKey(r.grant))), scopes: new Set(managed.map((m) => m.scope)) }
}

/**
 * What `reach` and `managed` add to `had`, from the write tier up, ranked by
 * the strongest of it, with a text naming it: `Deployment creator on space
 * Production (environments: Staging); admin on repository api through group
 * Engineering`. Undefined when nothing is gained.
 */
function newAccess(
  context: RuleContext,
  reach: Reach[],
  managed: ManagedScope[],
  had: Access
): { rank: { severity: Severity; rule: AttentionRule }; text: (start: string) => string } | undefined {
  const { names } = context
  const grants = reach.filter(
    (r) => !had.grants.has(grantKey(r.grant)) && context.rank(context.privilege(r.grant.role)) >= PRIVILEGE_RANK.write
  )
  const scopes = managed.filter((m) => !had.scopes.has(m.scope))
  if (grants.length === 0 && scopes.length === 0) return undefined
  let strongest: Privilege = scopes.length > 0 ? 'admin' : 'write'
  for (const { grant } of grants) {
    const p = context.privilege(grant.role)!
    if (PRIVILEGE_RANK[p] > PRIVILEGE_RANK[strongest]) strongest = p
  }
  const rank =
    strongest === 'owner'
      ? { severity: 'critical' as const, rule: 'new-admin' as const }
      : strongest === 'admin'
        ? { severity: 'high' as const, rule: 'new-admin' as const }
        : { severity: 'medium' as const, rule: 'escalation' as const }
  const text = (start: string) => {
    interface Part {
      rank: number
      label: string
      holder: string
      /** Scope (and the path it is inherited by) → what the grants there reach together. */
      scopes: Map<string, { label: string; restrictions?: Restrictions }>
    }
    const parts = new Map<string, Part>()
    const part = (key: string, rank: number, label: string, holder: string) => {
      if (!parts.has(key)) parts.set(key, { rank, label, holder, scopes: new Map() })
      return parts.get(key)!
    }
    for (const { grant, path } of grants) {
      const holder = path.at(-1)!
      const via = grant.via ? ` via ${names.via(grant.via)}` : ''
      const { scopes } = part(
        `${grant.role}\u0000${holder}`,
        context.rank(context.privilege(grant.role)),
        context.roleText(grant.role),
        holder
      )
      const at = `${grant.scope}\u0000${grant.via ?? ''}`
      const seen = scopes.get(at)
      if (seen) seen.restrictions = widen(seen.restrictions, grant.restrictions)
      else scopes.set(at, { label: `${names.scope(grant.scope)}${via}`, restrictions: grant.restrictions })
    }
    for (const { scope, path } of scopes) {
      part(`\u0000manager\u0000${path.at(-1)!}`, PRIVILEGE_RANK.admin, 'manager', path.at(-1)!).scopes.set(scope, {
        label: names.scope(scope)
      })
    }
    const texts = [...parts.values()]
      .sort((a, b) => b.rank - a.rank || compareStrings(a.label, b.label))
      .map((p) => {
        const where = [...p.scopes.values()].map((s) => `${s.label}${context.restrictionText(s.restrictions)}`)
        const through = p.holder === start ? '' : ` through group ${names.groupName(p.holder)}`
        return `${p.label} ${p.label === 'manager' ? 'of' : 'on'} ${listText(sortedText(where), 5)}${through}`
      })
    return texts.length > MAX_PARTS
      ? `${texts.slice(0, MAX_PARTS).join('; ')}; and ${texts.length - MAX_PARTS} more`
      : texts.join('; ')
  }
  return { rank, text }
}

type Restrictions = Grant['restrictions']

/**
 * What two grants of one role at one scope reach together: a dimension
 * either leaves open (absent) stays open, otherwise the values add up. An
 * over-approximation of the combinations, never an under-statement.
 */
function widen(a: Restrictions, b: Restrictions): Restrictions {
  if (!a || !b) return undefined
  const merged = Object.entries(a)
    .filter(([dimension]) => b[dimension])
    .map(([dimension, values]) => [dimension, [...new Set([...values, ...b[dimension]!])].sort()] as const)
  return merged.length > 0 ? Object.fromEntries(merged) : undefined
}

function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`
}
