import { grantKey } from '../model/keys.js'
import type { Snapshot } from '../model/types.js'
import type { KindChanges, SnapshotChanges } from './types.js'

/**
 * Replays changes onto the snapshot they were computed from: the inverse of
 * `diffSnapshots`, so `applyChanges(a, diffSnapshots(a, b))` is `b` (up to the
 * order of set-like lists). Changes that do not fit `before` (removing what is
 * not there, adding what already is) are an error rather than a silent merge.
 */
export function applyChanges(before: Snapshot, changes: SnapshotChanges): Snapshot {
  return {
    source: before.source,
    principals: applyKind('principal', before.principals, changes.principals, (p) => p.id),
    groups: applyKind('group', before.groups, changes.groups, (g) => g.id),
    roles: applyKind('role', before.roles, changes.roles, (r) => r.id),
    scopes: applyKind('scope', before.scopes, changes.scopes, (s) => s.id),
    grants: applyKind('grant', before.grants, changes.grants, grantKey)
  }
}

function applyKind<T>(
  kind: string,
  items: T[],
  changes: KindChanges<T, { before: T; after: T }>,
  key: (item: T) => string
): T[] {
  // A Map keeps insertion order: untouched and changed items stay where they were.
  const map = new Map(items.map((item) => [key(item), item]))
  const take = (k: string, what: string) => {
    if (!map.delete(k)) throw new Error(`cannot ${what} ${kind} ${JSON.stringify(k)}: it is not in the snapshot`)
  }
  const put = (k: string) => {
    if (map.has(k)) throw new Error(`cannot add ${kind} ${JSON.stringify(k)}: it is already in the snapshot`)
  }
  for (const item of changes.removed) take(key(item), 'remove')
  for (const change of changes.changed) {
    const k = key(change.before)
    const next = key(change.after)
    if (k === next) {
      if (!map.has(k)) throw new Error(`cannot change ${kind} ${JSON.stringify(k)}: it is not in the snapshot`)
      map.set(k, change.after)
    } else {
      take(k, 'change')
      put(next)
      map.set(next, change.after)
    }
  }
  for (const item of changes.added) {
    const k = key(item)
    put(k)
    map.set(k, item)
  }
  return [...map.values()]
}
