/**
 * The snapshot folder holds two kinds of files: the state (YAML, read and
 * written by the store) and the pages (Markdown generated from the state for
 * people to read). Pages are never state: the store neither parses nor
 * deletes them, and comparing two states ignores them.
 *
 * Pages: `README.md`, `people.md` and `people/*.md` at the root of the
 * folder; `README.md` and everything under `pages/` in a source's folder.
 */
export const INDEX_PAGE = 'README.md'
export const PEOPLE_PAGE = 'people.md'
export const PEOPLE_FOLDER = 'people'
export const SOURCE_PAGE = 'README.md'
export const SOURCE_PAGE_FOLDER = 'pages'

/** A path relative to a source's folder (`README.md`, `pages/groups/x.md`) that is a page. */
export function isSourcePage(path: string): boolean {
  return path === SOURCE_PAGE || path.startsWith(`${SOURCE_PAGE_FOLDER}/`)
}

/** A path relative to the snapshot folder that is a page. */
export function isPage(path: string): boolean {
  const parts = path.split('/')
  if (parts.length === 1) return path === INDEX_PAGE || path === PEOPLE_PAGE
  if (parts.length === 2) return parts[0] === PEOPLE_FOLDER
  return isSourcePage(parts.slice(2).join('/'))
}
