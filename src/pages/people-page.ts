/**
 * `people.md`: one person, all systems. A row per person with their account
 * and highest privilege in each source; then the people active in one system
 * but inactive or not found in another, and the accounts no other source
 * knows. Split by initial (`people/<initial>.md`) when one page would exceed
 * the limit.
 */
import { compareStrings } from '../diff/canonical.js'
import { sourceKey, type Person } from '../model/people.js'
import { PEOPLE_FOLDER, PEOPLE_PAGE } from '../store/page-files.js'
import { createFormat, own, type Cell, type Column, type Format, type Inline } from './format.js'
import { byInitial, PAGE_LIMIT } from './layout.js'
import { count } from './source-page.js'
import type { SourceView } from './source-view.js'

export interface PeopleContext {
  views: readonly SourceView[]
  people: readonly Person[]
  /** How to link to a source's page from the page being written, if at all. */
  sourceHref?: (view: SourceView) => string | undefined
}

/** `people.md` and, when split, `people/<initial>.md`, keyed relative to the snapshot root. */
export function peoplePageFiles(context: PeopleContext, limit = PAGE_LIMIT): Map<string, string> {
  const f = createFormat('markdown')
  const whole = peopleDocument(context, f)
  if (Buffer.byteLength(whole) <= limit) return new Map([[PEOPLE_PAGE, whole]])
  const files = new Map<string, string>()
  const index: Cell[] = []
  for (const [initial, people] of byInitial(context.people, (p) => p.label)) {
    const list = people.map((person) => matrixRow(context, person))
    const path = `${PEOPLE_FOLDER}/${initial}.md`
    const back = f.paragraph([own('Part of '), { text: 'People across systems', href: `../${PEOPLE_PAGE}` }, own('.')])
    files.set(path, back + f.table(matrixColumns(context), list))
    index.push([
      { text: initial === 'other' ? 'Other' : initial.toUpperCase(), href: path },
      own(`: ${count(list.length, 'person', 'people')}`)
    ])
  }
  let out = intro(context, f) + review(context, f)
  out += f.heading(2, 'Accounts no other source knows')
  out += orphanCounts(context, f)
  out += f.heading(2, 'Everyone')
  out += f.paragraph(own('One page per initial, too many people for one page:'))
  out += f.list(index)
  files.set(PEOPLE_PAGE, out)
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** The whole page as one document (`show`, Confluence, and the unsplit `people.md`). */
export function peopleDocument(context: PeopleContext, f: Format): string {
  let out = intro(context, f) + review(context, f)
  if (context.views.length > 1) {
    out += f.heading(2, 'Accounts no other source knows')
    const orphans = context.people
      .filter((p) => isOrphan(context, p))
      .flatMap((p) => p.accounts)
      .sort(
        (a, b) =>
          compareStrings(sourceKey(a.source), sourceKey(b.source)) ||
          compareStrings(a.principal.name, b.principal.name) ||
          compareStrings(a.principal.id, b.principal.id)
      )
    const rows = orphans.map((a) => {
      const view = viewOf(context, a.source)
      return [sourceCell(context, view), view.principalLabel(a.principal.id), own(view.highestLabel(a.principal.id))]
    })
    out +=
      rows.length === 0
        ? f.paragraph(own('None: every account is known to another source too.'))
        : f.table([{ title: 'Source' }, { title: 'Account' }, { title: 'Highest privilege' }], rows)
  }
  out += f.heading(2, 'Everyone')
  return (
    out +
    f.table(
      matrixColumns(context),
      context.people.map((person) => matrixRow(context, person))
    )
  )
}

function intro(context: PeopleContext, f: Format): string {
  const accounts = context.people.reduce((n, p) => n + p.accounts.length, 0)
  const joined = context.people.filter((p) => new Set(p.accounts.map((a) => sourceKey(a.source))).size > 1).length
  return (
    f.heading(1, 'People across systems') +
    f.paragraph(
      own(
        `${count(context.people.length, 'person', 'people')} with ${count(accounts, 'account')} in ${count(context.views.length, 'source')}; ${joined} known to more than one source. Accounts are joined by email address, as each source stores it under its emails policy (hashed addresses join, redacted ones cannot), and by the identities map of the config. Each cell is the account and its highest privilege in that system.`
      )
    )
  )
}

function review(context: PeopleContext, f: Format): string {
  let out = f.heading(2, 'Active in one system, inactive or gone in another')
  const rows: Cell[][] = []
  for (const person of context.people) {
    const active = person.accounts.filter((a) => a.principal.active !== false)
    const inactive = person.accounts.filter((a) => a.principal.active === false)
    if (active.length === 0 || (inactive.length === 0 && person.missing.length === 0)) continue
    const where = (accounts: typeof active) => [...new Set(accounts.map((a) => sourceKey(a.source)))].join(', ')
    rows.push([
      person.label,
      where(active),
      where(inactive),
      [...new Set(person.missing.map((m) => `${sourceKey(m.source)} (${m.login})`))].join(', ')
    ])
  }
  if (rows.length === 0) return out + f.paragraph(own('None.'))
  out += f.paragraph(
    own(
      'Not found in: the identities map names an account that source does not have (removed, renamed, or a typo in the map).'
    )
  )
  return (
    out +
    f.table([{ title: 'Person' }, { title: 'Active in' }, { title: 'Inactive in' }, { title: 'Not found in' }], rows)
  )
}

function orphanCounts(context: PeopleContext, f: Format): string {
  if (context.views.length < 2) return f.paragraph(own('Only one source: nothing to compare.'))
  const counts = new Map<string, number>()
  for (const person of context.people) {
    if (!isOrphan(context, person)) continue
    const key = sourceKey(person.accounts[0]!.source)
    counts.set(key, (counts.get(key) ?? 0) + person.accounts.length)
  }
  if (counts.size === 0) return f.paragraph(own('None: every account is known to another source too.'))
  return (
    f.paragraph(own('Marked "only in" in the tables of the people pages:')) +
    f.list([...counts].map(([key, n]) => [key, own(`: ${count(n, 'account')}`)]))
  )
}

function isOrphan(context: PeopleContext, person: Person): boolean {
  if (context.views.length < 2 || person.accounts.length === 0 || person.missing.length > 0) return false
  return new Set(person.accounts.map((a) => sourceKey(a.source))).size === 1
}

function matrixColumns(context: PeopleContext): Column[] {
  return [{ title: 'Person' }, ...context.views.map((v) => ({ title: v.key })), { title: 'Note' }]
}

function matrixRow(context: PeopleContext, person: Person): Cell[] {
  const row: Cell[] = [person.label]
  for (const view of context.views) {
    const parts: Inline[] = []
    for (const account of person.accounts) {
      if (sourceKey(account.source) !== view.key) continue
      if (parts.length > 0) parts.push(own('; '))
      parts.push(...view.principalLabel(account.principal.id), own(`: ${view.highestLabel(account.principal.id)}`))
    }
    row.push(parts)
  }
  const notes: string[] = []
  if (isOrphan(context, person)) notes.push(`only in ${sourceKey(person.accounts[0]!.source)}`)
  const inactive = [
    ...new Set(person.accounts.filter((a) => a.principal.active === false).map((a) => sourceKey(a.source)))
  ]
  if (inactive.length > 0 && person.accounts.some((a) => a.principal.active !== false))
    notes.push(`inactive in ${inactive.join(', ')}`)
  const missing = [...new Set(person.missing.map((m) => sourceKey(m.source)))]
  if (missing.length > 0) notes.push(`not found in ${missing.join(', ')}`)
  row.push(notes.join('; '))
  return row
}

function viewOf(context: PeopleContext, source: { type: string; name: string }): SourceView {
  return context.views.find((v) => v.key === sourceKey(source))!
}

function sourceCell(context: PeopleContext, view: SourceView): Cell {
  const href = context.sourceHref?.(view)
  return href === undefined ? view.key : { text: view.key, href }
}
