import type { Grant, Group, Scope, Snapshot, SourceRef } from '../model/types.js'
import * as canonical from './canonical.js'
import * as f from './fields.js'
import { assignFileNames } from './paths.js'
import { fromYaml, toYamlFile } from './yaml.js'

/**
 * The files of one source's state, relative to its folder (posix paths), in
 * path order: `principals.yaml`, `roles.yaml`, `groups/<name>.yaml`, and
 * `scopes/<type>/<name>.yaml` holding a scope with its grants. Pure, so the
 * CLI can also diff states read from git revisions.
 */
export function renderSnapshot(snapshot: Snapshot): Map<string, string> {
  const label = `snapshot ${snapshot.source?.type}/${snapshot.source?.name}:`
  const s = canonical.canonicalSnapshot(snapshot, label)
  assertUniqueIds(s.groups, 'group', label)
  assertUniqueIds(s.scopes, 'scope', label)
  const names = new Names(s)
  const files = new Map<string, string>()
  files.set('principals.yaml', toYamlFile({ principals: byName(s.principals) }))
  files.set('roles.yaml', toYamlFile({ roles: byName(s.roles) }))

  const groupFiles = assignFileNames(s.groups)
  for (const group of s.groups)
    files.set(`groups/${groupFiles.get(group.id)}.yaml`, toYamlFile(groupDocument(group, names)))

  // Grants arrive sorted by scope, then in their order inside a scope file, so one pass files them.
  const grantsByScope = new Map<string, Grant[]>(s.scopes.map((scope) => [scope.id, []]))
  for (const grant of s.grants) {
    const grants = grantsByScope.get(grant.scope)
    if (!grants) f.fail(label, `a grant refers to unknown scope ${f.quote(grant.scope)}, which has no file to hold it`)
    grants.push(grant)
  }
  const scopesByType = new Map<string, Scope[]>()
  for (const scope of s.scopes) {
    const ofType = scopesByType.get(scope.type)
    if (ofType) ofType.push(scope)
    else scopesByType.set(scope.type, [scope])
  }
  const typeFolders = assignFileNames([...scopesByType.keys()].map((type) => ({ id: type, name: type })))
  for (const [type, scopes] of scopesByType) {
    const scopeFiles = assignFileNames(scopes)
    for (const scope of scopes) {
      const grants = sortDocuments((grantsByScope.get(scope.id) as Grant[]).map((g) => grantDocument(g, names)))
      files.set(
        `scopes/${typeFolders.get(type)}/${scopeFiles.get(scope.id)}.yaml`,
        toYamlFile({ ...withReference(scope, 'parent', names.scope), grants })
      )
    }
  }
  return new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1)))
}

/**
 * The inverse of `renderSnapshot`: reads the content of the files, whatever
 * their names, and returns the snapshot in canonical form. Paths outside the
 * state (`events/`, anything not under `groups/` or `scopes/`) are ignored;
 * a malformed file throws an error naming the file and the problem.
 */
export function parseSnapshot(files: Map<string, string>, source: SourceRef): Snapshot {
  const label = sourceLabel(source)
  const entities = <T>(path: string, key: string, read: (value: unknown, where: string) => T): T[] => {
    const where = `${label}/${path}:`
    const text = files.get(path)
    if (text === undefined) f.fail(where, 'missing; the stored state is incomplete')
    const items = f.list(f.mapping(fromYaml(text, where.slice(0, -1)), where, [key]), key, where)
    return items.map((item, i) => read(item, f.at(f.at(where, key), i)))
  }
  const groups: Group[] = []
  const scopes: Scope[] = []
  const grants: Grant[] = []
  const groupFiles = new Map<string, string>()
  const scopeFiles = new Map<string, string>()
  for (const [path, text] of files) {
    const file = `${label}/${path}`
    const where = `${file}:`
    if (path.startsWith('groups/')) {
      if (!/^groups\/[^/]+\.yaml$/.test(path)) f.fail(where, 'unexpected file in groups/')
      const group = canonical.group(groupFromDocument(fromYaml(text, file), where), where)
      claim(groupFiles, group.id, file, 'group')
      groups.push(group)
    } else if (path.startsWith('scopes/')) {
      if (!/^scopes\/[^/]+\/[^/]+\.yaml$/.test(path)) f.fail(where, 'unexpected file in scopes/')
      const document = f.mapping(fromYaml(text, file), where, [...canonical.SCOPE_FIELDS, 'parent-id', 'grants'])
      const { grants: _grants, ...fields } = document
      const scope = canonical.scope(fromReference(fields, 'parent'), where)
      claim(scopeFiles, scope.id, file, 'scope')
      scopes.push(scope)
      f.list(document, 'grants', where).forEach((item, i) => {
        grants.push(grantFromDocument(item, scope.id, f.at(f.at(where, 'grants'), i)))
      })
    }
  }
  const snapshot = {
    source,
    principals: entities('principals.yaml', 'principals', canonical.principal),
    roles: entities('roles.yaml', 'roles', canonical.role)
  }
  // Every entity was checked as it was read; only the order is left to settle.
  return canonical.sortSnapshot({ ...snapshot, groups, scopes, grants })
}

/*
 * The files are what a reviewer reads in the pull request, so every reference
 * is written by name, with the stable id beside it as `<key>-id` where the two
 * differ: `group: Platform admins` + `group-id: T_kgDOB9`. Reading takes the
 * id and ignores the name (names live in the entity's own file), and entries
 * are listed by name so a reviewer finds people where they expect them.
 */

/** Display names by id, per entity kind, for writing references. */
class Names {
  private readonly principals: Map<string, string>
  private readonly groups: Map<string, string>
  private readonly roles: Map<string, string>
  private readonly scopes: Map<string, string>

  constructor(s: Snapshot) {
    const index = (items: readonly { id: string; name: string }[]) => new Map(items.map((i) => [i.id, i.name]))
    this.principals = index(s.principals)
    this.groups = index(s.groups)
    this.roles = index(s.roles)
    this.scopes = index(s.scopes)
  }

  /** A member may be a principal or a nested group. */
  member = (id: string) => this.principals.get(id) ?? this.groups.get(id) ?? id
  principal = (id: string) => this.principals.get(id) ?? id
  group = (id: string) => this.groups.get(id) ?? id
  role = (id: string) => this.roles.get(id) ?? id
  scope = (id: string) => this.scopes.get(id) ?? id
}

type Document = Record<string, unknown>

/** `{ [key]: name, [key-id]: id }`, the id left out when it is the name. */
function reference(key: string, id: string, name: string): Document {
  return name === id ? { [key]: name } : { [key]: name, [`${key}-id`]: id }
}

/** Replaces an entity's optional id-valued field by a reference. */
function withReference(entity: object, key: string, nameOf: (id: string) => string): Document {
  const { [key]: id, ...rest } = entity as Document
  if (typeof id !== 'string') return rest
  const entries = Object.entries(entity).flatMap(([k, v]) =>
    k === key ? Object.entries(reference(key, id, nameOf(id))) : [[k, v] as const]
  )
  return Object.fromEntries(entries)
}

/** The inverse of `reference`: the id, from `<key>-id` or, when absent, the name. */
function fromReference(document: Document, key: string): Document {
  const { [`${key}-id`]: id, ...rest } = document
  return id === undefined ? rest : { ...rest, [key]: id }
}

function byName<T extends { id: string; name: string }>(items: readonly T[]): T[] {
  return canonical.sortByKey(items, (i) => [i.name, i.id])
}

function sortDocuments(documents: Document[]): Document[] {
  const text = (v: unknown) => (typeof v === 'string' ? v : v === undefined ? undefined : JSON.stringify(v))
  return canonical.sortByKey(documents, (d) => [
    d.principal === undefined ? 'group' : 'principal',
    text(d.principal ?? d.group),
    text(d['principal-id'] ?? d['group-id']),
    text(d.role),
    text(d['role-id']),
    text(d.via),
    text(d.id)
  ])
}

function groupDocument(group: Group, names: Names): Document {
  const members = canonical
    .sortByKey(group.members, (m) => [names.member(m.id), m.id, m.role])
    .map((m) => ({ ...reference('name', m.id, names.member(m.id)), role: m.role }))
  return withReference({ ...group, members }, 'parent', names.group)
}

function groupFromDocument(value: unknown, where: string): unknown {
  const document = f.mapping(value, where, [
    'id',
    'name',
    'description',
    'parent',
    'parent-id',
    'members',
    'externalMembers',
    'attributes'
  ])
  const members = f.list(document, 'members', where).map((item, i) => {
    const at = f.at(f.at(where, 'members'), i)
    const m = f.mapping(item, at, ['name', 'name-id', 'role'])
    return { id: m['name-id'] ?? m.name, role: m.role }
  })
  return { ...fromReference(document, 'parent'), members }
}

/**
 * How a grant that could be narrowed and is not (an empty restrictions map) is
 * written: explicitly, so it never reads like a grant whose restrictions were lost.
 */
const UNRESTRICTED = 'unrestricted'

/** A grant as its scope's file holds it: the file is the scope; subject and role are references. */
function grantDocument({ subject, scope: _scope, role, ...rest }: Grant, names: Names): Document {
  const subjectName = subject.type === 'principal' ? names.principal(subject.id) : names.group(subject.id)
  const restrictions =
    rest.restrictions && Object.keys(rest.restrictions).length === 0 ? UNRESTRICTED : rest.restrictions
  return {
    ...reference(subject.type, subject.id, subjectName),
    ...reference('role', role, names.role(role)),
    ...f.compact({ ...rest, restrictions })
  }
}

function grantFromDocument(value: unknown, scope: string, where: string): Grant {
  const document = f.mapping(value, where, [
    'principal',
    'principal-id',
    'group',
    'group-id',
    'role',
    'role-id',
    'via',
    'id',
    'restrictions',
    'attributes'
  ])
  const { principal, group, ...rest } = fromReference(
    fromReference(fromReference(document, 'principal'), 'group'),
    'role'
  )
  if ((principal === undefined) === (group === undefined)) f.fail(where, 'expected exactly one of principal or group')
  const subject = principal !== undefined ? { type: 'principal', id: principal } : { type: 'group', id: group }
  const restrictions = rest.restrictions === UNRESTRICTED ? {} : rest.restrictions
  return canonical.grant({ subject, scope, ...rest, restrictions }, where)
}

function assertUniqueIds(items: readonly { id: string }[], kind: string, where: string): void {
  const seen = new Set<string>()
  for (const { id } of items) {
    if (seen.has(id))
      f.fail(where, `${kind} id ${f.quote(id)} appears more than once; each ${kind} needs a file of its own`)
    seen.add(id)
  }
}

function claim(seen: Map<string, string>, id: string, file: string, kind: string): void {
  const other = seen.get(id)
  if (other !== undefined) f.fail(`${file}:`, `${kind} id ${f.quote(id)} is also stored in ${other}`)
  seen.set(id, file)
}

function sourceLabel(source: SourceRef): string {
  return `${source.type}/${source.name}`
}
