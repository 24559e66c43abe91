/**
 * The output formats of the state pages. A view says what to show (headings,
 * paragraphs, lists, tables of cells); a format says how, and escapes every
 * system string for where it goes: Markdown for the committed pages (as the
 * report escapes it), plain text for a terminal, Confluence storage format
 * (XHTML) for the Confluence publisher. Views never build markup themselves.
 */
import { asLinkText, escapeMarkdown, MAX_TEXT_LENGTH, plainText } from '../report/markdown-escape.js'

/**
 * A piece of inline content. A bare string is system text, escaped. `Styled`
 * is system text with a link or emphasis: the link's `href` is ours (a
 * relative path the pages layout built, never a system string), `max` raises
 * the length cap for long lists such as a role's permissions. `Own` is this
 * tool's fixed wording and numbers: written as it is in Markdown and text so
 * the committed pages read cleanly in a diff (it must hold no Markdown
 * syntax), and still escaped for XHTML.
 */
export type Inline = string | Styled | Own
export interface Styled {
  text: string
  href?: string
  strong?: boolean
  max?: number
}
export interface Own {
  own: string
}
export type Cell = Inline | readonly Inline[]

/** Our own wording (see `Own`). */
export function own(text: string | number): Own {
  return { own: String(text) }
}

export interface Column {
  /** Escaped like any cell: a column may be named after a source. */
  title: Cell
  align?: 'right'
}

export type FormatName = 'markdown' | 'text' | 'storage'

export interface Format {
  readonly name: FormatName
  heading(level: 1 | 2 | 3 | 4, content: Cell): string
  paragraph(content: Cell): string
  list(items: readonly Cell[]): string
  table(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string
  /** A fixed block of our own text (the layout sketch), shown as it is. */
  code(text: string): string
}

export function createFormat(name: FormatName): Format {
  if (name === 'markdown') return new MarkdownFormat()
  if (name === 'text') return new TextFormat()
  return new StorageFormat()
}

/** Escapes through a cache: pages repeat the same names hundreds of thousands of times. */
abstract class CachedFormat {
  private readonly cache = new Map<string, string>()

  protected abstract escapeText(text: string, max: number): string
  protected abstract decorate(part: Styled, escaped: string): string
  protected abstract ownText(text: string): string

  protected inline(content: Cell): string {
    if (typeof content === 'string') {
      // The hot path of a large page: one lookup per cell.
      const hit = this.cache.get(content)
      return hit === undefined ? this.escaped(content, MAX_TEXT_LENGTH) : hit
    }
    if (!Array.isArray(content)) return this.part(content as Styled | Own)
    let out = ''
    for (const part of content as readonly Inline[])
      out += typeof part === 'string' ? this.escaped(part, MAX_TEXT_LENGTH) : this.part(part)
    return out
  }

  private part(part: Styled | Own): string {
    if ('own' in part) return this.ownText(part.own)
    return this.decorate(part, this.escaped(part.text, part.max ?? MAX_TEXT_LENGTH))
  }

  private escaped(text: string, max: number): string {
    const key = max === MAX_TEXT_LENGTH ? text : `${max}\u0000${text}`
    let value = this.cache.get(key)
    if (value === undefined) {
      value = this.escapeText(text, max)
      this.cache.set(key, value)
    }
    return value
  }
}

class MarkdownFormat extends CachedFormat implements Format {
  readonly name = 'markdown'

  protected escapeText(text: string, max: number): string {
    return escapeMarkdown(text, max)
  }

  protected decorate(part: Styled, escaped: string): string {
    const text = part.strong ? `**${escaped}**` : escaped
    return part.href === undefined ? text : `[${asLinkText(text)}](${encodeURI(part.href)})`
  }

  protected ownText(text: string): string {
    return text
  }

  heading(level: 1 | 2 | 3 | 4, content: Cell): string {
    return `${'#'.repeat(level)} ${this.inline(content)}\n\n`
  }

  paragraph(content: Cell): string {
    return `${this.inline(content)}\n\n`
  }

  list(items: readonly Cell[]): string {
    return `${items.map((item) => `- ${this.inline(item)}\n`).join('')}\n`
  }

  table(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
    // Lines joined once: appending to one string a million times builds a rope that holds far more memory.
    const lines = [
      `| ${columns.map((c) => this.inline(c.title)).join(' | ')} |`,
      `|${columns.map((c) => (c.align === 'right' ? '---:' : '---')).join('|')}|`
    ]
    for (const row of rows) {
      let line = '|'
      for (const cell of row) line += ` ${this.inline(cell)} |`
      lines.push(line)
    }
    lines.push('', '')
    return lines.join('\n')
  }

  code(text: string): string {
    return `\`\`\`\n${text}\n\`\`\`\n\n`
  }
}

class TextFormat extends CachedFormat implements Format {
  readonly name = 'text'

  protected escapeText(text: string, max: number): string {
    return plainText(text, max)
  }

  protected decorate(_part: Styled, escaped: string): string {
    return escaped
  }

  protected ownText(text: string): string {
    return text
  }

  heading(level: 1 | 2 | 3 | 4, content: Cell): string {
    const text = this.inline(content)
    const underline = level === 1 ? '=' : level === 2 ? '-' : ''
    return underline ? `${text}\n${underline.repeat(Math.max(3, text.length))}\n\n` : `${text}\n\n`
  }

  paragraph(content: Cell): string {
    return `${this.inline(content)}\n\n`
  }

  list(items: readonly Cell[]): string {
    return `${items.map((item) => `  - ${this.inline(item)}\n`).join('')}\n`
  }

  table(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
    const titles = columns.map((c) => this.inline(c.title))
    const cells = rows.map((row) => row.map((cell) => this.inline(cell)))
    // A loop, not Math.max(...): a table can have more rows than a call has room for arguments.
    const widths = titles.map((title, i) => {
      let width = title.length
      for (const row of cells) width = Math.max(width, (row[i] ?? '').length)
      return width
    })
    const line = (values: readonly string[]) =>
      `  ${values
        .map((v, i) => (columns[i]?.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
        .join('  ')
        .trimEnd()}\n`
    return `${line(titles)}${line(widths.map((w) => '-'.repeat(w)))}${cells.map(line).join('')}\n`
  }

  code(text: string): string {
    return `${text}\n\n`
  }
}

// XML 1.0 allows no C0 controls but tab and line breaks (plainText already collapsed those to
// spaces), no lone surrogates and neither U+FFFE nor U+FFFF.
const NOT_XML = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]|[\ufffe\uffff]/g
const XML_SPECIAL = /[&<>"']/g
const XML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

/** Our text and system text alike, made safe as XHTML character data or an attribute value. */
export function escapeXml(text: string): string {
  return text.replace(NOT_XML, '\ufffd').replace(XML_SPECIAL, (c) => XML_ENTITIES[c]!)
}

/**
 * Confluence storage format: XHTML whose elements Confluence renders and
 * whose `ac:`/`ri:` elements are macros and links. Every character that could
 * open an element or an entity is escaped, so no system string can become a
 * macro; relative links (to files in the snapshot repository) mean nothing in
 * Confluence and are left as text.
 */
class StorageFormat extends CachedFormat implements Format {
  readonly name = 'storage'

  protected escapeText(text: string, max: number): string {
    return escapeXml(plainText(text, max))
  }

  protected ownText(text: string): string {
    return escapeXml(text)
  }

  protected decorate(part: Styled, escaped: string): string {
    const text = part.strong ? `<strong>${escaped}</strong>` : escaped
    return part.href !== undefined && /^https?:\/\//.test(part.href)
      ? `<a href="${escapeXml(part.href)}">${text}</a>`
      : text
  }

  heading(level: 1 | 2 | 3 | 4, content: Cell): string {
    return `<h${level}>${this.inline(content)}</h${level}>`
  }

  paragraph(content: Cell): string {
    return `<p>${this.inline(content)}</p>`
  }

  list(items: readonly Cell[]): string {
    return `<ul>${items.map((item) => `<li>${this.inline(item)}</li>`).join('')}</ul>`
  }

  table(columns: readonly Column[], rows: readonly (readonly Cell[])[]): string {
    let out = `<table><tbody><tr>${columns.map((c) => `<th>${this.inline(c.title)}</th>`).join('')}</tr>`
    for (const row of rows) out += `<tr>${row.map((cell) => `<td>${this.inline(cell)}</td>`).join('')}</tr>`
    return `${out}</tbody></table>`
  }

  code(text: string): string {
    return `<pre>${escapeXml(text)}</pre>`
  }
}
