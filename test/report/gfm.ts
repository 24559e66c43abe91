/**
 * GitHub-flavoured Markdown rendered by a real renderer (marked, GFM on), so
 * tests check what a reviewer sees: the elements a body produces and the text
 * it reads as, not the raw Markdown.
 */
import { marked } from 'marked'

export function renderGfm(markdown: string): string {
  return marked.parse(markdown, { gfm: true, async: false })
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"' }

/** The text a reader sees: tags dropped, character references decoded (once, as a browser does). */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, '')
    .replace(/&(?:(amp|lt|gt|quot)|#(\d+)|#x([0-9a-f]+));/gi, (_, name?: string, dec?: string, hex?: string) =>
      name ? ENTITIES[name.toLowerCase()]! : String.fromCodePoint(dec ? Number(dec) : parseInt(hex!, 16))
    )
}

/** The element names of the rendered HTML, in order, opening tags only. */
export function tagsOf(html: string): string[] {
  return [...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)\b/g)].map((m) => m[1]!.toLowerCase())
}
