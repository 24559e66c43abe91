import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { asLinkText, escapeMarkdown, escapeMarkdownLine, plainText } from '../../src/report/markdown-escape.js'
import { renderGfm, tagsOf, textOf } from './gfm.js'

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '[x](javascript:alert(1))',
  '![x](https://evil.test/p.png)',
  '[x][1] [1]: https://evil.test',
  '[^note]',
  '<https://evil.test>',
  'https://evil.test/path',
  'see www.evil.test now',
  'ftp://evil.test',
  'mail ivan@example.com',
  '@everyone',
  'acme/@admins',
  '| a | b |',
  '```',
  '~~~',
  '`code`',
  '<!--',
  '**bold** _it_ ~~strike~~ ~single~',
  '__dunder__ *star*',
  '# heading',
  '> quote',
  '- item',
  '+ item',
  '1. item',
  '2) item',
  '---',
  '===',
  '&lt;script&gt;',
  '&#60;b&#62;',
  '$\\href{x}{y}$',
  'line1\nline2\r\n- item',
  '\u001b[31mred\u001b[0m',
  'abc\u202edcba',
  'a\u200b@b',
  'trailing backslash\\',
  '\\*not bold\\*'
]

/** The contexts the report puts system strings in, each with the elements it produces itself. */
const CONTEXTS: Array<[name: string, wrap: (s: string) => string, own: string[]]> = [
  ['a list item', (s) => `- 🔴 **Critical** ${escapeMarkdown(s)}\n`, ['ul', 'li', 'strong']],
  [
    'a table cell',
    (s) => `| A | B |\n| --- | --- |\n| ${escapeMarkdown(s)} | x |\n`,
    ['table', 'thead', 'tr', 'th', 'tbody', 'td']
  ],
  ['a paragraph', (s) => `${escapeMarkdownLine(s)}\n`, ['p']],
  // The state pages link names to their pages: a `]` in the name must not end the link text.
  ['a link text', (s) => `- [${asLinkText(escapeMarkdown(s))}](pages/groups/x.md)\n`, ['ul', 'li', 'a']],
  ['a heading', (s) => `## ${escapeMarkdown(s)}\n`, ['h2']]
]

/** What the reader must see: the sanitized string, with only a zero-width space after a mention's `@`. */
function expectRendersAsText(input: string) {
  const expected = plainText(input)
  for (const [name, wrap, own] of CONTEXTS) {
    const html = renderGfm(wrap(input))
    const tags = tagsOf(html)
    expect(
      tags.filter((t) => !own.includes(t)),
      `${name}: ${html}`
    ).toEqual([])
    if (name === 'a link text')
      expect(
        [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]),
        `${name}: ${html}`
      ).toEqual(['pages/groups/x.md'])
    if (name === 'a table cell')
      expect(
        tags.filter((t) => t === 'td'),
        `${name}: ${html}`
      ).toHaveLength(2)
    const text = textOf(html).replace(/\u200b/g, '')
    expect(text, `${name}: ${html}`).toContain(expected)
  }
}

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('renders %j as exactly its text, with no element of its own', (input) => {
    expectRendersAsText(input)
  })

  it('renders any string of Markdown punctuation, letters and spaces as exactly its text', () => {
    const char = fc.constantFrom(
      ...'\\`*_~[]()!<>#|&;:/.@$^{}"\'=+-0123456789 abwWxh'.split(''),
      'www.',
      'http://',
      '&amp;',
      '<!--'
    )
    fc.assert(
      fc.property(fc.array(char, { maxLength: 30 }), (chars) => expectRendersAsText(chars.join(''))),
      { numRuns: 500 }
    )
  })

  it('suppresses a mention only where GitHub would notify: an @ that starts a word', () => {
    expect(escapeMarkdown('@everyone and @org/team')).toBe('@\u200beveryone and @\u200borg/team')
    expect(escapeMarkdown('(@bob)')).toBe('(@\u200bbob)')
    // An email address mentions nobody: no zero-width space inside it, and it renders as plain text.
    expect(escapeMarkdown('ivan@example.com')).toBe('ivan\\@example.com')
    expect(textOf(renderGfm(escapeMarkdown('by ivan@example.com')))).toBe('by ivan@example.com\n')
    expect(escapeMarkdown('a @ b')).toBe('a @ b')
  })

  it('keeps ordinary names readable: no escape GitHub would not need', () => {
    for (const name of [
      'deploy-bot',
      'Bob Smith',
      'acme/api.v2',
      'snake_case_name',
      'member (read) to owner',
      'Time 2026-12-04T02:43:36.302Z',
      'group devs: write; "quoted" #team ^x {y} !',
      'Project deployer > 3'
    ])
      expect(escapeMarkdown(name)).toBe(name)
  })

  it('escapes exactly, once', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('\\<img src=x onerror=alert(1)>')
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('\\[x](javascript:alert(1))')
    expect(escapeMarkdown('| a | b |')).toBe('\\| a \\| b \\|')
    expect(escapeMarkdown('"&amp;" & co')).toBe('"\\&amp;" & co')
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b')
    expect(escapeMarkdown('https://x.test and www.x.test')).toBe('https\\://x.test and www\\.x.test')
    expect(escapeMarkdown('_x_ a_b')).toBe('\\_x\\_ a_b')
    expect(escapeMarkdownLine('# title')).toBe('\\# title')
    expect(escapeMarkdownLine('12. item')).toBe('12\\. item')
    expect(escapeMarkdownLine('Note: fine')).toBe('Note: fine')
  })

  it('collapses newlines and control characters to single spaces', () => {
    expect(escapeMarkdown('line1\n\n  line2\tend')).toBe('line1 line2 end')
    expect(plainText('\u001b[2Jclear')).toBe('[2Jclear')
  })

  it('cuts very long strings', () => {
    expect(plainText('x'.repeat(500))).toHaveLength(200)
    expect(plainText('x'.repeat(500)).endsWith('…')).toBe(true)
  })
})
