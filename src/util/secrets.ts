/**
 * Every credential the run reads is registered here so that no log line, error
 * message or report can carry it, whatever path the text took to get there.
 */
const secrets = new Set<string>()
let pattern: RegExp | undefined

export function registerSecret(value: string | undefined): void {
  // Very short values would redact ordinary words; real credentials are longer.
  if (!value || value.length < 4 || secrets.has(value)) return
  secrets.add(value)
  // A multi-line secret (a PEM private key) can leak one line at a time.
  if (value.includes('\n'))
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 8) secrets.add(line.trim())
  const escaped = [...secrets].sort((a, b) => b.length - a.length).map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  pattern = new RegExp(escaped.join('|'), 'g')
}

export function redact(text: string): string {
  return pattern ? text.replace(pattern, '***') : text
}
