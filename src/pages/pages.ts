/**
 * All state pages of a snapshot folder from the stored snapshots: a page per
 * source, the index and the people page. Pure and byte-deterministic: the
 * same snapshots (in any order, with lists in any order) and the same
 * identities give the same files.
 */
import { compareStrings } from '../diff/canonical.js'
import { joinPeople, sourceKey, type JoinOptions, type Person } from '../model/people.js'
import type { Snapshot } from '../model/types.js'
import { sourceFolder } from '../store/paths.js'
import { INDEX_PAGE, PEOPLE_PAGE, SOURCE_PAGE } from '../store/page-files.js'
import { createFormat } from './format.js'
import { indexDocument } from './index-page.js'
import { PAGE_LIMIT, sourcePageFiles } from './layout.js'
import { peoplePageFiles } from './people-page.js'
import { SourceView } from './source-view.js'

export interface State {
  /** In source order (`type/name`). */
  views: SourceView[]
  people: Person[]
}

/** Every source prepared for reading, and the people joined across them. */
export function prepareState(snapshots: readonly Snapshot[], options: JoinOptions = {}): State {
  const sorted = [...snapshots].sort((a, b) => compareStrings(sourceKey(a.source), sourceKey(b.source)))
  return { views: sorted.map((s) => new SourceView(s)), people: joinPeople(sorted, options) }
}

/** The page files, keyed by path relative to the snapshot folder; none when no source is stored. */
export function renderPages(state: State, limit = PAGE_LIMIT): Map<string, string> {
  const files = new Map<string, string>()
  if (state.views.length === 0) return files
  for (const view of state.views) {
    const folder = sourceFolder(view.snapshot.source)
    for (const [path, content] of sourcePageFiles(view, limit)) files.set(`${folder}/${path}`, content)
  }
  const toSource = (view: SourceView) => `${sourceFolder(view.snapshot.source)}/${SOURCE_PAGE}`
  files.set(INDEX_PAGE, indexDocument(state.views, createFormat('markdown'), { source: toSource, people: PEOPLE_PAGE }))
  for (const [path, content] of peoplePageFiles({ ...state, sourceHref: toSource }, limit)) files.set(path, content)
  return new Map([...files].sort(([a], [b]) => compareStrings(a, b)).map(([path, text]) => [path, oneNewline(text)]))
}

/** Blocks end in a blank line; a file ends in exactly one newline. */
export function oneNewline(text: string): string {
  // The common case, without copying a page of many megabytes.
  if (text.endsWith('\n\n') && !text.endsWith('\n\n\n')) return text.slice(0, -1)
  let end = text.length
  while (end > 0 && text.charCodeAt(end - 1) === 10) end--
  return `${text.slice(0, end)}\n`
}
