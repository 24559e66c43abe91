/**
 * The mass-removal guard: a source that suddenly loses a large share of its
 * principals, memberships or grants more likely lost sight of them (a token
 * that no longer sees secret teams, a partial export) than had them all
 * revoked. Such a run is held back until someone accepts it.
 */
import type { Snapshot } from '../model/types.js'
import type { SnapshotChanges } from './types.js'

export interface MassRemovalPolicy {
  /** Share (0..1) of one kind's previous entries whose removal in one run is a mass removal. */
  threshold: number
  /** The fewest removed entries of one kind that can be a mass removal: 1 of 2 grants is not one. */
  minimum: number
}

/** The config's defaults: more than 25 % of a kind, and at least 5 entries of it. */
export const DEFAULT_MASS_REMOVAL: MassRemovalPolicy = { threshold: 0.25, minimum: 5 }

export interface RemovalCount {
  kind: 'principals' | 'memberships' | 'grants'
  removed: number
  /** How many there were before. */
  of: number
}

/**
 * The kinds whose removal exceeds the policy, in the order principals,
 * memberships, grants; empty when there is none (always for a first snapshot).
 * A membership is one member of one group: members of a removed group count.
 */
export function massRemovals(
  before: Snapshot | undefined,
  changes: SnapshotChanges,
  policy: MassRemovalPolicy
): RemovalCount[] {
  if (!before) return []
  const memberships = (groups: { members: unknown[] }[]) => groups.reduce((sum, g) => sum + g.members.length, 0)
  const counts: RemovalCount[] = [
    { kind: 'principals', removed: changes.principals.removed.length, of: before.principals.length },
    {
      kind: 'memberships',
      removed:
        memberships(changes.groups.removed) +
        changes.groups.changed.reduce((sum, c) => sum + c.membersRemoved.length, 0),
      of: memberships(before.groups)
    },
    { kind: 'grants', removed: changes.grants.removed.length, of: before.grants.length }
  ]
  return counts.filter((c) => c.of > 0 && c.removed >= policy.minimum && c.removed / c.of > policy.threshold)
}

/** `4 of 5 grants (80%) and 12 of 30 memberships (40%)`. */
export function describeRemovals(counts: RemovalCount[]): string {
  const parts = counts.map((c) => `${c.removed} of ${c.of} ${c.kind} (${Math.round((c.removed / c.of) * 100)}%)`)
  return parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}` : (parts[0] ?? '')
}

/** `the mass-removal threshold of 25% (at least 5 of a kind)`. */
export function describePolicy(policy: MassRemovalPolicy): string {
  return `the mass-removal threshold of ${Math.round(policy.threshold * 100)}% (at least ${policy.minimum} of a kind)`
}
