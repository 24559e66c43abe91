/**
 * The normalized permission model shared by every source, the store, the diff
 * and the report. Nothing downstream of a source knows which system the data
 * came from: everything a reviewer needs is expressed with these few shapes.
 *
 * Ids are the system's stable identifiers (GitHub node ids, Octopus `Teams-1`,
 * UiPath numeric ids...) and travel beside display names, so a rename shows as
 * a rename instead of a revoke plus a grant. Ids are unique per entity kind
 * within one source instance.
 */

/** What kind of identity a principal is. */
export type PrincipalKind = 'user' | 'service-account' | 'bot' | 'app'

/** Extra stable facts about an entity, kept as sorted string-valued pairs. */
export type Attributes = Record<string, string>

export interface Principal {
  id: string
  /** Login or user name: the key a reviewer searches for. */
  name: string
  displayName?: string
  kind: PrincipalKind
  /** Subject to the `emails` setting (keep, redact, hash) before it is stored. */
  email?: string
  /** False for disabled or deactivated accounts; absent when the system has no such flag. */
  active?: boolean
  /** Not a member of the organization or tenant (outside collaborator, guest). */
  external?: boolean
  /** An invitation that has not been accepted yet. */
  pending?: boolean
  attributes?: Attributes
}

export interface Membership {
  /** Id of a principal, or of a group when groups nest by membership. */
  id: string
  /** Role inside the group, e.g. `member` or `maintainer`. */
  role: string
}

export interface Group {
  id: string
  name: string
  description?: string
  /** Id of the parent group when groups form a tree (GitHub nested teams). */
  parent?: string
  /** Immediate members only: effective membership is derived, never stored. */
  members: Membership[]
  /** Directory groups or other external identities mapped onto this group. */
  externalMembers?: string[]
  attributes?: Attributes
}

/**
 * A normalized privilege tier, set by the source that knows the system's
 * semantics, so the report can rank changes without knowing the system.
 */
export type Privilege = 'read' | 'write' | 'admin' | 'owner'

export const PRIVILEGE_RANK: Record<Privilege, number> = {
  read: 1,
  write: 2,
  admin: 3,
  owner: 4
}

export interface Role {
  id: string
  name: string
  description?: string
  permissions: string[]
  privilege?: Privilege
  /** Shipped by the system rather than defined by its administrators. */
  builtIn?: boolean
  attributes?: Attributes
}

/** What a grant applies to: an organization, a repository, a space, a folder, a set. */
export interface Scope {
  id: string
  /** Singular lower-case noun: `organization`, `repository`, `space`, `folder`, `set`. */
  type: string
  name: string
  /** Id of the enclosing scope (a repository's organization, a folder's parent). */
  parent?: string
  attributes?: Attributes
}

export interface Subject {
  type: 'principal' | 'group'
  id: string
}

/**
 * Subject → role at scope. A grant without `via` is direct; one with `via` is
 * inherited and names where it comes from (`team:<id>`, `folder:<id>`,
 * `organization`...), so the report can tell a direct grant from an inherited one.
 */
export interface Grant {
  /** The system's own id for the grant record, where it has one (Octopus scoped user roles). */
  id?: string
  subject: Subject
  role: string
  scope: string
  via?: string
  /**
   * Narrowing inside the scope, by dimension (`environments`, `projects`...),
   * with names resolved. An absent dimension means unrestricted: it is never
   * written as an empty list that reads like "nothing". An empty map states
   * that a grant which could be narrowed is not (the store writes it as
   * `restrictions: unrestricted`); absent, the grant has no restrictions to speak of.
   */
  restrictions?: Record<string, string[]>
  /** Stable facts about the grant itself (the date an archived audit trail first showed it). */
  attributes?: Attributes
}

/**
 * The kinds of change a diff between two snapshots is made of, in the model's
 * terms. An audit event says which of them it can cause (`EventEffect.kinds`),
 * so the report can tell who made a change without knowing the system.
 */
export const CHANGE_KINDS = [
  'principal-added',
  'principal-removed',
  /** Name, e-mail, flags or attributes of a principal. */
  'principal-changed',
  'group-added',
  'group-removed',
  /** Name, description or attributes of a group. */
  'group-changed',
  /** A group moved under another parent (its members gain or lose the parent's access). */
  'group-parent-changed',
  'member-added',
  'member-removed',
  /** A member's role inside a group (`member` → `maintainer`). */
  'member-role-changed',
  'role-added',
  'role-removed',
  /** A role's permissions, privilege or name. */
  'role-changed',
  'scope-added',
  'scope-removed',
  /** One of a scope's settings (`SCOPE_SETTINGS`, or any other attribute). */
  'setting-changed',
  'grant-added',
  'grant-removed',
  /** A grant's role or restrictions. */
  'grant-changed'
] as const
export type ChangeKind = (typeof CHANGE_KINDS)[number]

/**
 * A model entity an audit event names, as exactly as the record allows: the
 * id the snapshot uses when the record carries it (Octopus `Teams-1`, UiPath
 * numeric ids), otherwise the name the snapshot spells it with (a GitHub
 * login or repository name), or the `slug` attribute of a group (GitHub's
 * audit log names a team `org/slug`: the source passes `slug`). `type` is the
 * entity's type where it tells two entities of the same name apart: a scope's
 * `type` (`organization`, `repository`...), or `principal`, `group`, `role`
 * for a subject.
 */
export interface EventRef {
  type?: string
  id?: string
  name?: string
  slug?: string
}

/**
 * What an audit event did to the permission state, set by the source's event
 * normalizer from the system's own action vocabulary (GitHub `team.add_member`,
 * Octopus `Modified` on a `Teams-` document, UiPath `Folders`/`Assign`...), so
 * that attribution matches structured facts, never words of a message. Which
 * fields are set depends on the kind:
 *
 * - grant kinds: `subject` (who holds it) and `scope`, or `grant` (the grant's
 *   own id, where the model stores one, e.g. an Octopus scoped user role);
 * - member kinds: `subject` (the member) and `group`;
 * - group and role kinds: `subject` (the group or role);
 * - principal kinds: `subject`; scope kinds and `setting-changed`: `scope`,
 *   and `setting` (the attribute key, e.g. `members-privilege`) when known.
 *
 * Leave out what the record does not say: a missing field is "unknown", and
 * an event that leaves something out (or is `uncertain`) is only believed when
 * every such event about the same thing in the window has the same actor.
 * Events archived before this field existed have no effects and are never
 * used for attribution: no effect, no claim.
 */
export interface EventEffect {
  /** The change kinds the event can have caused, sorted. */
  kinds: ChangeKind[]
  subject?: EventRef
  scope?: EventRef
  group?: EventRef
  grant?: EventRef
  setting?: string
  /**
   * The record says the entity changed, not how (Octopus writes one generic
   * `Modified` event for a team whatever changed in it): one of `kinds` may
   * have happened, or something else about the entity.
   */
  uncertain?: boolean
}

/** One audit-log record. */
export interface AuditEvent {
  id: string
  /** ISO-8601 UTC instant. */
  time: string
  actor?: { id?: string; name: string }
  action: string
  category?: string
  target?: { type?: string; id?: string; name?: string }
  /** A human-readable sentence from the system, when it gives one. */
  message?: string
  details?: Attributes
  /** What the event did, in the model's terms; see `EventEffect`. */
  effects?: EventEffect[]
}

export interface SourceRef {
  type: string
  name: string
}

/** The permission state of one source instance at one moment. */
export interface Snapshot {
  source: SourceRef
  principals: Principal[]
  groups: Group[]
  roles: Role[]
  scopes: Scope[]
  grants: Grant[]
}

export function emptySnapshot(source: SourceRef): Snapshot {
  return { source, principals: [], groups: [], roles: [], scopes: [], grants: [] }
}
