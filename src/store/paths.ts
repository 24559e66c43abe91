import { createHash } from 'node:crypto'
import type { SourceRef } from '../model/types.js'

/** Longest file or folder name the store produces, in bytes (slugs are ASCII, so also in characters). */
export const MAX_SEGMENT_BYTES = 100

/** Room for the name part of a file name, leaving space for `~<id>` and `.yaml`. */
const NAME_LENGTH = 60
const ID_LENGTH = 30
const HASH_LENGTH = 16

/** Device names Windows reserves with any extension (`nul.yaml` cannot be checked out there). */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(?=\.|$)/i

/**
 * Turns a name from an API into a safe file-name segment: ASCII letters,
 * digits, `.`, `_` and `-` only (diacritics are dropped, `é` → `e`; other
 * characters become `-`), no leading dot or dash (no hidden files, nothing
 * that reads as a command-line option, no `.`/`..`), no trailing dot (Windows
 * drops it), no Windows device name, at most `maxLength` characters. May be
 * empty: the caller then names the file after the entity's id.
 *
 * ASCII only on purpose: case folding and Unicode normalization differ between
 * file systems (macOS stores NFD), so non-ASCII names could collide on checkout
 * in ways we cannot detect here. `~` never appears: it separates the id suffix.
 */
export function slug(name: string, maxLength = NAME_LENGTH): string {
  const ascii = name.normalize('NFKD').replace(/\p{M}+/gu, '')
  const safe = ascii
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[.-]+/, '')
    // One character is kept free for the `_` that defuses a device name.
    .slice(0, Math.min(maxLength, MAX_SEGMENT_BYTES) - 1)
    .replace(/[.-]+$/, '')
  return safe.replace(WINDOWS_RESERVED, '$1_')
}

/**
 * Assigns every entity of one folder a unique file-name segment (no extension):
 * the slug of its name; where slugs collide case-insensitively (macOS and
 * Windows checkouts) or the slug is empty, the slug plus `~` plus the slug of
 * the id; where even those collide (ids that differ only in case or in
 * characters a slug drops), the slug plus `~~` plus a hash of the id. Each
 * decision depends only on the set of entities, never on their order.
 *
 * The three forms cannot collide with each other: plain slugs contain no `~`,
 * id-suffixed ones exactly one, hashed ones `~~`. Ids must be unique.
 */
export function assignFileNames(entities: readonly { id: string; name: string }[]): Map<string, string> {
  const bases = new Map<string, string>()
  for (const { id, name } of entities) {
    if (bases.has(id)) throw new Error(`two entities of one folder share the id ${JSON.stringify(id)}`)
    bases.set(id, slug(name))
  }
  const plainCounts = countBy(bases.values())
  const names = new Map<string, string>()
  for (const [id, base] of bases) {
    if (base !== '' && plainCounts.get(base.toLowerCase()) === 1) names.set(id, base)
    else {
      const idSlug = slug(id, ID_LENGTH)
      names.set(id, idSlug === '' ? hashed(base, id) : `${base}~${idSlug}`)
    }
  }
  const suffixedCounts = countBy([...names.values()].filter((name) => name.includes('~')))
  for (const [id, name] of names) {
    if ((suffixedCounts.get(name.toLowerCase()) ?? 0) > 1) names.set(id, hashed(bases.get(id) as string, id))
  }
  const finalCounts = countBy(names.values())
  for (const name of names.values()) {
    // Only a 64-bit hash collision gets here; fail rather than overwrite one entity's file with another's.
    if ((finalCounts.get(name.toLowerCase()) ?? 0) > 1)
      throw new Error(`cannot give entities unique file names: ${name}`)
  }
  return names
}

// UTF-16 code units, not UTF-8: UTF-8 would encode every lone surrogate as the same U+FFFD.
function hashed(base: string, id: string): string {
  return `${base}~~${createHash('sha256').update(Buffer.from(id, 'utf16le')).digest('hex').slice(0, HASH_LENGTH)}`
}

function countBy(names: Iterable<string>): Map<string, number> {
  const counts = new Map<string, number>()
  for (const name of names) {
    const key = name.toLowerCase()
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return counts
}

/** A source's folder, `<type>/<name>`, relative to the snapshot root: both segments slugged (valid instance names pass unchanged). */
export function sourceFolder(source: SourceRef): string {
  const type = slug(source.type, MAX_SEGMENT_BYTES)
  const name = slug(source.name, MAX_SEGMENT_BYTES)
  if (type === '' || name === '') {
    throw new Error(`source ${JSON.stringify(`${source.type}/${source.name}`)} has no usable folder name`)
  }
  return `${type}/${name}`
}
