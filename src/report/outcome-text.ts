import { DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import type { SourceRef } from '../model/types.js'
import { sourceKey } from './attention.js'
import { detailSections, type DetailSection } from './details.js'
import { plainText } from './markdown-escape.js'
import { Names } from './names.js'
import type { SourceOutcome } from './types.js'

/** Where a reviewer reads everything the report leaves out: the source's folder in the PR's diff. */
export function filesLocation(source: SourceRef): string {
  return `the Files changed tab: ${DEFAULT_SNAPSHOT_DIR}/${sourceKey(source)}/`
}

/** Says that a dry run wrote nothing, for both renderers to put under the title. */
export const DRY_RUN_NOTICE = 'Dry run: nothing was written.'

/** Sentences about an outcome that go before its change tables (both renderers show them). */
export function outcomeParagraphs(outcome: SourceOutcome, dryRun = false): string[] {
  const lines: string[] = []
  if (outcome.status === 'failed') {
    lines.push(`Failed: ${plainText(outcome.error ?? 'unknown error', 600)}`)
    if (outcome.hint) lines.push(`What to do: ${plainText(outcome.hint, 600)}`)
    lines.push('The snapshot of this source was not updated; the previous one stays in place.')
  }
  if (outcome.status === 'held') {
    lines.push(`Held back: ${plainText(outcome.error ?? 'mass removal', 600)}`)
    if (outcome.hint) lines.push(`What to do: ${plainText(outcome.hint, 600)}`)
  }
  if (outcome.baseline && outcome.status !== 'failed') {
    lines.push(
      dryRun
        ? 'First snapshot of this source: a run would record it as the baseline. Changes are reported from the run after that.'
        : 'First snapshot of this source: recorded as the baseline. Changes are reported from the next run on.'
    )
  }
  for (const note of outcome.notes) lines.push(`Note: ${plainText(note, 600)}`)
  return lines
}

/** The change tables of an outcome; none for a baseline (a first run is not a list of alarms). */
export function outcomeSections(outcome: SourceOutcome): DetailSection[] {
  if (outcome.baseline || !outcome.changes || outcome.status === 'failed') return []
  return detailSections(outcome.changes, new Names(outcome.before, outcome.after))
}
