/** GitHub refuses pull request bodies longer than this (reference github.md §9.1). */
export const MAX_PULL_REQUEST_BODY = 65_536

const NOTICE =
  '\n\n…\n\n_The report was cut to fit GitHub’s limit on pull request bodies; every change is in **Files changed**._\n'

/**
 * The body as GitHub will accept it: unchanged when it fits, else cut at the
 * last line break before the limit, with a notice. The report renderer
 * already keeps to the limit; this is the last guard before the request.
 */
export function limitBody(body: string, max = MAX_PULL_REQUEST_BODY): string {
  if (body.length <= max) return body
  let cut = body.slice(0, max - NOTICE.length)
  const lineBreak = cut.lastIndexOf('\n')
  if (lineBreak > 0) cut = cut.slice(0, lineBreak)
  // Never leave half of a surrogate pair at the end.
  else if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1)
  return cut + NOTICE
}
