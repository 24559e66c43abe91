export interface Page<T> {
  items: T[]
  /** Cursor of the next page (a URL, an offset); absent on the last page. */
  next?: string
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
  let cursor: string | undefined = first
  while (cursor !== undefined) {
    if (seen.has(cursor))
      throw new Error(`Paging ${what} looped back to a page it already read (${cursor}); the list would be incomplete`)
    if (seen.size >= maxPages) throw new Error(`Paging ${what} went past ${maxPages} pages; stopping`)
    seen.add(cursor)
    const page: Page<T> = await fetchPage(cursor)
    items.push(...page.items)
    cursor = page.next
  }
  return items
}
