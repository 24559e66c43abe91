import { describe, expect, it } from 'vitest'
import { escapeMarkdown, plainText } from '../../src/report/markdown-escape.js'

const HOSTILE = [
  '<img src=x onerror=alert(1)>',
  '[x](javascript:alert(1))',
  '![x](https://evil.test/p.png)',
  '@everyone',
  'acme/@admins',
  '| a | b |',
  '```',
  '`code`',
  '<!--',
  '**bold** _it_ ~~strike~~',
  '# heading',
  '&lt;script&gt;',
  '$\\href{x}{y}$',
  'line1\nline2\r\n- item',
  '\u001b[31mred\u001b[0m',
  'abc\u202edcba',
  'a\u200b@b'
]

describe('escapeMarkdown', () => {
  it.each(HOSTILE)('leaves nothing active in %j', (input) => {
    const out = escapeMarkdown(input)
    // No raw HTML, no line breaks, no control or bidi characters.
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(out).not.toMatch(/[<>\n\r\u0000-\u001f\u202a-\u202e]/)
    // Every Markdown special character is escaped (preceded by a backslash).
    expect(out).not.toMatch(/(^|[^\\])[`*_[\]()#|~!$]/)
    // Every @ is followed by a zero-width space, and nothing else introduced one.
    expect(out.replace(/@\u200b/g, '')).not.toMatch(/[@\u200b]/)
  })

  it('keeps ordinary names readable', () => {
    expect(escapeMarkdown('deploy-bot')).toBe('deploy-bot')
    expect(escapeMarkdown('Bob Smith')).toBe('Bob Smith')
    expect(escapeMarkdown('acme/api.v2')).toBe('acme/api.v2')
  })

  it('escapes exactly, once', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert\\(1\\)&gt;')
    expect(escapeMarkdown('[x](javascript:alert(1))')).toBe('\\[x\\]\\(javascript\\:alert\\(1\\)\\)')
    expect(escapeMarkdown('| a | b |')).toBe('\\| a \\| b \\|')
    expect(escapeMarkdown('@everyone')).toBe('@\u200beveryone')
    expect(escapeMarkdown('"&amp;"')).toBe('&quot;&amp;amp;&quot;')
    expect(escapeMarkdown('a\\b')).toBe('a\\\\b')
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
