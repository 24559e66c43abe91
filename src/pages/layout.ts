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
import { count, PART_TITLES, sourceSections, type Section, type SourceSections } from './source-page.js'
import type { SourceView } from './source-view.js'

/** Largest page written as one file, in bytes (GitHub renders Markdown files up to about this size). */
export const PAGE_LIMIT = 1024 * 1024

/** The Markdown files of one source's page, keyed by path relative to the source's folder. */
export function sourcePageFiles(view: SourceView, limit = PAGE_LIMIT): Map<string, string> {
  const f = createFormat('markdown')
  const sections = sourceSections(view, f)
  const whole = combined(f, sections)
  if (Buffer.byteLength(whole) <= limit) return new Map([[SOURCE_PAGE, whole]])
  return split(view, f, sections, limit)
}

/**
 * The page as one document (`show`, Confluence). `compact` gives the index
 * form a split source's README has (groups, roles, scopes and people as
 * summary tables), for a destination with a size limit of its own.
 */
export function sourceDocument(view: SourceView, format: Format, compact = false): string {
  const sections = sourceSections(view, format)
  return compact ? splitIndex(view, format, sections, new Map(), new Map(), []) : combined(format, sections)
}

function combined(f: Format, s: SourceSections): string {
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
    s.groups.length > 0 ? s.groups.map((g) => g.body).join('') : f.paragraph(own('No groups.')),
    s.roles,
    f.heading(2, PART_TITLES.scopes),
    s.scopes.length > 0 ? s.scopes.map((g) => g.body).join('') : f.paragraph(own('No scopes.')),
    f.heading(2, PART_TITLES.people),
    s.people.length > 0 ? s.people.map((g) => g.body).join('') : f.paragraph(own('No principals.'))
  ].join('')
}

function split(view: SourceView, f: Format, s: SourceSections, limit: number): Map<string, string> {
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
  const peoplePages = chunkByInitial(s.people, limit)
  for (const page of peoplePages) {
    const path = `${SOURCE_PAGE_FOLDER}/people/${page.file}.md`
    files.set(path, withBreadcrumb(view, f, path, page.sections.map((p) => p.body).join('')))
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
          own(`: ${count(page.sections.length, 'principal')}`)
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
  sections: Section[]
}

/** `a`…`z`, `0`…`9`, or `other`: a page per initial, then `-2`, `-3`… where one initial exceeds the limit. */
export function initialOf(name: string): string {
  const first = name.normalize('NFKD').charAt(0).toLowerCase()
  return /^[a-z0-9]$/.test(first) ? first : 'other'
}

function chunkByInitial(sections: readonly Section[], limit: number): PeoplePage[] {
  const byInitial = new Map<string, Section[]>()
  for (const section of sections) {
    const initial = initialOf(section.name)
    const list = byInitial.get(initial) ?? []
    list.push(section)
    byInitial.set(initial, list)
  }
  const pages: PeoplePage[] = []
  for (const initial of [...byInitial.keys()].sort()) {
    let current: Section[] = []
    let bytes = 0
    const flush = () => {
      const n = pages.filter((p) => p.file.split('-')[0] === initial).length
      const label = initial === 'other' ? 'Other' : initial.toUpperCase()
      pages.push({
        file: n === 0 ? initial : `${initial}-${n + 1}`,
        title: n === 0 ? label : `${label} (${n + 1})`,
        sections: current
      })
      current = []
      bytes = 0
    }
    for (const section of byInitial.get(initial)!) {
      const size = Buffer.byteLength(section.body)
      // Room for the breadcrumb line; a single section larger than the limit still gets a page of its own.
      if (current.length > 0 && bytes + size > limit - 1024) flush()
      current.push(section)
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
