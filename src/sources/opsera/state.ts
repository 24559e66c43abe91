/**
 * The access Opsera's audit logs reveal, derived from the whole archive plus
 * the new events so it outlives the 7-day retention: every personal access
 * token seen (owner, scope, day first seen) and every user seen performing an
 * administrative action type (with the day first seen).
 */
import type { AuditEvent, Grant, Principal, Privilege, Role, Scope, Snapshot } from '../../model/types.js'
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

const utcDay = (time: string) => new Date(Date.parse(time)).toISOString().slice(0, 10)

export function deriveSnapshot(events: AuditEvent[], options: StateOptions): Snapshot {
  const ordered = [...new Map(events.map((e) => [e.id, e])).values()].sort(
    (a, b) => Date.parse(a.time) - Date.parse(b.time) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  )
  const adminTypes = new Set(options.adminActionTypes)
  const emails = new Map<string, string>()
  const tokens = new Map<string, { owner: string; scope: string; account: string; firstSeen: string }>()
  const admins = new Map<string, { user: string; type: string; account: string; firstSeen: string }>()
  for (const event of ordered) {
    const user = event.actor?.id
    if (!user) continue
    const account = event.details?.account ?? DEFAULT_ACCOUNT
    if (event.category === USER_ACTION) {
      if (event.actor!.name !== user) emails.set(user, event.actor!.name)
      const type = event.details?.type
      if (!type || !adminTypes.has(type)) continue
      const key = `${account}\u0000${user}\u0000${type}`
      if (!admins.has(key)) admins.set(key, { user, type, account, firstSeen: utcDay(event.time) })
    } else if (event.category === TOKEN_USE) {
      const token = event.details?.token
      const scope = event.details?.scope
      if (!token || !scope) continue
      const seen = tokens.get(token)
      // The latest record tells the current owner and scope; the first one when it appeared.
      tokens.set(token, { owner: user, scope, account, firstSeen: seen?.firstSeen ?? utcDay(event.time) })
    }
  }

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
