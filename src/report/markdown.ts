import { DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { needsAttention, sourceKey, type AttentionItem } from './attention.js'
import type { DetailSection } from './details.js'
import { escapeMarkdown, escapeMarkdownLine } from './markdown-escape.js'
import { DRY_RUN_NOTICE, filesLocation, outcomeParagraphs, outcomeSections } from './outcome-text.js'
import { summaryLine } from './summary.js'
import type { Report, SourceOutcome } from './types.js'

export interface MarkdownOptions {
  /** Hard limit on the length of the result; GitHub rejects PR bodies over 65,536 characters. */
  maxLength?: number
  /**
   * All changes awaiting review (base branch → today), when `report` holds
   * only those new since the last run: the body then leads with one Needs
   * attention over these, as merging accepts them all.
   */
  awaiting?: Report
  /** What was awaiting review at the last run (base → its head): items of `awaiting` not in it are marked new. */
  previouslyAwaiting?: Report
  /** Plain-text sentences shown under the title (the baseline is not merged yet, events carried forward). */
  notices?: string[]
  title?: string
}

export const PR_BODY_LIMIT = 65_536
/** Rows per table; the rest are in the PR's diff. */
const MAX_ROWS = 200
/** Attention items kept when even the summary and Needs attention alone are too long. */
const MIN_ATTENTION = 20
const NOTICE_ROOM = 400

/** A marker per level, so Critical, High and Medium tell apart at a glance (and in the job summary). */
const SEVERITY_LABEL: Record<AttentionItem['severity'], string> = {
  critical: '🔴 **Critical**',
  high: '🟠 **High**',
  medium: '🟡 **Medium**'
}

/** A piece of the body; a detail section can be swapped for a one-line stub saying where to read it. */
interface Block {
  text: string
  stub?: string
  /** Drop order: the least dangerous section of the last part goes first. */
  rank?: [danger: number, part: number, position: number]
}

/**
 * The PR body and job summary: a line per source, Needs attention (most
 * dangerous first, with who and when where the audit log says), then details
 * per source. A rolling pull request leads with one Needs attention over
 * everything awaiting review, marking what is new since the last run, then
 * the run's section and the awaiting section, each with its summary lines and
 * details. Never longer than `maxLength`: detail sections go first (least
 * dangerous first), each replaced by a line naming what was left out and where
 * to read it; then attention items beyond the first few.
 */
export function renderMarkdown(report: Report, options: MarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? PR_BODY_LIMIT
  const title = options.title ?? `Permission changes${report.generatedFor ? ` for ${report.generatedFor}` : ''}`
  const head: Block[] = [
    { text: `## ${escapeMarkdown(title)}\n\n` },
    ...[...(report.dryRun ? [DRY_RUN_NOTICE] : []), ...(options.notices ?? [])].map((notice) => ({
      text: `**Note:** ${escapeMarkdown(notice, 1_000)}\n\n`
    }))
  ]
  if (!options.awaiting)
    return fit([...head, summary(report), ...attention(needsAttention(report)), ...details(report, 1)], maxLength)
  const known = options.previouslyAwaiting && new Set(needsAttention(options.previouslyAwaiting).map(itemKey))
  const items = needsAttention(options.awaiting).map((item) => ({
    ...item,
    fresh: known ? !known.has(itemKey(item)) : false
  }))
  return fit(
    [
      ...head,
      ...attention(
        items,
        '_Most dangerous first, over everything merging this pull request would accept (base branch → this branch)._\n\n'
      ),
      { text: '## New since the last run\n\n' },
      summary(report),
      ...details(report, 1),
      { text: '## All changes awaiting review\n\n' },
      summary(options.awaiting),
      ...details(options.awaiting, 2)
    ],
    maxLength
  )
}

/** What makes two attention items the same finding, whoever the audit log names. */
function itemKey(item: AttentionItem): string {
  return [item.severity, item.rule, sourceKey(item.source), item.message].join('\u0000')
}

function summary(report: Report): Block {
  const lines = report.outcomes.map(
    (o) => `- **${escapeMarkdown(sourceKey(o.source))}**: ${escapeMarkdown(summaryLine(o), 400)}`
  )
  return { text: `${lines.length > 0 ? lines.join('\n') : '_No sources configured._'}\n\n` }
}

function attention(items: (AttentionItem & { fresh?: boolean })[], intro = ''): Block[] {
  const blocks: Block[] = [{ text: '### Needs attention\n\n' }]
  if (items.length === 0) return [...blocks, { text: '_Nothing needs attention._\n\n' }]
  // Each item is its own block so the length limit can cut the list after the most dangerous ones.
  return [
    ...blocks,
    { text: intro },
    ...items.map((item, i) => ({ text: attentionLine(item), rank: [-1, 0, i] as Block['rank'] })),
    { text: '\n' }
  ]
}

function details(report: Report, part: number): Block[] {
  const blocks: Block[] = []
  const sources = report.outcomes
    .map((outcome) => ({
      outcome,
      paragraphs: outcomeParagraphs(outcome, report.dryRun),
      sections: outcomeSections(outcome)
    }))
    .filter((d) => d.paragraphs.length > 0 || d.sections.length > 0)
  if (sources.length > 0) blocks.push({ text: '### Details\n\n' })
  let position = 0
  for (const { outcome, paragraphs, sections } of sources) {
    blocks.push({
      text: `#### ${escapeMarkdown(sourceKey(outcome.source))}\n\n${paragraphs.map((p) => `${escapeMarkdownLine(p, 700)}\n\n`).join('')}`
    })
    for (const section of sections) {
      blocks.push({
        text: table(section, outcome),
        stub: stub(section, outcome),
        rank: [section.danger, part, position++]
      })
    }
  }
  return blocks
}

function attentionLine(item: AttentionItem & { fresh?: boolean }): string {
  const by = item.by
    ? ` (by ${item.by.actor ? escapeMarkdown(item.by.actor) : 'unknown actor'} at ${escapeMarkdown(item.by.time, 40)})`
    : ''
  const fresh = item.fresh ? ' — *new since the last run*' : ''
  return `- ${SEVERITY_LABEL[item.severity]} ${escapeMarkdown(sourceKey(item.source))}: ${escapeMarkdown(item.message, 1_000)}${by}${fresh}\n`
}

function table(section: DetailSection, outcome: SourceOutcome): string {
  const shown = section.rows.slice(0, MAX_ROWS)
  const lines = [
    `**${section.title} (${section.rows.length})**`,
    '',
    `| ${section.columns.join(' | ')} |`,
    `| ${section.columns.map(() => '---').join(' | ')} |`,
    ...shown.map((row) => `| ${row.map((cell) => escapeMarkdown(cell, 500)).join(' | ')} |`)
  ]
  if (section.rows.length > shown.length) {
    lines.push(
      '',
      `_${section.rows.length - shown.length} more rows: see ${escapeMarkdown(filesLocation(outcome.source))}_`
    )
  }
  return `${lines.join('\n')}\n\n`
}

function stub(section: DetailSection, outcome: SourceOutcome): string {
  return `_${section.title} (${section.rows.length}) left out to fit the length limit: see ${escapeMarkdown(filesLocation(outcome.source))}_\n\n`
}

function fit(blocks: Block[], maxLength: number): string {
  let length = blocks.reduce((sum, b) => sum + b.text.length, 0)
  if (length <= maxLength) return join(blocks)
  const droppable = blocks
    .filter((b) => b.rank)
    .sort((a, b) => b.rank![0] - a.rank![0] || b.rank![1] - a.rank![1] || b.rank![2] - a.rank![2])
  const omittedByPart = new Map<number, number>()
  // Room for the notices about left-out attention items, added after the loop.
  const target = maxLength - NOTICE_ROOM
  for (const block of droppable) {
    if (length <= target) break
    const [danger, part, position] = block.rank!
    if (block.stub !== undefined) {
      if (block.stub.length >= block.text.length) continue
      length -= block.text.length - block.stub.length
      block.text = block.stub
    } else if (danger === -1 && position >= MIN_ATTENTION) {
      // Attention items are dropped last, and the most dangerous ones always stay.
      length -= block.text.length
      block.text = ''
      omittedByPart.set(part, (omittedByPart.get(part) ?? 0) + 1)
    }
  }
  const kept: Block[] = []
  for (const [i, block] of blocks.entries()) {
    if (block.text !== '') kept.push(block)
    const part = block.rank?.[1]
    const next = blocks[i + 1]
    const lastOfList = block.rank?.[0] === -1 && !(next?.rank?.[0] === -1 && next.rank[1] === part)
    const omitted = part === undefined ? 0 : (omittedByPart.get(part) ?? 0)
    if (lastOfList && omitted > 0) {
      kept.push({
        text: `\n_${omitted} less severe items needing attention left out to fit the length limit: see the Files changed tab (${DEFAULT_SNAPSHOT_DIR}/)._\n`
      })
    }
  }
  const body = join(kept)
  if (body.length <= maxLength) return body
  // Only reachable with thousands of sources or a tiny limit: cut at a line and say so.
  const notice = '\n\n_Report cut to fit the length limit: see the Files changed tab._\n'
  const cut = body.slice(0, Math.max(0, maxLength - notice.length))
  return `${cut.slice(0, Math.max(0, cut.lastIndexOf('\n')))}${notice}`.slice(0, maxLength)
}

function join(blocks: Block[]): string {
  return blocks.map((b) => b.text).join('')
}
