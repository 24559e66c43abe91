/**
 * The access the generated trail must reveal, written from the generator's
 * assignments (who administers which set, with which role history), not
 * from the audit rows or the source's own code.
 */
import type { Privilege, Snapshot } from '../../../src/model/types.js'
import type { EpmState } from '../../sim/cyberark-epm/data.js'

/** EPM's role tiers as the README documents them. */
export const PRIVILEGE: Record<string, Privilege> = {
  'Set Admin': 'admin',
  'Power User': 'write',
  'Help Desk': 'write',
  Audit: 'read',
  'Account Administrator': 'owner'
}

export function expectedSnapshot(state: EpmState, options: { sets?: string[]; account?: boolean } = {}): Snapshot {
  const sets = state.sets.filter((s) => !options.sets || options.sets.includes(s.Id))
  const scopes = sets.map((s) => ({ id: s.Id, type: 'set', name: s.Name }))
  if (options.account !== false) scopes.push({ id: 'account', type: 'account', name: 'EPM account' })
  const assignments = state.assignments.filter((a) => scopes.some((s) => s.id === a.scope))
  const grants = assignments.map((a) => ({
    subject: { type: 'principal' as const, id: a.admin.toLowerCase() },
    role: a.roles[a.roles.length - 1]!.role,
    scope: a.scope,
    attributes: { 'first-seen': new Date(a.firstActive).toISOString().slice(0, 10) }
  }))
  const admins = [...new Set(assignments.map((a) => a.admin))]
  const roles = [...new Set(grants.map((g) => g.role))]
  return sorted({
    source: { type: 'cyberark-epm', name: 'epm' },
    principals: admins.map((name) => ({ id: name.toLowerCase(), name, kind: 'user', email: name })),
    groups: [],
    roles: roles.map((name) => ({ id: name, name, permissions: [], privilege: PRIVILEGE[name] })),
    scopes,
    grants
  })
}

const by = (key: (x: never) => string) => (a: unknown, b: unknown) => {
  const [x, y] = [key(a as never), key(b as never)]
  return x < y ? -1 : x > y ? 1 : 0
}

/** A snapshot with every list in a fixed order, so two snapshots compare with toEqual. */
export function sorted(snapshot: Snapshot): Snapshot {
  return {
    ...snapshot,
    principals: [...snapshot.principals].sort(by((p: { id: string }) => p.id)),
    roles: [...snapshot.roles].sort(by((r: { id: string }) => r.id)),
    scopes: [...snapshot.scopes].sort(by((s: { id: string }) => s.id)),
    grants: [...snapshot.grants].sort(
      by((g: { scope: string; subject: { id: string } }) => `${g.scope} ${g.subject.id}`)
    )
  }
}
