/**
 * Scope settings that widen access for a whole population at once
 * (`SCOPE_SETTINGS`): members' base privilege raised, members allowed to
 * create scopes, a scope made public or internal, a group made a manager. A
 * setting absent on the older side is unknown (a source that did not read it
 * yet), never a raise; a new scope's settings are not a change.
 */
import { AccessGraph } from '../model/effective.js'
import { idList, SCOPE_SETTINGS, VISIBILITY_RANK } from '../model/settings.js'
import { PRIVILEGE_RANK, type Privilege } from '../model/types.js'
import type { Severity } from './attention.js'
import type { Draft, RuleContext } from './attention-context.js'
import { plainText } from './markdown-escape.js'

const SEVERITY_BY_PRIVILEGE: Record<Privilege, Severity> = {
  owner: 'critical',
  admin: 'critical',
  write: 'high',
  read: 'medium'
}

export function scopeSettingAttention(context: RuleContext): Draft[] {
  const { changes, names, after } = context
  const drafts: Draft[] = []
  let graph: AccessGraph | undefined
  for (const change of changes.scopes.changed) {
    const id = change.after.id
    const scope = names.scope(id)
    const about = (setting: string) => ({
      kinds: ['setting-changed' as const],
      scope: context.scopeEntity(id),
      setting
    })
    for (const { key, before, after: value } of change.attributes) {
      if (before === undefined || value === undefined) continue
      if (key === SCOPE_SETTINGS.membersPrivilege) {
        const to = privilegeOf(value)
        if (!to || rankOf(value) <= rankOf(before)) continue
        drafts.push({
          severity: SEVERITY_BY_PRIVILEGE[to],
          rule: 'setting',
          message: `${scope} raised the privilege every member holds on everything under it from ${plainText(before, 20)} to ${to}: ${membersOf(context, id)} now ${to === 'admin' || to === 'owner' ? 'administers' : `holds ${to} on`} ${childrenOf(context, id)}`,
          about: about(key)
        })
      } else if (key === SCOPE_SETTINGS.membersCanCreate && before === 'false' && value === 'true') {
        drafts.push({
          severity: 'medium',
          rule: 'setting',
          message: `${scope} now lets ${membersOf(context, id)} create ${childNoun(context, id)} under it, and administer what they create`,
          about: about(key)
        })
      } else if (key === SCOPE_SETTINGS.visibility && (VISIBILITY_RANK[value] ?? 0) > (VISIBILITY_RANK[before] ?? 0)) {
        drafts.push({
          severity: value === 'public' ? 'high' : 'medium',
          rule: 'setting',
          message:
            value === 'public'
              ? `${scope} made public (was ${plainText(before, 20)}): anyone can read it`
              : `${scope} made ${plainText(value, 20)} (was ${plainText(before, 20)}): every member of the organization or enterprise can read it`,
          about: about(key)
        })
      } else if (key === SCOPE_SETTINGS.managerGroups) {
        const previous = new Set(idList(before))
        for (const group of idList(value).filter((g) => !previous.has(g))) {
          graph ??= new AccessGraph(after!)
          const members = graph.effectiveMembers(group).length
          drafts.push({
            severity: 'high',
            rule: 'setting',
            message: `group ${names.groupName(group)} (${members} member${members === 1 ? '' : 's'}) made a manager of ${scope}`,
            about: about(key)
          })
        }
      }
    }
  }
  return drafts
}

function privilegeOf(value: string): Privilege | undefined {
  return value in PRIVILEGE_RANK ? (value as Privilege) : undefined
}

/** `none` and unknown values rank below every tier. */
function rankOf(value: string): number {
  const privilege = privilegeOf(value)
  return privilege ? PRIVILEGE_RANK[privilege] : 0
}

/** `every member (45)`: the principals holding a grant at the scope, invitations left out. */
function membersOf(context: RuleContext, scopeId: string): string {
  const members = new Set<string>()
  for (const grant of context.after?.grants ?? []) {
    if (grant.scope !== scopeId || grant.subject.type !== 'principal') continue
    if (!context.names.principal(grant.subject.id)?.pending) members.add(grant.subject.id)
  }
  return `every member (${members.size})`
}

/** `each of its 12 repositories`, `each of its 3 folders and 1 space`, or `every scope created under it`. */
function childrenOf(context: RuleContext, scopeId: string): string {
  const counts = childCounts(context, scopeId)
  if (counts.length === 0) return 'every scope created under it'
  const total = counts.reduce((sum, [, n]) => sum + n, 0)
  const parts = counts.map(([type, n]) => `${n} ${plural(type, n)}`)
  return `${total === 1 ? 'its' : 'each of its'} ${parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]}`
}

/** The plural noun of the scopes under it (`repositories`), the most common type first. */
function childNoun(context: RuleContext, scopeId: string): string {
  const [first] = childCounts(context, scopeId)
  return first ? plural(first[0], 2) : 'scopes'
}

function childCounts(context: RuleContext, scopeId: string): [string, number][] {
  const counts = new Map<string, number>()
  for (const scope of context.after?.scopes ?? []) {
    if (scope.parent === scopeId) counts.set(scope.type, (counts.get(scope.type) ?? 0) + 1)
  }
  return [...counts]
    .map(([type, n]) => [plainText(type, 40), n] as [string, number])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
}

function plural(noun: string, n: number): string {
  if (n === 1) return noun
  if (/[^aeiou]y$/.test(noun)) return `${noun.slice(0, -1)}ies`
  return /(s|x|ch|sh)$/.test(noun) ? `${noun}es` : `${noun}s`
}
