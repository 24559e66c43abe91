/**
 * The access Opsera's audit logs reveal: every personal access token seen
 * (owner, scope, day first seen) and every user seen performing an
 * administrative action type (with the day first seen). It outlives Opsera's
 * 7-day retention because it is folded, day after day, onto what the archive
 * revealed before (see ../archive-state.ts).
 */
import type { Grant, Principal, Privilege, Role, Scope, Snapshot } from '../../model/types.js'
import { eventDay } from '../../store/canonical.js'
import type { Derivation } from '../archive-state.js'
import { TOKEN_USE, USER_ACTION } from './events.js'

export interface StateOptions {
  instance: string
  adminActionTypes: string[]
}

/** Records without an `account` are held under this scope. */
const DEFAULT_ACCOUNT = 'account'

export const tokenRole = (scope: string) => `token-scope:${scope}`
export const adminRole = (type: string) => `admin-action:${type}`

/** `api` calls anything the owner's role allows; read-only scopes only read. */
function scopePrivilege(scope: string): Privilege | undefined {
  if (/read/i.test(scope)) return 'read'
  if (scope === 'api') return 'write'
  return undefined
}

interface Token {
  owner: string
  scope: string
  account: string
  firstSeen: string
}

interface Admin {
  user: string
  type: string
  account: string
  firstSeen: string
}

export interface OpseraState {
  /** Each user's latest address, from the actions log (the token log names ids only). */
  emails: Map<string, string>
  tokens: Map<string, Token>
  admins: Map<string, Admin>
  /** When resumed: the users the stored state names, whose address (or its absence) it already tells. */
  known?: Set<string>
}

const TOKEN_ROLE = tokenRole('')
const ADMIN_ROLE = adminRole('')
const adminKey = (account: string, user: string, type: string) => `${account}\u0000${user}\u0000${type}`

export function opseraDerivation(options: StateOptions): Derivation<OpseraState> {
  const adminTypes = new Set(options.adminActionTypes)
  const empty = (): OpseraState => ({ emails: new Map(), tokens: new Map(), admins: new Map() })
  return {
    empty,
    resume(previous) {
      const state: OpseraState = { ...empty(), known: new Set(previous.principals.map((p) => p.id)) }
      for (const grant of previous.grants) {
        const firstSeen = grant.attributes?.['first-seen']
        const token = grant.attributes?.token
        const owner = grant.subject.id
        if (!firstSeen || grant.subject.type !== 'principal') return undefined
        if (token && grant.role.startsWith(TOKEN_ROLE)) {
          state.tokens.set(token, {
            owner,
            scope: grant.role.slice(TOKEN_ROLE.length),
            account: grant.scope,
            firstSeen
          })
        } else if (grant.role.startsWith(ADMIN_ROLE)) {
          const type = grant.role.slice(ADMIN_ROLE.length)
          state.admins.set(adminKey(grant.scope, owner, type), { user: owner, type, account: grant.scope, firstSeen })
        } else return undefined
      }
      for (const principal of previous.principals) {
        if (principal.name !== principal.id) state.emails.set(principal.id, principal.name)
      }
      return state
    },
    fold(state, events) {
      for (const event of events) {
        const user = event.actor?.id
        if (!user) continue
        const account = event.details?.account ?? DEFAULT_ACCOUNT
        const day = eventDay(event.time)
        if (event.category === USER_ACTION) {
          if (event.actor!.name !== user) state.emails.set(user, event.actor!.name)
          const type = event.details?.type
          if (!type || !adminTypes.has(type)) continue
          const key = adminKey(account, user, type)
          const admin = state.admins.get(key)
          if (!admin) state.admins.set(key, { user, type, account, firstSeen: day })
          else if (day < admin.firstSeen) admin.firstSeen = day
        } else if (event.category === TOKEN_USE) {
          const token = event.details?.token
          const scope = event.details?.scope
          if (!token || !scope) continue
          const seen = state.tokens.get(token)
          // The latest record tells the current owner and scope; the first one when it appeared.
          const firstSeen = seen && seen.firstSeen < day ? seen.firstSeen : day
          state.tokens.set(token, { owner: user, scope, account, firstSeen })
        }
      }
    },
    async settle(state, archive, before) {
      // A user the stored state did not name yet may have given an address only before the days folded
      // again: the newest such record is found reading back from there, as far as needed.
      const missing = new Set([...holders(state)].filter((user) => !state.known?.has(user) && !state.emails.has(user)))
      for (const day of missing.size > 0 ? (await archive.days()).filter((d) => d < before).reverse() : []) {
        const events = await archive.day(day)
        for (let i = events.length - 1; i >= 0 && missing.size > 0; i--) {
          const actor = events[i]!.actor
          if (events[i]!.category !== USER_ACTION || !actor?.id || !missing.has(actor.id)) continue
          if (actor.name === actor.id) continue
          state.emails.set(actor.id, actor.name)
          missing.delete(actor.id)
        }
        if (missing.size === 0) break
      }
    }
  }
}

/** The users holding a grant. */
function holders(state: OpseraState): Set<string> {
  return new Set([...[...state.tokens.values()].map((t) => t.owner), ...[...state.admins.values()].map((a) => a.user)])
}

export function opseraSnapshot(state: OpseraState, options: StateOptions): Snapshot {
  const { tokens, admins, emails } = state
  const grants: Grant[] = [
    ...[...tokens].map(([token, t]) => ({
      id: `token:${token}`,
      subject: { type: 'principal' as const, id: t.owner },
      role: tokenRole(t.scope),
      scope: t.account,
      attributes: { token, 'first-seen': t.firstSeen }
    })),
    ...[...admins.values()].map((a) => ({
      subject: { type: 'principal' as const, id: a.user },
      role: adminRole(a.type),
      scope: a.account,
      attributes: { 'first-seen': a.firstSeen }
    }))
  ]
  const principals: Principal[] = [...new Set(grants.map((g) => g.subject.id))].map((id) => {
    const email = emails.get(id)
    return email ? { id, name: email, kind: 'user', email } : { id, name: id, kind: 'user' }
  })
  const roles: Role[] = [...new Set([...tokens.values()].map((t) => t.scope)).values()].map((scope) => {
    const privilege = scopePrivilege(scope)
    const role: Role = { id: tokenRole(scope), name: `access token, scope ${scope}`, permissions: [scope] }
    return privilege ? { ...role, privilege } : role
  })
  for (const type of new Set([...admins.values()].map((a) => a.type))) {
    roles.push({
      id: adminRole(type),
      name: `administrative actions: ${type}`,
      permissions: [type],
      privilege: 'admin'
    })
  }
  const scopes: Scope[] = [...new Set(grants.map((g) => g.scope))].map((id) => ({
    id,
    type: 'account',
    name: id === DEFAULT_ACCOUNT ? 'Opsera account' : id
  }))
  return { source: { type: 'opsera', name: options.instance }, principals, groups: [], roles, scopes, grants }
}
