/**
 * Effective access as flat rows, one per effective grant, for spreadsheets
 * and access reviews (`show --format csv|json`): who (the person and the
 * account), where, which role, its tier, and through what.
 */
import { compareStrings } from '../diff/canonical.js'
import type { EffectiveGrant } from '../model/effective.js'
import { sourceKey, type Person } from '../model/people.js'
import { PRIVILEGE_RANK, type Principal, type Scope } from '../model/types.js'
import type { State } from './pages.js'
import type { LabelledGrant, SourceView } from './source-view.js'

export interface AccessRow {
  person: string
  source: string
  account: string
  accountId: string
  /** `repository api`, or `every repository in organization acme` for a base permission. */
  scope: string
  scopeId: string
  role: string
  roleId: string
  privilege: string
  /** `direct`, `group Payments → group Platform`, `base permission`, with where an inherited grant comes from. */
  via: string
  restrictions: string
}

/** What `show` narrows the state to; absent means everything. */
export interface Selection {
  /** `type/name`. */
  source?: string
  /** People (all their accounts). */
  people?: readonly Person[]
  /** Scope name, case-insensitive. */
  scope?: string
}

/** The views `show` reads, after `--source`. */
export function selectedViews(state: State, selection: Selection): SourceView[] {
  return selection.source === undefined ? state.views : state.views.filter((v) => v.key === selection.source)
}

/** Scopes of a view whose name is the selection's (case-insensitive). */
export function matchingScopes(view: SourceView, name: string): Scope[] {
  const wanted = name.toLowerCase()
  return view.scopes.filter((s) => s.name.toLowerCase() === wanted)
}

/**
 * People `who` names: their label, or one of their accounts' login or email
 * (case-insensitive), also as the source stores it (`storedAs`: a hashed
 * address), so `--who alice@corp.com` finds her under `emails: hash`.
 */
export function findPeople(
  people: readonly Person[],
  who: string,
  storedAs: (source: Person['accounts'][number]['source'], text: string) => string = (_s, t) => t
): Person[] {
  const wanted = who.trim().toLowerCase()
  return people.filter(
    (person) =>
      person.label.toLowerCase() === wanted ||
      person.accounts.some((a) => {
        const stored = storedAs(a.source, who).trim().toLowerCase()
        return [a.principal.name, a.principal.email ?? '', a.principal.id]
          .map((v) => v.toLowerCase())
          .some((v) => v === wanted || v === stored)
      })
  )
}

/** Effective grants of one account, narrowed to the selected scope when there is one. */
export function accountGrants(view: SourceView, principal: Principal, scope?: string): LabelledGrant[] {
  const rows = view.labelledAccess(principal.id)
  if (scope === undefined) return rows
  const scopes = new Set(matchingScopes(view, scope).map((s) => s.id))
  return rows.filter(({ grant: g }) => (g.below ? reachesSelected(view, g, scopes) : scopes.has(g.scope)))
}

/** Every effective grant the selection covers, as rows in a stable order. */
export function accessRows(state: State, selection: Selection): AccessRow[] {
  const personOf = new Map<string, string>()
  for (const person of state.people) {
    for (const a of person.accounts) personOf.set(`${sourceKey(a.source)}\u0000${a.principal.id}`, person.label)
  }
  const accounts =
    selection.people === undefined
      ? undefined
      : new Set(selection.people.flatMap((p) => p.accounts.map((a) => `${sourceKey(a.source)}\u0000${a.principal.id}`)))
  const rows: AccessRow[] = []
  for (const view of selectedViews(state, selection)) {
    const scopes =
      selection.scope === undefined ? undefined : new Set(matchingScopes(view, selection.scope).map((s) => s.id))
    for (const principal of view.principals) {
      const key = `${view.key}\u0000${principal.id}`
      if (accounts && !accounts.has(key)) continue
      for (const { grant, role, reach, through, restrictions } of view.labelledAccess(principal.id)) {
        const base = {
          person: personOf.get(key) ?? principal.name,
          source: view.key,
          account: principal.name,
          accountId: principal.id,
          role,
          roleId: grant.role,
          privilege: grant.privilege ?? '',
          via: through,
          restrictions
        }
        if (scopes === undefined) {
          rows.push({ ...base, scope: reach, scopeId: grant.scope })
        } else if (!grant.below) {
          if (scopes.has(grant.scope)) rows.push({ ...base, scope: view.scopeLabel(grant.scope), scopeId: grant.scope })
        } else {
          // A base permission, asked about one scope it reaches: a row at that scope.
          for (const id of scopes) {
            if (reachesSelected(view, grant, new Set([id])))
              rows.push({ ...base, scope: view.scopeLabel(id), scopeId: id })
          }
        }
      }
    }
  }
  return rows.sort(
    (a, b) =>
      compareStrings(a.person.toLowerCase(), b.person.toLowerCase()) ||
      compareStrings(a.person, b.person) ||
      compareStrings(a.source, b.source) ||
      compareStrings(a.account, b.account) ||
      compareStrings(a.accountId, b.accountId) ||
      rank(b.privilege) - rank(a.privilege) ||
      compareStrings(a.scope, b.scope) ||
      compareStrings(a.role, b.role) ||
      compareStrings(a.via, b.via) ||
      compareStrings(a.restrictions, b.restrictions)
  )
}

function reachesSelected(view: SourceView, grant: EffectiveGrant, scopes: Set<string>): boolean {
  for (const id of scopes) {
    if (view.basesAbove(id).some((b) => b.scope === grant.scope && b.base.role === grant.role)) return true
  }
  return false
}

function rank(privilege: string): number {
  return PRIVILEGE_RANK[privilege as keyof typeof PRIVILEGE_RANK] ?? 0
}

export const CSV_COLUMNS = ['person', 'source', 'account', 'scope', 'role', 'privilege', 'via', 'restrictions'] as const

/**
 * RFC 4180: CRLF line ends, a field with a comma, quote or line break
 * quoted, quotes doubled. Cells that a spreadsheet would run as a formula
 * (starting with `=`, `+`, `-`, `@`, a tab or a carriage return) get a
 * leading `'`: names come from systems and are hostile.
 */
export function toCsv(rows: readonly AccessRow[]): string {
  const lines = [CSV_COLUMNS.join(',')]
  for (const row of rows) lines.push(CSV_COLUMNS.map((column) => csvField(row[column])).join(','))
  return `${lines.join('\r\n')}\r\n`
}

export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe
}
