/**
 * Every string that comes from a system (names, logins, descriptions, error
 * messages, audit-event text) is hostile: it goes through `escapeMarkdown`
 * before it reaches a PR body, and through `plainText` before it reaches a
 * terminal.
 */

// C0/C1 controls (ANSI escapes start with one), line and paragraph separators,
// and bidirectional overrides that make text display in another order than it reads.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\s]+/g
// Zero-width characters would only hide themselves (and could fake our own U+200B after `@`).
const INVISIBLE = /[\u200b-\u200d\u2060\ufeff]/g

/** Longest system string the report shows; longer ones are cut with `…`. */
export const MAX_TEXT_LENGTH = 200

/** One line of plain text: controls and line breaks collapsed to single spaces, cut at `maxLength`. */
export function plainText(text: string, maxLength = MAX_TEXT_LENGTH): string {
  const line = text.replace(INVISIBLE, '').replace(CONTROLS, ' ').trim()
  return line.length > maxLength ? `${line.slice(0, maxLength - 1).trimEnd()}…` : line
}

/**
 * What GitHub's Markdown would read as markup in one line of inline text, and
 * nothing else, so the raw body stays readable:
 * - `\` and `` ` `` (escapes, code spans), `*` and `~` (emphasis, strikethrough),
 *   `[` (links, images, footnotes: without it `]`, `(` and `!` are plain text,
 *   except inside the text of a link of ours: see `asLinkText`),
 *   `|` (a table cell's end), `<` (HTML, comments, autolinks), `$` (math);
 * - `_` except inside a word (`snake_case` cannot open emphasis);
 * - `&` where it would start a character reference (`&amp;`, `&#35;`);
 * - `:` before `//` and the `.` of a `www.` (bare URLs GitHub would link);
 * - `@` after a word character (an email address, which GitHub would link as
 *   mailto:), and a zero-width space after an `@` that starts a word: there
 *   GitHub would read a mention and notify (`@org/team`, `@everyone`). Only
 *   the zero-width space stops a mention: GitHub finds them in the rendered
 *   text, after escapes are gone.
 */
const INLINE =
  /[\\`*~[|<$]|(?<![\p{L}\p{N}])_|_(?![\p{L}\p{N}])|&(?=#|[A-Za-z0-9]+;)|:(?=\/\/)|(?<=(?:^|[^\p{L}\p{N}])[Ww]{3})\.|@/gu

function escapeInline(line: string): string {
  return line.replace(INLINE, (c, offset: number) => {
    if (c !== '@') return `\\${c}`
    const before = line[offset - 1]
    // GitHub's mention pattern: `@` not preceded by a word character, then a login.
    if (before !== undefined && /[A-Za-z0-9_]/.test(before)) return '\\@'
    return /^[A-Za-z0-9]/.test(line.slice(offset + 1)) ? '@\u200b' : '@'
  })
}

// What opens a block at the start of a line: a heading, quote, list item or
// thematic break, a setext underline, an indented or fenced code block (the
// fence characters are escaped inline), an HTML block (`<` is escaped inline).
const BLOCK_START = /^(#|>|[-+=]|\d{1,9}(?=[.)]))/

/** Inline Markdown text that renders exactly as the given string, on one line. */
export function escapeMarkdown(text: string, maxLength = MAX_TEXT_LENGTH): string {
  // A heading drops a closing run of `#`: one at the end, after a space, would vanish from a title.
  return escapeInline(plainText(text, maxLength)).replace(/(^|\s)(#+)$/, '$1\\$2')
}

/** The same, for text that starts a line (a paragraph): nothing in it may open a block either. */
export function escapeMarkdownLine(text: string, maxLength = MAX_TEXT_LENGTH): string {
  return escapeMarkdown(text, maxLength).replace(BLOCK_START, (start) =>
    /^\d/.test(start) ? `${start}\\` : `\\${start}`
  )
}

/**
 * Escaped inline text (`escapeMarkdown`'s) made safe as the text of a link of
 * ours, `[text](href)`: there a `]` would end the text early and turn what
 * follows into the link, and renderers differ in how they read escaped
 * brackets (marked re-reads `!\\[x](url)` as an image), so `]`, `!`, `(` and
 * `)` are escaped too and nothing in the text can look like a link or image.
 */
export function asLinkText(escaped: string): string {
  return escaped.replace(/[\]!()]/g, '\\$&')
}
