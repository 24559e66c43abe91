import { needsAttention, sourceKey } from './attention.js'
import { plainText } from './markdown-escape.js'
import { countChanges, summarize, summaryLine, type ChangeCounts, type Summary } from './summary.js'
import type { Report } from './types.js'

export interface JsonReport {
  generatedFor?: string
  massRemovalThreshold: number
  summary: Summary
  sources: {
    source: string
    type: string
    name: string
    status: 'ok' | 'failed' | 'held'
    baseline: boolean
    summary: string
    error?: string
    hint?: string
    notes: string[]
    /** Absent for a baseline and for a failed source. */
    changes?: ChangeCounts
  }[]
  attention: {
    severity: string
    rule: string
    source: string
    message: string
    by?: { actor?: string; time: string; event: string }
  }[]
}

/**
 * The report for automation. Keys are always in the same order (objects are
 * built literally, absent values left out), so the output can be diffed.
 */
export function renderJson(report: Report): JsonReport {
  const attention = needsAttention(report)
  return {
    ...(report.generatedFor !== undefined ? { generatedFor: report.generatedFor } : {}),
    massRemovalThreshold: report.massRemovalThreshold,
    summary: summarize(report, attention),
    sources: report.outcomes.map((o) => ({
      source: sourceKey(o.source),
      type: o.source.type,
      name: o.source.name,
      status: o.status,
      baseline: o.baseline,
      summary: summaryLine(o),
      ...(o.error !== undefined ? { error: plainText(o.error, 2_000) } : {}),
      ...(o.hint !== undefined ? { hint: plainText(o.hint, 2_000) } : {}),
      notes: o.notes.map((n) => plainText(n, 2_000)),
      ...(o.changes && !o.baseline && o.status !== 'failed' ? { changes: countChanges(o.changes) } : {})
    })),
    attention: attention.map((item) => ({
      severity: item.severity,
      rule: item.rule,
      source: sourceKey(item.source),
      message: item.message,
      ...(item.by
        ? {
            by: {
              ...(item.by.actor !== undefined ? { actor: plainText(item.by.actor) } : {}),
              time: item.by.time,
              event: item.by.event
            }
          }
        : {})
    }))
  }
}
