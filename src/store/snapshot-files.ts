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
  const files = new Map<string, string>()
  files.set('principals.yaml', toYamlFile({ principals: s.principals }))
  files.set('roles.yaml', toYamlFile({ roles: s.roles }))

  const groupFiles = assignFileNames(s.groups)
  for (const group of s.groups) files.set(`groups/${groupFiles.get(group.id)}.yaml`, toYamlFile(group))

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
      const grants = (grantsByScope.get(scope.id) as Grant[]).map(grantDocument)
      files.set(`scopes/${typeFolders.get(type)}/${scopeFiles.get(scope.id)}.yaml`, toYamlFile({ ...scope, grants }))
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
      const group = canonical.group(fromYaml(text, file), where)
      claim(groupFiles, group.id, file, 'group')
      groups.push(group)
    } else if (path.startsWith('scopes/')) {
      if (!/^scopes\/[^/]+\/[^/]+\.yaml$/.test(path)) f.fail(where, 'unexpected file in scopes/')
      const document = f.mapping(fromYaml(text, file), where, [...canonical.SCOPE_FIELDS, 'grants'])
      const { grants: _grants, ...fields } = document
      const scope = canonical.scope(fields, where)
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

/** A grant as its scope's file holds it: the file is the scope, the subject reads `principal: <id>` or `group: <id>`. */
function grantDocument({ subject, scope: _scope, ...rest }: Grant): Record<string, unknown> {
  return { [subject.type]: subject.id, ...rest }
}

function grantFromDocument(value: unknown, scope: string, where: string): Grant {
  const document = f.mapping(value, where, ['principal', 'group', 'role', 'via', 'id', 'restrictions', 'attributes'])
  const { principal, group, ...rest } = document
  if ((principal === undefined) === (group === undefined)) f.fail(where, 'expected exactly one of principal or group')
  const subject = principal !== undefined ? { type: 'principal', id: principal } : { type: 'group', id: group }
  return canonical.grant({ subject, scope, ...rest }, where)
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
