/**
 * A canonical JSON text of a model value: object keys sorted, absent and
 * `undefined` fields dropped, and every array sorted, because every list in
 * the normalized model is a set (members, permissions, restriction values).
 * Two values with the same canonical text are the same permission state, so
 * a reordered API response never shows up as a change.
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).sort().join(',')}]`
  const record = value as Record<string, unknown>
  const parts: string[] = []
  for (const key of Object.keys(record).sort()) {
    if (record[key] !== undefined) parts.push(`${JSON.stringify(key)}:${canonicalJson(record[key])}`)
  }
  return `{${parts.join(',')}}`
}

/** Code-unit order: the same on every machine and locale, unlike `localeCompare`. */
export function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Whether two model values are the same state, like comparing their
 * `canonicalJson` but without building strings in the common case where
 * lists are in the same order (most of a 200,000-grant diff is unchanged).
 */
export function sameState(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    if (a.every((item, i) => sameState(item, b[i]))) return true
    return canonicalJson(a) === canonicalJson(b)
  }
  const x = a as Record<string, unknown>
  const y = b as Record<string, unknown>
  for (const key in x) if (x[key] !== undefined && !sameState(x[key], y[key])) return false
  for (const key in y) if (y[key] !== undefined && x[key] === undefined) return false
  return true
}
