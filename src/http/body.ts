/**
 * What an answer's body may contribute to an error message: the system's own
 * error text for JSON, and for an HTML page (a proxy, a single sign-on page,
 * a web server's 404) only its title, cleaned and capped. The page itself
 * never reaches a log line, an error or the report.
 */
import { redact } from '../util/secrets.js'

const TITLE_LENGTH = 80

const ENTITIES: Record<string, string> = { amp: '&', quot: "'", apos: "'", '#39': "'", '#x27': "'", nbsp: ' ' }

/** An HTML page by its type, or any body that opens with markup (servers label error pages carelessly). */
export function isHtml(contentType: string | null | undefined, text: string): boolean {
  if (contentType && /\b(text\/html|application\/xhtml\+xml)\b/i.test(contentType)) return true
  return /^\s*</.test(text)
}

/** `an HTML page titled "Sign in to your account"`, or `an HTML page without a title`. */
export function describeHtmlPage(text: string): string {
  const match = /<title[^>]*>([\s\S]*?)<\/title\s*>/i.exec(text)
  const title = match
    ? redact(
        match[1]!
          .replace(/<[^>]*>/g, ' ')
          .replace(/&(amp|quot|apos|#39|#x27|nbsp);/gi, (_, name: string) => ENTITIES[name.toLowerCase()]!)
          // Anything that could still open markup or a control sequence goes; the rest is plain text.
          .replace(/&[#\w]+;|[<>`\p{Cc}\p{Cf}]/gu, ' ')
          .replace(/\s+/g, ' ')
          .trim()
      )
    : ''
  if (!title) return 'an HTML page without a title'
  const capped = title.length > TITLE_LENGTH ? `${title.slice(0, TITLE_LENGTH - 1).trimEnd()}…` : title
  return `an HTML page titled "${capped.replace(/"/g, "'")}"`
}

/**
 * A short, secret-free excerpt of an error body, as the tail of "answered 401…":
 * systems often say what is wrong.
 */
export function summarizeBody(text: string, contentType?: string | null): string {
  if (isHtml(contentType, text)) return ` with ${describeHtmlPage(text)}`
  let message = text
  try {
    const parsed = JSON.parse(text) as Record<string, unknown>
    const candidate =
      parsed.ErrorMessage ??
      parsed.message ??
      parsed.Message ??
      parsed.error_description ??
      parsed.error ??
      parsed.title
    if (typeof candidate === 'string') message = candidate
    else if (Array.isArray(parsed) && typeof parsed[0]?.message === 'string') message = parsed[0].message
    // CyberArk EPM answers errors as `[{"ErrorCode": "...", "ErrorMessage": "..."}]`.
    else if (Array.isArray(parsed) && typeof parsed[0]?.ErrorMessage === 'string') message = parsed[0].ErrorMessage
  } catch {
    // not JSON: use the text as it is
  }
  message = redact(message.replace(/\s+/g, ' ').trim()).slice(0, 200)
  return message ? `: ${message}` : ''
}
