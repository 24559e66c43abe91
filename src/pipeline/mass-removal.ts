import { diffSnapshots } from '../diff/diff.js'
import { describePolicy, describeRemovals, massRemovals, type MassRemovalPolicy } from '../diff/mass-removal.js'
import type { SnapshotChanges } from '../diff/types.js'
import type { Snapshot } from '../model/types.js'

/**
 * The mass-removal guard: why a run's removals are too many to write without
 * someone confirming them, or undefined when they are not. A token that lost
 * access returns less than the truth, and written as it is that would read as
 * a mass revocation. `against` says what `before` is when it is not the last
 * run's state (the base a pull request is reviewed against).
 */
export function massRemovalError(
  before: Snapshot | undefined,
  changes: SnapshotChanges,
  policy: MassRemovalPolicy,
  against?: string
): string | undefined {
  const removals = massRemovals(before, changes, policy)
  if (removals.length === 0) return undefined
  return `${describeRemovals(removals)} would be removed${against ? ` ${against}` : ''}, more than ${describePolicy(policy)}; the previous snapshot was kept`
}

/**
 * The guard against both states a run can be measured from: the last run's
 * (`before`, with its `changes`), and the base an open pull request is
 * reviewed against, where each run compares only with the previous head and
 * 20 % a day would otherwise never trip a 25 % threshold.
 */
export function heldBack(
  before: Snapshot | undefined,
  changes: SnapshotChanges,
  after: Snapshot,
  base: Snapshot | undefined,
  policy: MassRemovalPolicy
): string | undefined {
  return (
    massRemovalError(before, changes, policy) ??
    (base
      ? massRemovalError(
          base,
          diffSnapshots(base, after),
          policy,
          'compared with the snapshot the open pull request is reviewed against'
        )
      : undefined)
  )
}
