import type { Attributes, Grant, Group, Principal, Role, Scope } from '../model/types.js'
import { compareStrings, sameState } from './canonical.js'
import type {
  AttributeChange,
  Changed,
  GrantChanged,
  GroupChanged,
  MemberRoleChange,
  PrincipalChanged,
  RestrictionChange,
  RoleChanged,
  ScopeChanged
} from './types.js'

/**
 * One comparator per entity kind: `undefined` when both sides are the same
 * permission state (order of set-like lists ignored), otherwise the change
 * with the detail a reviewer needs (rename, members, permissions...).
 */

export function comparePrincipals(before: Principal, after: Principal): PrincipalChanged | undefined {
  const base = changedBase(before, after)
  if (!base) return undefined
  return { ...base, ...rename(before, after) }
}

export function compareGroups(before: Group, after: Group): GroupChanged | undefined {
  const base = changedBase(before, after)
  if (!base) return undefined
  const beforeRoles = new Map(before.members.map((m) => [m.id, m.role]))
  const afterRoles = new Map(after.members.map((m) => [m.id, m.role]))
  const memberRoles: MemberRoleChange[] = []
  for (const [id, role] of afterRoles) {
    const old = beforeRoles.get(id)
    if (old !== undefined && old !== role) memberRoles.push({ id, before: old, after: role })
  }
  memberRoles.sort((a, b) => compareStrings(a.id, b.id))
  const byId = (a: { id: string }, b: { id: string }) => compareStrings(a.id, b.id)
  const external = setDifference(before.externalMembers ?? [], after.externalMembers ?? [])
  return {
    ...base,
    ...rename(before, after),
    ...(before.parent !== after.parent ? { parent: { before: before.parent, after: after.parent } } : {}),
    membersAdded: after.members.filter((m) => !beforeRoles.has(m.id)).sort(byId),
    membersRemoved: before.members.filter((m) => !afterRoles.has(m.id)).sort(byId),
    memberRoles,
    externalMembersAdded: external.added,
    externalMembersRemoved: external.removed
  }
}

export function compareRoles(before: Role, after: Role): RoleChanged | undefined {
  const base = changedBase(before, after)
  if (!base) return undefined
  const permissions = setDifference(before.permissions, after.permissions)
  return {
    ...base,
    ...rename(before, after),
    permissionsAdded: permissions.added,
    permissionsRemoved: permissions.removed,
    ...(before.privilege !== after.privilege ? { privilege: { before: before.privilege, after: after.privilege } } : {})
  }
}

export function compareScopes(before: Scope, after: Scope): ScopeChanged | undefined {
  const base = changedBase(before, after)
  if (!base) return undefined
  return {
    ...base,
    ...rename(before, after),
    ...(before.parent !== after.parent ? { parent: { before: before.parent, after: after.parent } } : {})
  }
}

export function compareGrants(before: Grant, after: Grant): GrantChanged | undefined {
  const base = changedBase(before, after)
  if (!base) return undefined
  return {
    ...base,
    ...(before.role !== after.role ? { role: { before: before.role, after: after.role } } : {}),
    restrictions: restrictionChanges(before.restrictions ?? {}, after.restrictions ?? {})
  }
}

/** The part every kind shares; `undefined` when nothing differs. */
function changedBase<T extends object>(before: T, after: T): Changed<T> | undefined {
  if (sameState(before, after)) return undefined
  const b = before as Record<string, unknown>
  const a = after as Record<string, unknown>
  const fields: string[] = []
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (!sameState(b[key], a[key])) fields.push(key)
  }
  fields.sort(compareStrings)
  const attributes = attributeChanges(b.attributes as Attributes | undefined, a.attributes as Attributes | undefined)
  return { before, after, fields, attributes }
}

function rename(before: { name: string }, after: { name: string }): { rename?: { before: string; after: string } } {
  return before.name === after.name ? {} : { rename: { before: before.name, after: after.name } }
}

function attributeChanges(before: Attributes = {}, after: Attributes = {}): AttributeChange[] {
  const changes: AttributeChange[] = []
  for (const key of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings)) {
    if (before[key] !== after[key]) changes.push({ key, before: before[key], after: after[key] })
  }
  return changes
}

function restrictionChanges(before: Record<string, string[]>, after: Record<string, string[]>): RestrictionChange[] {
  const changes: RestrictionChange[] = []
  for (const dimension of [...new Set([...Object.keys(before), ...Object.keys(after)])].sort(compareStrings)) {
    const old = before[dimension]
    const next = after[dimension]
    if (sameState(old, next)) continue
    // Values added or removed only make sense when both sides are restricted;
    // a missing side means "unrestricted", which `before`/`after` already say.
    const { added, removed } = old && next ? setDifference(old, next) : { added: [], removed: [] }
    changes.push({ dimension, before: old, after: next, added, removed })
  }
  return changes
}

function setDifference(before: string[], after: string[]): { added: string[]; removed: string[] } {
  const old = new Set(before)
  const next = new Set(after)
  return {
    added: [...next].filter((v) => !old.has(v)).sort(compareStrings),
    removed: [...old].filter((v) => !next.has(v)).sort(compareStrings)
  }
}
