import type { Report } from '../report/types.js'

/**
 * "New since the last run" is computed from two trees (yesterday's pull
 * request head and today's folder), which cannot know that a source failed or
 * was held back today, nor its notes: this carries them over from the run.
 */
export function withRunStatus(treeReport: Report, run: Report): Report {
  const key = (o: { source: { type: string; name: string } }) => `${o.source.type}/${o.source.name}`
  const fromRun = new Map(run.outcomes.map((o) => [key(o), o]))
  const outcomes = treeReport.outcomes
    .filter((o) => fromRun.get(key(o))?.status === 'ok' || !fromRun.has(key(o)))
    .map((o) => ({ ...o, notes: fromRun.get(key(o))?.notes ?? o.notes }))
  for (const outcome of run.outcomes) if (outcome.status !== 'ok') outcomes.push(outcome)
  outcomes.sort((a, b) => key(a).localeCompare(key(b)))
  return { ...treeReport, outcomes, massRemovalThreshold: run.massRemovalThreshold }
}
