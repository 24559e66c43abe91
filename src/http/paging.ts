import { currentActivity } from './activity.js'

export interface Page<T> {
  items: T[]
  /** Cursor of the next page (a URL, an offset); absent on the last page. */
  next?: string
  /** Items the whole collection holds, where the system announces it: progress then says how many pages are left. */
  total?: number
}

/**
 * Walks a paged collection from `first` until the server stops giving a next
 * cursor. A cursor seen twice means the server is looping: fail instead of
 * spinning, since a silently truncated list would read as revoked access.
 */
export async function collectPages<T>(
  what: string,
  first: string,
  fetchPage: (cursor: string) => Promise<Page<T>>,
  maxPages = 100_000
): Promise<T[]> {
  const seen = new Set<string>()
  const items: T[] = []
  const activity = currentActivity()
  let cursor: string | undefined = first
  while (cursor !== undefined) {
    if (seen.has(cursor))
      throw new Error(`Paging ${what} looped back to a page it already read (${cursor}); the list would be incomplete`)
    if (seen.size >= maxPages) throw new Error(`Paging ${what} went past ${maxPages} pages; stopping`)
    seen.add(cursor)
    const page: Page<T> = await fetchPage(cursor)
    // One by one: `push(...page.items)` would put a whole page on the call stack, and pages have no upper bound.
    for (const item of page.items) items.push(item)
    cursor = page.next
    activity?.paged(what, cursor === undefined ? 0 : pagesLeft(page, items.length))
  }
  return items
}

/** Pages still to read at the size of the last one, when the collection's size is known. */
function pagesLeft(page: Page<unknown>, read: number): number | undefined {
  if (page.total === undefined || page.items.length === 0) return undefined
  return Math.max(1, Math.ceil((page.total - read) / page.items.length))
}
