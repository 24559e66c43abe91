/**
 * The access EPM's audit trail reveals: per set (and for the account), every
 * administrator seen acting there, with the role of their latest row and the
 * day they were first seen. Derived from the whole archive plus the new
 * events, so it outlives EPM's own retention; this tool's own reads are never
 * evidence.
 */
import type { AuditEvent, Grant, Principal, Role, Scope, Snapshot } from '../../model/types.js'
import { ACCOUNT, ACCOUNT_AUDIT, isOwnRead, SET_AUDIT, type EpmSet } from './audit.js'
import { rolePrivilege } from './privilege.js'

export interface StateOptions {
  instance: string
  sets: EpmSet[]
  /** Whether the account audit is read, which adds the account scope. */
  account: boolean
  username: string
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

interface Seen {
  scope: string
  admin: string
  firstSeen: string
  role: string
}

export function deriveSnapshot(events: AuditEvent[], options: StateOptions): Snapshot {
  const scopes: Scope[] = options.sets.map((s) => ({ id: s.id, type: 'set', name: s.name }))
  if (options.account) scopes.push({ ...ACCOUNT })
  const scopeIds = new Set(scopes.map((s) => s.id))
  const unique = new Map(events.map((e) => [e.id, e]))
  const ordered = [...unique.values()].sort((a, b) => Date.parse(a.time) - Date.parse(b.time) || compare(a.id, b.id))

  const seen = new Map<string, Seen>()
  /** The first spelling of each administrator, so a differently cased row does not rename them. */
  const spelling = new Map<string, string>()
  for (const event of ordered) {
    if (event.category !== SET_AUDIT && event.category !== ACCOUNT_AUDIT) continue
    const scope = event.target?.id
    const admin = event.actor?.name
    const role = event.details?.role
    if (!scope || !scopeIds.has(scope) || !admin || !role) continue
    if (isOwnRead(event.action, admin, options.username)) continue
    const id = admin.toLowerCase()
    if (!spelling.has(id)) spelling.set(id, admin)
    const key = `${scope}\u0000${id}`
    const entry = seen.get(key)
    if (entry) entry.role = role
    else seen.set(key, { scope, admin: id, firstSeen: utcDay(event.time), role })
  }

  const grants: Grant[] = [...seen.values()].map((s) => ({
    subject: { type: 'principal', id: s.admin },
    role: s.role,
    scope: s.scope,
    attributes: { 'first-seen': s.firstSeen }
  }))
  const principals: Principal[] = [...new Set(grants.map((g) => g.subject.id))].map((id) => {
    const name = spelling.get(id)!
    return EMAIL.test(name) ? { id, name, kind: 'user', email: name } : { id, name, kind: 'user' }
  })
  const roles: Role[] = [...new Set(grants.map((g) => g.role))].map((name) => {
    const privilege = rolePrivilege(name)
    return privilege ? { id: name, name, permissions: [], privilege } : { id: name, name, permissions: [] }
  })
  return { source: { type: 'cyberark-epm', name: options.instance }, principals, groups: [], roles, scopes, grants }
}

function utcDay(time: string): string {
  return new Date(Date.parse(time)).toISOString().slice(0, 10)
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
