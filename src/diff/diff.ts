import { grantKey, grantSlotKey } from '../model/keys.js'
import { emptySnapshot, type Grant, type Snapshot } from '../model/types.js'
import { compareStrings, sameState } from './canonical.js'
import { compareGrants, compareGroups, comparePrincipals, compareRoles, compareScopes } from './compare.js'
import type { GrantChanged, KindChanges, SnapshotChanges } from './types.js'

/**
 * The semantic difference between two snapshots of one source. Entities are
 * matched by stable id (grants by `grantKey`), so a rename is a change, not a
 * removal plus an addition. `before` undefined is the first snapshot of the
 * source: everything is added (the report treats that as a baseline).
 * Linear in the size of the snapshots apart from sorting the result.
 */
export function diffSnapshots(before: Snapshot | undefined, after: Snapshot): SnapshotChanges {
  const base = before ?? emptySnapshot(after.source)
  return {
    principals: diffKind('principal', base.principals, after.principals, (p) => p.id, comparePrincipals),
    groups: diffKind('group', base.groups, after.groups, (g) => g.id, compareGroups),
    roles: diffKind('role', base.roles, after.roles, (r) => r.id, compareRoles),
    scopes: diffKind('scope', base.scopes, after.scopes, (s) => s.id, compareScopes),
    grants: pairRoleChanges(diffKind('grant', base.grants, after.grants, grantKey, compareGrants))
  }
}

function diffKind<T, C extends { after: T }>(
  kind: string,
  before: T[],
  after: T[],
  key: (item: T) => string,
  compare: (before: T, after: T) => C | undefined
): KindChanges<T, C> {
  const old = indexBy(kind, before, key)
  const next = indexBy(kind, after, key)
  const added: T[] = []
  const removed: T[] = []
  const changed: C[] = []
  for (const [k, item] of next) {
    const previous = old.get(k)
    if (previous === undefined) added.push(item)
    else {
      const change = compare(previous, item)
      if (change) changed.push(change)
    }
  }
  for (const [k, item] of old) if (!next.has(k)) removed.push(item)
  return {
    added: sortBy(added, key),
    removed: sortBy(removed, key),
    changed: sortBy(changed, (c) => key(c.after))
  }
}

/** Sorts by a computed key, computing it once per item (grant keys are joined strings). */
function sortBy<T>(items: T[], key: (item: T) => string): T[] {
  return items
    .map((item) => ({ key: key(item), item }))
    .sort((a, b) => compareStrings(a.key, b.key))
    .map(({ item }) => item)
}

/**
 * Identical duplicates collapse (a snapshot is a set); two different entities
 * under one key would make the diff silently drop one, so that is an error.
 */
function indexBy<T>(kind: string, items: T[], key: (item: T) => string): Map<string, T> {
  const map = new Map<string, T>()
  for (const item of items) {
    const k = key(item)
    const existing = map.get(k)
    if (existing === undefined) map.set(k, item)
    else if (!sameState(existing, item)) {
      throw new Error(`the snapshot holds two different ${kind}s under the key ${JSON.stringify(k)}`)
    }
  }
  return map
}

/**
 * A removed and an added grant that are the only ones in their slot (same
 * subject, scope and path) are one grant whose role changed: `write → admin`
 * reads as an escalation rather than a revoke plus an unrelated grant.
 */
function pairRoleChanges(grants: KindChanges<Grant, GrantChanged>): KindChanges<Grant, GrantChanged> {
  const removedBySlot = groupBySlot(grants.removed)
  const addedBySlot = groupBySlot(grants.added)
  const paired = new Set<Grant>()
  const changed = [...grants.changed]
  for (const [slot, removed] of removedBySlot) {
    const added = addedBySlot.get(slot)
    if (removed.length !== 1 || added?.length !== 1) continue
    const [before] = removed as [Grant]
    const [after] = added as [Grant]
    // Different keys, so the comparator always finds a difference.
    changed.push(compareGrants(before, after)!)
    paired.add(before).add(after)
  }
  if (paired.size === 0) return grants
  return {
    added: grants.added.filter((g) => !paired.has(g)),
    removed: grants.removed.filter((g) => !paired.has(g)),
    changed: sortBy(changed, (c) => grantKey(c.after))
  }
}

function groupBySlot(grants: Grant[]): Map<string, Grant[]> {
  const slots = new Map<string, Grant[]>()
  for (const grant of grants) {
    const slot = grantSlotKey(grant)
    const list = slots.get(slot)
    if (list) list.push(grant)
    else slots.set(slot, [grant])
  }
  return slots
}
