import type { Snapshot } from './types.js'

/**
 * Keeps the scopes a config's `include`/`exclude` globs select (matched
 * against scope names, case-insensitively; `*` matches any run of characters,
 * `?` one) and drops the grants of the others. Principals, groups and roles
 * stay: who exists is still worth knowing.
 */
export function filterScopes(snapshot: Snapshot, include?: string[], exclude?: string[]): Snapshot {
  if (!include?.length && !exclude?.length) return snapshot
  const included = include?.length ? include.map(globToRegExp) : undefined
  const excluded = (exclude ?? []).map(globToRegExp)
  const keep = (name: string) =>
    (!included || included.some((r) => r.test(name))) && !excluded.some((r) => r.test(name))
  const selected = snapshot.scopes.filter((scope) => keep(scope.name))
  const kept = new Set(selected.map((s) => s.id))
  // A kept repository whose organization was filtered out no longer points at it.
  const scopes = selected.map(({ parent, ...scope }) =>
    parent !== undefined && kept.has(parent) ? { ...scope, parent } : scope
  )
  return { ...snapshot, scopes, grants: snapshot.grants.filter((g) => kept.has(g.scope)) }
}

export function globToRegExp(glob: string): RegExp {
  const source = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.')
  return new RegExp(`^${source}$`, 'i')
}
