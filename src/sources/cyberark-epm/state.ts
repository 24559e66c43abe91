/**
 * The access EPM's audit trail reveals: per set (and for the account), every
 * administrator seen acting there, with the role of their latest row and the
 * day they were first seen. It outlives EPM's own retention because it is
 * folded, day after day, onto what the archive revealed before (see
 * ../archive-state.ts); this tool's own reads are never evidence.
 */
import type { Grant, Principal, Role, Scope, Snapshot } from '../../model/types.js'
import { eventDay } from '../../store/canonical.js'
import type { Derivation } from '../archive-state.js'
import { ACCOUNT, ACCOUNT_AUDIT, isOwnRead, SET_AUDIT, type EpmSet } from './audit.js'
import { rolePrivilege } from './privilege.js'

export interface StateOptions {
  instance: string
  sets: EpmSet[]
  /** Whether the account audit is read, which adds the account scope. */
  account: boolean
  /** The API user (under the email policy), whose own reads are not evidence. */
  username: string
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/

interface Seen {
  scope: string
  admin: string
  firstSeen: string
  role: string
}

export interface EpmState {
  /** Per scope and administrator (lower-cased). */
  seen: Map<string, Seen>
  /** The first spelling of each administrator, so a differently cased row does not rename them. */
  spelling: Map<string, string>
  /**
   * The stored spelling of administrators first seen on a day the fold reads
   * again: their first row is folded anew and sets `spelling`.
   */
  stored: Map<string, string>
}

const key = (scope: string, admin: string) => `${scope}\u0000${admin}`

function scopesOf(options: StateOptions): Scope[] {
  const scopes: Scope[] = options.sets.map((s) => ({ id: s.id, type: 'set', name: s.name }))
  if (options.account) scopes.push({ ...ACCOUNT })
  return scopes
}

export function epmDerivation(options: StateOptions): Derivation<EpmState> {
  const scopeIds = new Set(scopesOf(options).map((s) => s.id))
  const empty = (): EpmState => ({ seen: new Map(), spelling: new Map(), stored: new Map() })
  return {
    empty,
    resume(previous, from) {
      // Other scopes than the stored state's: a set that is back may have history in the archive, and
      // one that is gone takes its rows out of who was seen first. The archive tells.
      const stored = new Set(previous.scopes.map((s) => s.id))
      if (stored.size !== scopeIds.size || [...scopeIds].some((id) => !stored.has(id))) return undefined
      const state = empty()
      const earliest = new Map<string, string>()
      for (const grant of previous.grants) {
        const firstSeen = grant.attributes?.['first-seen']
        if (grant.subject.type !== 'principal' || !firstSeen) return undefined
        const admin = grant.subject.id
        state.seen.set(key(grant.scope, admin), { scope: grant.scope, admin, firstSeen, role: grant.role })
        const known = earliest.get(admin)
        if (known === undefined || firstSeen < known) earliest.set(admin, firstSeen)
      }
      for (const principal of previous.principals) {
        const first = earliest.get(principal.id)
        if (first === undefined) return undefined
        // First seen before the days folded again: that first row is not among them, its spelling stands.
        if (first < from) state.spelling.set(principal.id, principal.name)
        else state.stored.set(principal.id, principal.name)
      }
      return state
    },
    fold(state, events) {
      for (const event of events) {
        if (event.category !== SET_AUDIT && event.category !== ACCOUNT_AUDIT) continue
        const scope = event.target?.id
        const admin = event.actor?.name
        const role = event.details?.role
        if (!scope || !scopeIds.has(scope) || !admin || !role) continue
        if (isOwnRead(event.action, admin, options.username)) continue
        const id = admin.toLowerCase()
        if (!state.spelling.has(id)) state.spelling.set(id, admin)
        const day = eventDay(event.time)
        const entry = state.seen.get(key(scope, id))
        if (!entry) state.seen.set(key(scope, id), { scope, admin: id, firstSeen: day, role })
        else {
          entry.role = role
          if (day < entry.firstSeen) entry.firstSeen = day
        }
      }
    }
  }
}

export function epmSnapshot(state: EpmState, options: StateOptions): Snapshot {
  const grants: Grant[] = [...state.seen.values()].map((s) => ({
    subject: { type: 'principal', id: s.admin },
    role: s.role,
    scope: s.scope,
    attributes: { 'first-seen': s.firstSeen }
  }))
  const principals: Principal[] = [...new Set(grants.map((g) => g.subject.id))].map((id) => {
    const name = state.spelling.get(id) ?? state.stored.get(id)!
    return EMAIL.test(name) ? { id, name, kind: 'user', email: name } : { id, name, kind: 'user' }
  })
  const roles: Role[] = [...new Set(grants.map((g) => g.role))].map((name) => {
    const privilege = rolePrivilege(name)
    return privilege ? { id: name, name, permissions: [], privilege } : { id: name, name, permissions: [] }
  })
  return {
    source: { type: 'cyberark-epm', name: options.instance },
    principals,
    groups: [],
    roles,
    scopes: scopesOf(options),
    grants
  }
}
