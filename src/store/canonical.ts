import {
  CHANGE_KINDS,
  type AuditEvent,
  type ChangeKind,
  type EventEffect,
  type EventRef,
  type Grant,
  type Group,
  type Principal,
  type Role,
  type Scope,
  type Snapshot
} from '../model/types.js'
import * as f from './fields.js'

/**
 * The canonical form of the model: fixed key order, free-form maps and
 * string lists sorted, empty optional lists and maps left out, entities
 * sorted by a stable key. The same readers check model objects before they
 * are written and parsed files after they are read, so whatever is written
 * reads back as exactly the canonical form of what was given.
 */

const PRINCIPAL_KINDS = ['user', 'service-account', 'bot', 'app'] as const
const PRIVILEGES = ['read', 'write', 'admin', 'owner'] as const
const SUBJECT_TYPES = ['principal', 'group'] as const

const attributes = (fields: f.Fields, where: string) => f.sortedMap(fields, 'attributes', where, f.stringValue)

export function principal(value: unknown, where: string): Principal {
  const p = f.mapping(value, where, [
    'id',
    'name',
    'displayName',
    'kind',
    'email',
    'active',
    'external',
    'pending',
    'attributes'
  ])
  return f.compact({
    id: f.string(p, 'id', where),
    name: f.string(p, 'name', where),
    displayName: f.optionalString(p, 'displayName', where),
    kind: f.oneOf(p, 'kind', where, PRINCIPAL_KINDS),
    email: f.optionalString(p, 'email', where),
    active: f.optionalBoolean(p, 'active', where),
    external: f.optionalBoolean(p, 'external', where),
    pending: f.optionalBoolean(p, 'pending', where),
    attributes: attributes(p, where)
  })
}

export function role(value: unknown, where: string): Role {
  const r = f.mapping(value, where, ['id', 'name', 'description', 'privilege', 'builtIn', 'permissions', 'attributes'])
  return f.compact({
    id: f.string(r, 'id', where),
    name: f.string(r, 'name', where),
    description: f.optionalString(r, 'description', where),
    privilege: f.optionalOneOf(r, 'privilege', where, PRIVILEGES),
    builtIn: f.optionalBoolean(r, 'builtIn', where),
    permissions: f.sortedStrings(r, 'permissions', where),
    attributes: attributes(r, where)
  })
}

export function group(value: unknown, where: string): Group {
  const g = f.mapping(value, where, ['id', 'name', 'description', 'parent', 'members', 'externalMembers', 'attributes'])
  const members = f.list(g, 'members', where).map((item, i) => {
    const itemAt = f.at(f.at(where, 'members'), i)
    const m = f.mapping(item, itemAt, ['id', 'role'])
    return { id: f.string(m, 'id', itemAt), role: f.string(m, 'role', itemAt) }
  })
  return f.compact({
    id: f.string(g, 'id', where),
    name: f.string(g, 'name', where),
    description: f.optionalString(g, 'description', where),
    parent: f.optionalString(g, 'parent', where),
    members: sortByKey(members, (m) => [m.id, m.role]),
    externalMembers: f.optionalSortedStrings(g, 'externalMembers', where),
    attributes: attributes(g, where)
  })
}

export const SCOPE_FIELDS = ['id', 'type', 'name', 'parent', 'attributes'] as const

export function scope(value: unknown, where: string): Scope {
  const s = f.mapping(value, where, SCOPE_FIELDS)
  return f.compact({
    id: f.string(s, 'id', where),
    type: f.string(s, 'type', where),
    name: f.string(s, 'name', where),
    parent: f.optionalString(s, 'parent', where),
    attributes: attributes(s, where)
  })
}

export function grant(value: unknown, where: string): Grant {
  const g = f.mapping(value, where, ['id', 'subject', 'role', 'scope', 'via', 'restrictions', 'attributes'])
  const at = f.at(where, 'subject')
  const subject = f.mapping(g.subject, at, ['type', 'id'])
  return f.compact({
    subject: { type: f.oneOf(subject, 'type', at, SUBJECT_TYPES), id: f.string(subject, 'id', at) },
    role: f.string(g, 'role', where),
    scope: f.string(g, 'scope', where),
    via: f.optionalString(g, 'via', where),
    id: f.optionalString(g, 'id', where),
    // An empty value list is kept: only an absent dimension means unrestricted. An empty map is kept
    // too: it says the grant could be narrowed and is not (`restrictions: unrestricted` in its file).
    restrictions:
      g.restrictions === undefined ? undefined : (f.sortedMap(g, 'restrictions', where, f.sortedStringList) ?? {}),
    attributes: attributes(g, where)
  })
}

/** Order of grants inside a scope file: who, which role, through what, which record. */
export function grantOrder(grant: Grant): (string | undefined)[] {
  return [grant.subject.type, grant.subject.id, grant.role, grant.via, grant.id]
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/

export function event(value: unknown, where: string): AuditEvent {
  const e = f.mapping(value, where, [
    'id',
    'time',
    'actor',
    'action',
    'category',
    'target',
    'message',
    'details',
    'effects'
  ])
  const time = f.string(e, 'time', where)
  if (!ISO_INSTANT.test(time) || Number.isNaN(Date.parse(time))) {
    f.fail(f.at(where, 'time'), `expected an ISO-8601 instant such as 2024-01-31T12:00:00Z, found ${f.quote(time)}`)
  }
  return f.compact({
    id: f.string(e, 'id', where),
    time,
    actor: e.actor === undefined ? undefined : actor(e.actor, f.at(where, 'actor')),
    action: f.string(e, 'action', where),
    category: f.optionalString(e, 'category', where),
    target: e.target === undefined ? undefined : target(e.target, f.at(where, 'target')),
    message: f.optionalString(e, 'message', where),
    details: f.sortedMap(e, 'details', where, f.stringValue),
    effects: e.effects === undefined ? undefined : effects(e, where)
  })
}

const REF_FIELDS = ['subject', 'scope', 'group', 'grant'] as const

/** Effects and their kinds are sets: sorted, so the file does not depend on the source's order. */
function effects(e: f.Fields, where: string): EventEffect[] | undefined {
  const list = f.list(e, 'effects', where).map((item, i) => {
    const itemAt = f.at(f.at(where, 'effects'), i)
    const x = f.mapping(item, itemAt, ['kinds', ...REF_FIELDS, 'setting', 'uncertain'])
    const kindsAt = f.at(itemAt, 'kinds')
    const kinds = f.sortedStrings(x, 'kinds', itemAt).map((kind, k) => {
      if (!(CHANGE_KINDS as readonly string[]).includes(kind)) {
        f.fail(f.at(kindsAt, k), `expected one of ${CHANGE_KINDS.join(', ')}, found ${f.quote(kind)}`)
      }
      return kind as ChangeKind
    })
    const refs = Object.fromEntries(
      REF_FIELDS.map((field) => [field, x[field] === undefined ? undefined : ref(x[field], f.at(itemAt, field))])
    )
    return f.compact({
      kinds: [...new Set(kinds)],
      subject: refs.subject,
      scope: refs.scope,
      group: refs.group,
      grant: refs.grant,
      setting: f.optionalString(x, 'setting', itemAt),
      uncertain: f.optionalBoolean(x, 'uncertain', itemAt) || undefined
    })
  })
  return list.length > 0 ? sortByKey(list, () => []) : undefined
}

function ref(value: unknown, where: string): EventRef | undefined {
  const r = f.mapping(value, where, ['type', 'id', 'name', 'slug'])
  const result = f.compact({
    type: f.optionalString(r, 'type', where),
    id: f.optionalString(r, 'id', where),
    name: f.optionalString(r, 'name', where),
    slug: f.optionalString(r, 'slug', where)
  })
  return Object.keys(result).length > 0 ? result : undefined
}

function actor(value: unknown, where: string): AuditEvent['actor'] {
  const a = f.mapping(value, where, ['id', 'name'])
  return f.compact({ id: f.optionalString(a, 'id', where), name: f.string(a, 'name', where) })
}

function target(value: unknown, where: string): AuditEvent['target'] {
  const t = f.mapping(value, where, ['type', 'id', 'name'])
  const result = f.compact({
    type: f.optionalString(t, 'type', where),
    id: f.optionalString(t, 'id', where),
    name: f.optionalString(t, 'name', where)
  })
  return Object.keys(result).length > 0 ? result : undefined
}

/** The UTC day (`YYYY-MM-DD`) of an event time already checked by `event`. */
export function eventDay(time: string): string {
  return new Date(Date.parse(time)).toISOString().slice(0, 10)
}

/** Chronological even when two sources wrote instants with different precision or offsets. */
function eventOrder(event: AuditEvent): string[] {
  const sinceEpochStart = Date.parse(event.time) + 8.64e15 // non-negative over the whole Date range
  return [String(sinceEpochStart).padStart(17, '0'), event.time, event.id]
}

export function canonicalEvents(events: readonly unknown[], where = 'events'): AuditEvent[] {
  return sortByKey(
    events.map((item, i) => event(item, f.at(where, i))),
    eventOrder
  )
}

export function canonicalSnapshot(snapshot: Snapshot, where = 'snapshot:'): Snapshot {
  const s = f.mapping(snapshot, where, ['source', 'principals', 'groups', 'roles', 'scopes', 'grants'])
  const at = f.at(where, 'source')
  const source = f.mapping(s.source, at, ['type', 'name'])
  const each = <T>(key: string, read: (value: unknown, where: string) => T) => {
    const listAt = f.at(where, key)
    return f.list(s, key, where).map((item, i) => read(item, f.at(listAt, i)))
  }
  return sortSnapshot({
    source: { type: f.string(source, 'type', at), name: f.string(source, 'name', at) },
    principals: each('principals', principal),
    groups: each('groups', group),
    roles: each('roles', role),
    scopes: each('scopes', scope),
    grants: each('grants', grant)
  })
}

/** Puts entities already in canonical form into canonical order. */
export function sortSnapshot(s: Snapshot): Snapshot {
  return {
    source: s.source,
    principals: sortByKey(s.principals, (p) => [p.id]),
    groups: sortByKey(s.groups, (g) => [g.id]),
    roles: sortByKey(s.roles, (r) => [r.id]),
    scopes: sortByKey(s.scopes, (scope) => [scope.id]),
    grants: sortByKey(s.grants, (g) => [g.scope, ...grantOrder(g)])
  }
}

/**
 * Sorts by a key computed once per item (absent parts first, then code-unit
 * order); items with equal keys are ordered by their canonical JSON, so the
 * result never depends on the input order. Returns a new array.
 */
export function sortByKey<T>(items: readonly T[], key: (item: T) => readonly (string | undefined)[]): T[] {
  const keyed = items.map((item) => ({ item, key: key(item), json: undefined as string | undefined }))
  keyed.sort((a, b) => {
    for (let i = 0; i < a.key.length; i++) {
      const order = compareOptional(a.key[i], b.key[i])
      if (order !== 0) return order
    }
    a.json ??= JSON.stringify(a.item)
    b.json ??= JSON.stringify(b.item)
    return compareOptional(a.json, b.json)
  })
  return keyed.map(({ item }) => item)
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0
  if (a === undefined) return -1
  if (b === undefined) return 1
  return a < b ? -1 : 1
}
