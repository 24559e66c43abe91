import { hasChanges } from '../diff/types.js'
import type { Report } from '../report/types.js'

/**
 * All changes awaiting review are computed from two trees (the base and
 * today's folder), which cannot know that a source failed or was held back
 * today, nor its notes: this carries them over from the run. A source that did
 * not succeed keeps both outcomes: what its folder on the branch still holds
 * for review (the merge accepts it), and today's failure.
 */
export function withRunStatus(treeReport: Report, run: Report): Report {
  const key = (o: { source: { type: string; name: string } }) => `${o.source.type}/${o.source.name}`
  const fromRun = new Map(run.outcomes.map((o) => [key(o), o]))
  const outcomes = treeReport.outcomes
    .filter((o) => {
      const status = fromRun.get(key(o))?.status
      return status === undefined || status === 'ok' || o.baseline || (o.changes !== undefined && hasChanges(o.changes))
    })
    .map((o) => ({ ...o, notes: fromRun.get(key(o))?.notes ?? o.notes }))
  for (const outcome of run.outcomes) if (outcome.status !== 'ok') outcomes.push(outcome)
  // Stable: a source's awaiting changes come before its failure.
  outcomes.sort((a, b) => key(a).localeCompare(key(b)))
  return { ...treeReport, outcomes, massRemovalThreshold: run.massRemovalThreshold }
}
