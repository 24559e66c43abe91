/**
 * The access the generated logs must reveal, written from the generator's
 * tokens and administrative activity, not from the log records or the
 * source's own code.
 */
import type { Grant, Privilege, Role, Snapshot } from '../../../src/model/types.js'
import type { OpseraState } from '../../sim/opsera/data.js'

const SCOPE_PRIVILEGE: Record<string, Privilege> = { api: 'write', 'api-readonly': 'read' }
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10)

export function expectedSnapshot(state: OpseraState, adminTypes: string[]): Snapshot {
  const grants: Grant[] = [
    ...state.tokens.map((t) => ({
      id: `token:${t.token_id}`,
      subject: { type: 'principal' as const, id: t.user_id },
      role: `token-scope:${t.scope}`,
      scope: state.account,
      attributes: { token: t.token_id, 'first-seen': day(t.firstUse) }
    })),
    ...state.adminActivity
      .filter((a) => adminTypes.includes(a.type))
      .map((a) => ({
        subject: { type: 'principal' as const, id: a.user_id },
        role: `admin-action:${a.type}`,
        scope: state.account,
        attributes: { 'first-seen': day(a.first) }
      }))
  ]
  const users = new Set(grants.map((g) => g.subject.id))
  const roles: Role[] = [
    ...[...new Set(state.tokens.map((t) => t.scope))].map((scope) => ({
      id: `token-scope:${scope}`,
      name: `access token, scope ${scope}`,
      permissions: [scope],
      privilege: SCOPE_PRIVILEGE[scope]
    })),
    ...[...new Set(state.adminActivity.map((a) => a.type).filter((t) => adminTypes.includes(t)))].map((type) => ({
      id: `admin-action:${type}`,
      name: `administrative actions: ${type}`,
      permissions: [type],
      privilege: 'admin' as const
    }))
  ]
  return sorted({
    source: { type: 'opsera', name: 'opsera' },
    principals: state.users
      .filter((u) => users.has(u._id))
      .map((u) => ({ id: u._id, name: u.email, kind: 'user', email: u.email })),
    groups: [],
    roles,
    scopes: [{ id: state.account, type: 'account', name: state.account }],
    grants
  })
}

const key = (g: Grant) => `${g.role} ${g.subject.id} ${g.id ?? ''}`
const byId = <T extends { id: string }>(a: T, b: T) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)

/** A snapshot with every list in a fixed order, so two snapshots compare with toEqual. */
export function sorted(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    principals: [...snapshot.principals].sort(byId),
    roles: [...snapshot.roles].sort(byId),
    scopes: [...snapshot.scopes].sort(byId),
    grants: [...snapshot.grants].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0))
  }
}
