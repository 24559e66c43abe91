/**
 * Checked access to the fields of parsed files and of model objects handed to
 * the store. Every failure names where it happened (file and path inside it)
 * and what is wrong, so a hand-edited or corrupted file can be fixed quickly.
 */

export type Fields = Record<string, unknown>

/**
 * Where a value sits: a file or object name ending in `:` for the top level
 * (`groups/admins.yaml:`), then a path into it (`groups/admins.yaml: members[2].role`).
 */
export function at(where: string, key: string | number): string {
  if (typeof key === 'number') return where.endsWith(':') ? `${where} [${key}]` : `${where}[${key}]`
  return where.endsWith(':') ? `${where} ${key}` : `${where}.${key}`
}

export function fail(where: string, problem: string): never {
  throw new Error(`${where.endsWith(':') ? where : `${where}:`} ${problem}`)
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'a list'
  return typeof value === 'object' ? 'a mapping' : `${typeof value} ${quote(value)}`
}

/** Quoted and cut short: a value in an error message is there to be recognized, not reproduced. */
export function quote(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** A mapping; with `allowed`, one with no other keys (undefined values count as absent). */
export function mapping(value: unknown, where: string, allowed?: readonly string[]): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(where, `expected a mapping, found ${describe(value)}`)
  }
  if (!allowed) return value as Fields
  const fields = value as Fields
  for (const key of Object.keys(fields)) {
    if (fields[key] !== undefined && !allowed.includes(key)) fail(where, `unknown field ${quote(key)}`)
  }
  return value as Fields
}

export function list(fields: Fields, key: string, where: string): unknown[] {
  const value = fields[key]
  if (!Array.isArray(value)) fail(at(where, key), `expected a list, found ${describe(value)}`)
  return value
}

export function string(fields: Fields, key: string, where: string): string {
  const value = fields[key]
  if (typeof value !== 'string') fail(at(where, key), `expected a string, found ${describe(value)}`)
  return value
}

export function optionalString(fields: Fields, key: string, where: string): string | undefined {
  return fields[key] === undefined ? undefined : string(fields, key, where)
}

export function optionalBoolean(fields: Fields, key: string, where: string): boolean | undefined {
  const value = fields[key]
  if (value === undefined || typeof value === 'boolean') return value
  fail(at(where, key), `expected true or false, found ${describe(value)}`)
}

export function oneOf<T extends string>(fields: Fields, key: string, where: string, allowed: readonly T[]): T {
  const value = string(fields, key, where)
  if (!(allowed as readonly string[]).includes(value)) {
    fail(at(where, key), `expected one of ${allowed.join(', ')}, found ${quote(value)}`)
  }
  return value as T
}

export function optionalOneOf<T extends string>(
  fields: Fields,
  key: string,
  where: string,
  allowed: readonly T[]
): T | undefined {
  return fields[key] === undefined ? undefined : oneOf(fields, key, where, allowed)
}

/** A list of strings, sorted (code-unit order, independent of locale). */
export function sortedStrings(fields: Fields, key: string, where: string): string[] {
  const items = list(fields, key, where)
  items.forEach((item, i) => {
    if (typeof item !== 'string') fail(at(at(where, key), i), `expected a string, found ${describe(item)}`)
  })
  return (items as string[]).slice().sort()
}

/** An optional list of strings, sorted; absent when empty (an empty optional list says nothing). */
export function optionalSortedStrings(fields: Fields, key: string, where: string): string[] | undefined {
  if (fields[key] === undefined) return undefined
  const items = sortedStrings(fields, key, where)
  return items.length > 0 ? items : undefined
}

/**
 * A free-form map, rebuilt with sorted keys; absent when empty. `Object.fromEntries`
 * defines keys as own properties, so even a key named `__proto__` survives.
 */
export function sortedMap<V>(
  fields: Fields,
  key: string,
  where: string,
  item: (value: unknown, where: string) => V
): Record<string, V> | undefined {
  const value = fields[key]
  if (value === undefined) return undefined
  const map = mapping(value, at(where, key))
  const keys = Object.keys(map).filter((k) => map[k] !== undefined)
  if (keys.length === 0) return undefined
  return Object.fromEntries(keys.sort().map((k) => [k, item(map[k], `${at(where, key)}[${quote(k)}]`)]))
}

export function stringValue(value: unknown, where: string): string {
  if (typeof value !== 'string') fail(where, `expected a string, found ${describe(value)}`)
  return value
}

/** A list of strings inside a map (restriction values): sorted, and kept even when empty. */
export function sortedStringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value)) fail(where, `expected a list, found ${describe(value)}`)
  return value.map((item, i) => stringValue(item, at(where, i))).sort()
}

/** Copies the defined entries in the order written, so key order is fixed by the caller's code. */
export function compact<T extends object>(value: T): T {
  const result: Fields = {}
  for (const key of Object.keys(value)) {
    const item = (value as Fields)[key]
    if (item !== undefined) result[key] = item
  }
  return result as T
}
