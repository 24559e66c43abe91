/**
 * One person, all systems: principals of different sources joined into
 * people. Two accounts are the same person when
 * - their stored email addresses are equal (case-insensitively), as each
 *   source stores them: under `emails: hash` the same address has the same
 *   fingerprint everywhere, under `redact` there is none to join by; or
 * - the config's `identities` map names both under one address, or names one
 *   and the other's stored email is that address (as its source stores it).
 *
 * Names alone never join: `admin` in one system and `admin` in another are
 * not known to be one person.
 */
import { compareStrings } from '../diff/canonical.js'
import type { Principal, Snapshot, SourceRef } from './types.js'

/**
 * `identities:` from the config: a person's address → accounts, keyed by
 * source instance (`github/acme`) or by source type (`github`, every instance
 * of that type), each a login (or id) or a list of them.
 */
export type Identities = Record<string, Record<string, string | string[]>>

export interface Account {
  source: SourceRef
  principal: Principal
}

export interface Person {
  /** What the person is listed as: the address (as the pages may show it), else the login. */
  label: string
  /** In source order (as given), then by login. */
  accounts: Account[]
  /** Accounts the identities map names in a stored source that does not have them. */
  missing: { source: SourceRef; login: string }[]
}

export interface JoinOptions {
  identities?: Identities
  /**
   * A text as a source stores it, its `emails` policy applied (addresses
   * replaced by their fingerprints under `hash` and `redact`): the identities
   * map is written with addresses, the snapshot may hold fingerprints.
   */
  storedAs?: (source: SourceRef, text: string) => string
  /** How a person known by an identities address is labelled (the top-level `emails` policy). */
  label?: (email: string) => string
}

/** People, sorted by label (then by their first account), each account in exactly one person. */
export function joinPeople(snapshots: readonly Snapshot[], options: JoinOptions = {}): Person[] {
  const sources = [...snapshots].sort((a, b) => compareStrings(sourceKey(a.source), sourceKey(b.source)))
  const accounts: Account[] = []
  const indexes = sources.map((snapshot) => {
    const byName = new Map<string, number[]>()
    const byId = new Map<string, number[]>()
    const byEmail = new Map<string, number[]>()
    const principals = [...snapshot.principals].sort(
      (a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id)
    )
    for (const principal of principals) {
      const i = accounts.push({ source: snapshot.source, principal }) - 1
      push(byName, principal.name.toLowerCase(), i)
      push(byId, principal.id, i)
      const email = normalEmail(principal.email)
      if (email) push(byEmail, email, i)
    }
    return { source: snapshot.source, byName, byId, byEmail }
  })
  const sets = new DisjointSets(accounts.length)
  const everyEmail = new Map<string, number[]>()
  for (const { byEmail } of indexes)
    for (const [email, list] of byEmail) for (const i of list) push(everyEmail, email, i)
  for (const list of everyEmail.values()) for (const i of list) sets.union(list[0]!, i)

  const entries = Object.entries(options.identities ?? {}).sort(([a], [b]) => compareStrings(a, b))
  const named: { email: string; members: number[]; missing: { source: SourceRef; login: string }[] }[] = []
  for (const [email, map] of entries) {
    const members: number[] = []
    const missing: { source: SourceRef; login: string }[] = []
    for (const index of indexes) {
      const stored = (text: string) => (options.storedAs ? options.storedAs(index.source, text) : text)
      for (const login of loginsFor(map, index.source)) {
        const found =
          index.byId.get(login) ??
          index.byName.get(login.toLowerCase()) ??
          index.byName.get(stored(login).toLowerCase()) ??
          []
        if (found.length === 0) missing.push({ source: index.source, login })
        members.push(...found)
      }
      const address = normalEmail(stored(email))
      if (address) members.push(...(index.byEmail.get(address) ?? []))
    }
    for (const i of members) sets.union(members[0]!, i)
    named.push({ email, members, missing })
  }

  const label = options.label ?? ((email: string) => email)
  const byRoot = new Map<number, Person>()
  accounts.forEach((account, i) => {
    const root = sets.find(i)
    const person = byRoot.get(root)
    if (person) person.accounts.push(account)
    else byRoot.set(root, { label: '', accounts: [account], missing: [] })
  })
  const addresses = new Map<number, string>()
  const people: Person[] = []
  for (const { email, members, missing } of named) {
    if (members.length === 0) {
      // Nobody found anywhere: the person is still listed, with what is missing.
      if (missing.length > 0) people.push({ label: label(email), accounts: [], missing: uniqueMissing(missing) })
      continue
    }
    const root = sets.find(members[0]!)
    // Entries are sorted: a person named under two addresses is listed under the first.
    if (!addresses.has(root)) addresses.set(root, email)
    const person = byRoot.get(root)!
    person.missing = uniqueMissing([...person.missing, ...missing])
  }
  for (const [root, person] of byRoot) {
    const address = addresses.get(root)
    const emails = person.accounts.map((a) => a.principal.email?.trim()).filter((e): e is string => !!e)
    person.label =
      address !== undefined ? label(address) : (emails.sort(compareStrings)[0] ?? person.accounts[0]!.principal.name)
    people.push(person)
  }
  return people.sort(
    (a, b) =>
      compareStrings(a.label.toLowerCase(), b.label.toLowerCase()) ||
      compareStrings(a.label, b.label) ||
      compareStrings(firstAccountKey(a), firstAccountKey(b))
  )
}

export function sourceKey(source: SourceRef): string {
  return `${source.type}/${source.name}`
}

/** The logins the map names for a source: under its instance key and under its type. */
function loginsFor(map: Record<string, string | string[]>, source: SourceRef): string[] {
  const values = [map[sourceKey(source)], map[source.type]].flatMap((v) =>
    v === undefined ? [] : Array.isArray(v) ? v : [v]
  )
  return [...new Set(values)]
}

function normalEmail(email: string | undefined): string | undefined {
  const normal = email?.trim().toLowerCase()
  return normal ? normal : undefined
}

function push<K>(map: Map<K, number[]>, key: K, value: number): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

function uniqueMissing(missing: { source: SourceRef; login: string }[]) {
  const seen = new Set<string>()
  return missing
    .filter((m) => {
      const key = `${sourceKey(m.source)}\u0000${m.login}`
      if (seen.has(key)) return false
      seen.add(key)
      return true
    })
    .sort((a, b) => compareStrings(sourceKey(a.source), sourceKey(b.source)) || compareStrings(a.login, b.login))
}

function firstAccountKey(person: Person): string {
  const first = person.accounts[0]
  return first ? `${sourceKey(first.source)}\u0000${first.principal.id}` : ''
}

class DisjointSets {
  private readonly parent: number[]
  constructor(size: number) {
    this.parent = Array.from({ length: size }, (_, i) => i)
  }
  find(i: number): number {
    let root = i
    while (this.parent[root] !== root) root = this.parent[root]!
    while (this.parent[i] !== root) {
      const next = this.parent[i]!
      this.parent[i] = root
      i = next
    }
    return root
  }
  /** The smaller index becomes the root, so roots do not depend on the order of unions. */
  union(a: number, b: number): void {
    const [x, y] = [this.find(a), this.find(b)]
    if (x === y) return
    if (x < y) this.parent[y] = x
    else this.parent[x] = y
  }
}
