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

const REPLACEMENTS: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  // After every `@` a zero-width space, so `@org/team` or `@everyone` notifies nobody.
  '@': '@\u200b'
}

// Markdown punctuation that can start emphasis, code, links, images, headings,
// tables, strikethrough, math, HTML or an autolink scheme; a backslash makes each literal.
const SPECIAL = /[&<>"@\\`*_[\]()#|~!{}$:^]/g

/** Inline Markdown text that renders exactly as the given string, on one line. */
export function escapeMarkdown(text: string, maxLength = MAX_TEXT_LENGTH): string {
  return plainText(text, maxLength).replace(SPECIAL, (c) => REPLACEMENTS[c] ?? `\\${c}`)
}
