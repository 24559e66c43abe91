import { ENTITY_KINDS, type EntityKind, type SnapshotChanges } from '../diff/types.js'
import { needsAttention, type AttentionItem } from './attention.js'
import { counted } from '../util/plural.js'
import { plainText } from './markdown-escape.js'
import type { Report, SourceOutcome } from './types.js'

export interface KindCounts {
  added: number
  removed: number
  changed: number
}

/** Change counts per entity kind, plus group membership changes (the most common daily change). */
export type ChangeCounts = Record<EntityKind, KindCounts> & { members: number }

const NOUNS: Record<EntityKind | 'members', string> = {
  grants: 'grant',
  principals: 'principal',
  groups: 'group',
  roles: 'role',
  scopes: 'scope',
  members: 'member'
}

export function countChanges(changes: SnapshotChanges): ChangeCounts {
  let members = 0
  let groupsChanged = 0
  for (const c of changes.groups.changed) {
    const memberships = c.membersAdded.length + c.membersRemoved.length + c.memberRoles.length
    members += memberships
    // A group whose only change is its membership is counted as member changes.
    if (c.fields.some((f) => f !== 'members')) groupsChanged++
  }
  const counts = Object.fromEntries(
    ENTITY_KINDS.map((kind) => {
      const c = changes[kind]
      return [
        kind,
        {
          added: c.added.length,
          removed: c.removed.length,
          changed: kind === 'groups' ? groupsChanged : c.changed.length
        }
      ]
    })
  ) as Record<EntityKind, KindCounts>
  return { ...counts, members }
}

function plural(n: number, kind: EntityKind | 'members'): string {
  return counted(n, NOUNS[kind])
}

/**
 * One line per source: `3 grants added, 1 removed, 2 members changed`,
 * `failed: …`, `baseline: 120 principals, 40 groups, …` or `no changes`.
 * Plain text; system strings (the error) are sanitized.
 */
export function summaryLine(outcome: SourceOutcome): string {
  if (outcome.status === 'failed') return `failed: ${plainText(outcome.error ?? 'unknown error', 300)}`
  if (outcome.status === 'held') return `held, not written: ${plainText(outcome.error ?? 'mass removal', 300)}`
  if (outcome.baseline && outcome.after) {
    const a = outcome.after
    return `baseline: ${[
      plural(a.principals.length, 'principals'),
      plural(a.groups.length, 'groups'),
      plural(a.roles.length, 'roles'),
      plural(a.scopes.length, 'scopes'),
      plural(a.grants.length, 'grants')
    ].join(', ')}`
  }
  if (!outcome.changes) return 'no changes'
  const counts = countChanges(outcome.changes)
  const phrases: string[] = []
  for (const kind of ['grants', 'principals', 'groups', 'roles', 'scopes'] as const) {
    const parts = (['added', 'removed', 'changed'] as const).filter((verb) => counts[kind][verb] > 0)
    parts.forEach((verb, i) => {
      const n = counts[kind][verb]
      phrases.push(i === 0 ? `${plural(n, kind)} ${verb}` : `${n} ${verb}`)
    })
    if (kind === 'grants' && counts.members > 0) phrases.push(`${plural(counts.members, 'members')} changed`)
  }
  return phrases.length > 0 ? phrases.join(', ') : 'no changes'
}

export interface Summary {
  sources: number
  changed: number
  baseline: number
  failed: number
  held: number
  added: number
  removed: number
  modified: number
  attention: Record<'total' | AttentionItem['severity'], number>
}

/** Small counts object for automation (the action's `summary` output). */
export function summarize(report: Report, attention: AttentionItem[] = needsAttention(report)): Summary {
  const summary: Summary = {
    sources: report.outcomes.length,
    changed: 0,
    baseline: 0,
    failed: 0,
    held: 0,
    added: 0,
    removed: 0,
    modified: 0,
    attention: { total: attention.length, critical: 0, high: 0, medium: 0 }
  }
  for (const item of attention) summary.attention[item.severity]++
  for (const outcome of report.outcomes) {
    if (outcome.status === 'failed') summary.failed++
    if (outcome.status === 'held') summary.held++
    if (outcome.baseline && outcome.status !== 'failed') summary.baseline++
    if (!outcome.changes || outcome.baseline || outcome.status === 'failed') continue
    const counts = countChanges(outcome.changes)
    const total = ENTITY_KINDS.reduce(
      (sum, kind) => sum + counts[kind].added + counts[kind].removed + counts[kind].changed,
      counts.members
    )
    if (total > 0) summary.changed++
    for (const kind of ENTITY_KINDS) {
      summary.added += counts[kind].added
      summary.removed += counts[kind].removed
      summary.modified += counts[kind].changed
    }
    summary.modified += counts.members
  }
  return summary
}
