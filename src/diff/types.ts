import type { Grant, Group, Membership, Principal, Privilege, Role, Scope } from '../model/types.js'

/** A value that differs between two snapshots; `undefined` means absent on that side. */
export interface ValueChange<T = string> {
  before?: T
  after?: T
}

/** One key of an entity's `attributes` that was added, removed or changed. */
export interface AttributeChange extends ValueChange {
  key: string
}

/**
 * The same entity (same id, or for grants the same `grantKey`) in both
 * snapshots with different content. `fields` names the top-level fields that
 * differ, sorted, so a consumer can tell at a glance what kind of change it is.
 */
export interface Changed<T> {
  before: T
  after: T
  fields: string[]
  attributes: AttributeChange[]
}

export interface PrincipalChanged extends Changed<Principal> {
  /** Same id, new name: a rename, not a removal plus an addition. */
  rename?: { before: string; after: string }
}

export interface MemberRoleChange {
  id: string
  before: string
  after: string
}

export interface GroupChanged extends Changed<Group> {
  rename?: { before: string; after: string }
  parent?: ValueChange
  membersAdded: Membership[]
  membersRemoved: Membership[]
  /** A member whose role inside the group changed (`member` → `maintainer`). */
  memberRoles: MemberRoleChange[]
  externalMembersAdded: string[]
  externalMembersRemoved: string[]
}

export interface RoleChanged extends Changed<Role> {
  rename?: { before: string; after: string }
  permissionsAdded: string[]
  permissionsRemoved: string[]
  privilege?: ValueChange<Privilege>
}

export interface ScopeChanged extends Changed<Scope> {
  rename?: { before: string; after: string }
  parent?: ValueChange
}

/** One restriction dimension of a grant; an absent side means unrestricted in that dimension. */
export interface RestrictionChange {
  dimension: string
  before?: string[]
  after?: string[]
  added: string[]
  removed: string[]
}

export interface GrantChanged extends Changed<Grant> {
  /**
   * The role ids when the role differs: either a grant whose system id stayed
   * the same, or a removed and an added grant paired up because they were the
   * only ones in their slot (same subject, scope and path).
   */
  role?: { before: string; after: string }
  restrictions: RestrictionChange[]
}

export interface KindChanges<T, C> {
  added: T[]
  removed: T[]
  changed: C[]
}

/** Everything that differs between two snapshots of one source, sorted by id (grants by key). */
export interface SnapshotChanges {
  principals: KindChanges<Principal, PrincipalChanged>
  groups: KindChanges<Group, GroupChanged>
  roles: KindChanges<Role, RoleChanged>
  scopes: KindChanges<Scope, ScopeChanged>
  grants: KindChanges<Grant, GrantChanged>
}

export const ENTITY_KINDS = ['principals', 'groups', 'roles', 'scopes', 'grants'] as const
export type EntityKind = (typeof ENTITY_KINDS)[number]

export function hasChanges(changes: SnapshotChanges): boolean {
  return ENTITY_KINDS.some((kind) => {
    const c = changes[kind]
    return c.added.length + c.removed.length + c.changed.length > 0
  })
}
