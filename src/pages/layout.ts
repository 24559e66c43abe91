/**
 * Where the page of a source goes: one `README.md` in the source's folder
 * while it fits in `PAGE_LIMIT`; beyond that (GitHub stops rendering large
 * files), an index `README.md` with a page per group (`pages/groups/`), per
 * scope (`pages/scopes/<type>/`) and per initial of the people
 * (`pages/people/`), linked both ways. File names are the store's: the page
 * of `groups/Platform.yaml` is `pages/groups/Platform.md`.
 */
import { SOURCE_PAGE, SOURCE_PAGE_FOLDER } from '../store/page-files.js'
import { assignFileNames } from '../store/paths.js'
import { createFormat, own, type Format, type Inline } from './format.js'
import { count, PART_TITLES, sourceSections, type SourceSections } from './source-page.js'
import type { SourceView } from './source-view.js'

/** Largest page written as one file, in bytes (GitHub renders Markdown files up to about this size). */
export const PAGE_LIMIT = 1024 * 1024
/** The fewest bytes a row of a person's table takes (`| a | b | c | d |`). */
const MIN_ROW_BYTES = 16

/** The Markdown files of one source's page, keyed by path relative to the source's folder. */
export function sourcePageFiles(view: SourceView, limit = PAGE_LIMIT): Map<string, string> {
  const f = createFormat('markdown')
  const sections = sourceSections(view, f)
  const fixed = combined(f, sections, [])
  let bytes = fixed.reduce((n, part) => n + Buffer.byteLength(part), 0)
  // Every effective grant is a table row of at least this many bytes: past the limit, the page is split
  // without first rendering (and holding) every person's section.
  let rows = 0
  for (const p of view.principals) rows += view.effective.get(p.id)?.length ?? 0
  if (bytes + rows * MIN_ROW_BYTES > limit) return split(view, f, sections, limit)
  const people = sections.principals.map((p) => sections.person(p))
  bytes += people.reduce((n, part) => n + Buffer.byteLength(part), 0)
  if (bytes > limit) return split(view, f, sections, limit, people)
  return new Map([[SOURCE_PAGE, combined(f, sections, people).join('')]])
}

/**
 * The page as one document (`show`, Confluence). `compact` gives the index
 * form a split source's README has (groups, roles, scopes and people as
 * summary tables), for a destination with a size limit of its own.
 */
export function sourceDocument(view: SourceView, format: Format, compact = false): string {
  const sections = sourceSections(view, format)
  if (compact) return splitIndex(view, format, sections, new Map(), new Map(), [])
  return combined(
    format,
    sections,
    sections.principals.map((p) => sections.person(p))
  ).join('')
}

/** The whole page, in parts, with the people's sections given. */
function combined(f: Format, s: SourceSections, people: readonly string[]): string[] {
  const anchor = (title: string) => ({ text: title, href: `#${title.toLowerCase().replaceAll(' ', '-')}` })
  const contents: Inline[] = [own('Contents: ')]
  Object.values(PART_TITLES).forEach((title, i) => {
    if (i > 0) contents.push(own(' · '))
    contents.push(anchor(title))
  })
  return [
    s.header,
    f.paragraph(contents),
    f.heading(2, PART_TITLES.groups),
    ...(s.groups.length > 0 ? s.groups.map((g) => g.body) : [f.paragraph(own('No groups.'))]),
    s.roles,
    f.heading(2, PART_TITLES.scopes),
    ...(s.scopes.length > 0 ? s.scopes.map((g) => g.body) : [f.paragraph(own('No scopes.'))]),
    f.heading(2, PART_TITLES.people),
    ...(s.principals.length === 0 ? [f.paragraph(own('No principals.'))] : people)
  ]
}

function split(
  view: SourceView,
  f: Format,
  s: SourceSections,
  limit: number,
  rendered?: readonly string[]
): Map<string, string> {
  const files = new Map<string, string>()
  const groupFiles = assignFileNames(view.groups)
  const groupPaths = new Map<string, string>()
  for (const section of s.groups) {
    const path = `${SOURCE_PAGE_FOLDER}/groups/${groupFiles.get(section.id)}.md`
    groupPaths.set(section.id, path)
    files.set(path, withBreadcrumb(view, f, path, section.body))
  }
  const byType = new Map<string, { id: string; name: string }[]>()
  for (const scope of view.scopes) {
    const list = byType.get(scope.type) ?? []
    list.push(scope)
    byType.set(scope.type, list)
  }
  const typeFolders = assignFileNames([...byType.keys()].map((type) => ({ id: type, name: type })))
  const scopePaths = new Map<string, string>()
  for (const [type, scopes] of byType) {
    const names = assignFileNames(scopes)
    for (const scope of scopes) {
      scopePaths.set(scope.id, `${SOURCE_PAGE_FOLDER}/scopes/${typeFolders.get(type)}/${names.get(scope.id)}.md`)
    }
  }
  for (const section of s.scopes) {
    const path = scopePaths.get(section.id)!
    files.set(path, withBreadcrumb(view, f, path, section.body))
  }
  const peoplePages = peoplePagesOf(s, limit, rendered)
  for (const page of peoplePages) {
    const path = `${SOURCE_PAGE_FOLDER}/people/${page.file}.md`
    files.set(path, withBreadcrumb(view, f, path, page.text))
  }
  files.set(SOURCE_PAGE, splitIndex(view, f, s, groupPaths, scopePaths, peoplePages))
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/** The README of a split source: the header, then each part as a summary linking to its pages. */
function splitIndex(
  view: SourceView,
  f: Format,
  s: SourceSections,
  groupPaths: Map<string, string>,
  scopePaths: Map<string, string>,
  peoplePages: readonly PeoplePage[]
): string {
  const link = (text: string, href: string | undefined): Inline => (href === undefined ? text : { text, href })
  let out = s.header
  out += f.paragraph(
    own(
      'This source is too large for one page: each group, each scope and the people by initial have pages of their own, linked below.'
    )
  )
  out += f.heading(2, PART_TITLES.groups)
  out +=
    view.groups.length === 0
      ? f.paragraph(own('No groups.'))
      : f.table(
          [
            { title: 'Group' },
            { title: 'Parent' },
            { title: 'Members', align: 'right' },
            { title: 'Grants', align: 'right' }
          ],
          view.groups.map((group) => [
            link(group.name, groupPaths.get(group.id)),
            group.parent === undefined ? own('') : view.groupName(group.parent),
            own(view.members.get(group.id)?.size ?? 0),
            own(view.grantsOf.get(group.id)?.length ?? 0)
          ])
        )
  out += s.roles
  out += f.heading(2, PART_TITLES.scopes)
  out +=
    view.scopes.length === 0
      ? f.paragraph(own('No scopes.'))
      : f.table(
          [{ title: 'Scope' }, { title: 'Grants', align: 'right' }],
          view.scopes.map((scope) => [
            link(view.scopeLabel(scope.id), scopePaths.get(scope.id)),
            own(view.grantsAt.get(scope.id)?.length ?? 0)
          ])
        )
  out += f.heading(2, PART_TITLES.people)
  if (view.principals.length === 0) return out + f.paragraph(own('No principals.'))
  if (peoplePages.length > 0) {
    return (
      out +
      f.list(
        peoplePages.map((page) => [
          { text: page.title, href: `${SOURCE_PAGE_FOLDER}/people/${page.file}.md` },
          own(`: ${count(page.count, 'principal')}`)
        ])
      )
    )
  }
  // One document (Confluence): each principal's highest privilege, without the per-grant detail.
  return (
    out +
    f.table(
      [{ title: 'Principal' }, { title: 'Highest privilege' }, { title: 'Effective grants', align: 'right' }],
      view.principals.map((p) => [
        view.principalLabel(p.id),
        own(view.highestLabel(p.id)),
        own(view.effective.get(p.id)?.length ?? 0)
      ])
    )
  )
}

interface PeoplePage {
  file: string
  title: string
  count: number
  text: string
}

/** `a`…`z`, `0`…`9`, or `other`: a page per initial, then `-2`, `-3`… where one initial exceeds the limit. */
export function initialOf(name: string): string {
  const first = name.normalize('NFKD').charAt(0).toLowerCase()
  return /^[a-z0-9]$/.test(first) ? first : 'other'
}

/** Items by the initial of their name, initials in order, items in their given order. */
export function byInitial<T>(items: readonly T[], nameOf: (item: T) => string): [string, T[]][] {
  const groups = new Map<string, T[]>()
  for (const item of items) {
    const initial = initialOf(nameOf(item))
    const list = groups.get(initial)
    if (list) list.push(item)
    else groups.set(initial, [item])
  }
  return [...groups].sort(([a], [b]) => (a < b ? -1 : 1))
}

/** The people's pages, each person rendered once and let go as soon as their page is joined. */
function peoplePagesOf(s: SourceSections, limit: number, rendered?: readonly string[]): PeoplePage[] {
  const pages: PeoplePage[] = []
  const indices = s.principals.map((_, i) => i)
  for (const [initial, members] of byInitial(indices, (i) => s.principals[i]!.name)) {
    const label = initial === 'other' ? 'Other' : initial.toUpperCase()
    let n = 0
    let current: string[] = []
    let bytes = 0
    const flush = () => {
      n++
      pages.push({
        file: n === 1 ? initial : `${initial}-${n}`,
        title: n === 1 ? label : `${label} (${n})`,
        count: current.length,
        text: current.join('')
      })
      current = []
      bytes = 0
    }
    for (const i of members) {
      const body = rendered?.[i] ?? s.person(s.principals[i]!)
      const size = Buffer.byteLength(body)
      // Room for the breadcrumb line; a single section larger than the limit still gets a page of its own.
      if (current.length > 0 && bytes + size > limit - 1024) flush()
      current.push(body)
      bytes += size
    }
    if (current.length > 0) flush()
  }
  return pages
}

function withBreadcrumb(view: SourceView, f: Format, path: string, body: string): string {
  const up = '../'.repeat(path.split('/').length - 1)
  return f.paragraph([own('Part of the page of '), { text: view.key, href: `${up}${SOURCE_PAGE}` }, own('.')]) + body
}
