import { createTwoFilesPatch, FILE_HEADERS_ONLY } from 'diff'
import { needsAttention, sourceKey } from './attention.js'
import { plainText } from './markdown-escape.js'
import { DRY_RUN_NOTICE, outcomeParagraphs, outcomeSections } from './outcome-text.js'
import { summaryLine } from './summary.js'
import type { Report } from './types.js'

export interface TextOptions {
  /** Add a compact unified diff of every changed snapshot file. */
  verbose?: boolean
}

// Terminal control characters (ANSI escapes) in a YAML line from a hostile name; tabs and text stay.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** The terminal report: the same content as the Markdown one, without markup and without a length limit. */
export function renderText(report: Report, options: TextOptions = {}): string {
  const lines: string[] = [`Permission changes${report.generatedFor ? ` for ${plainText(report.generatedFor)}` : ''}`]
  if (report.dryRun) lines.push(DRY_RUN_NOTICE)
  for (const outcome of report.outcomes)
    lines.push(`  ${plainText(sourceKey(outcome.source))}: ${summaryLine(outcome)}`)
  const attention = needsAttention(report)
  lines.push('', attention.length > 0 ? 'Needs attention:' : 'Nothing needs attention.')
  for (const item of attention) {
    const by = item.by ? ` (by ${plainText(item.by.actor ?? 'unknown actor')} at ${plainText(item.by.time, 40)})` : ''
    lines.push(`  [${item.severity}] ${plainText(sourceKey(item.source))}: ${item.message}${by}`)
  }
  for (const outcome of report.outcomes) {
    const paragraphs = outcomeParagraphs(outcome, report.dryRun)
    const sections = outcomeSections(outcome)
    const files = options.verbose ? (outcome.files ?? []) : []
    if (paragraphs.length + sections.length + files.length === 0) continue
    lines.push('', plainText(sourceKey(outcome.source)))
    for (const p of paragraphs) lines.push(`  ${p}`)
    for (const section of sections) {
      lines.push(`  ${section.title} (${section.rows.length}):`)
      for (const row of section.rows) lines.push(`    ${row.filter((cell) => cell !== '').join(' · ')}`)
    }
    for (const file of files) lines.push(patch(file.path, file.before, file.after))
  }
  return `${lines.join('\n')}\n`
}

function patch(path: string, before: string | undefined, after: string | undefined): string {
  const name = plainText(path, 300)
  const text = createTwoFilesPatch(
    before === undefined ? '/dev/null' : `a/${name}`,
    after === undefined ? '/dev/null' : `b/${name}`,
    before ?? '',
    after ?? '',
    undefined,
    undefined,
    { context: 1, headerOptions: FILE_HEADERS_ONLY }
  )
  return text.replace(LINE_CONTROLS, '').trimEnd()
}
