import type { Snapshot } from './types.js'

/**
 * Checks that a source's snapshot hangs together: unique ids per kind and no
 * reference to something the snapshot does not contain. A source that breaks
 * this has a bug, and storing its output would corrupt the baseline.
 */
export function validateSnapshot(snapshot: Snapshot): string[] {
  const problems: string[] = []
  const ids = (kind: string, items: { id: string }[]) => {
    const seen = new Set<string>()
    for (const { id } of items) {
      if (seen.has(id)) problems.push(`${kind} id '${id}' appears more than once`)
      seen.add(id)
    }
    return seen
  }
  const principals = ids('principal', snapshot.principals)
  const groups = ids('group', snapshot.groups)
  const roles = ids('role', snapshot.roles)
  const scopes = ids('scope', snapshot.scopes)
  for (const group of snapshot.groups) {
    if (group.parent !== undefined && !groups.has(group.parent))
      problems.push(`group '${group.id}' has unknown parent '${group.parent}'`)
    for (const member of group.members) {
      if (!principals.has(member.id) && !groups.has(member.id))
        problems.push(`group '${group.id}' has unknown member '${member.id}'`)
    }
  }
  for (const scope of snapshot.scopes) {
    if (scope.parent !== undefined && !scopes.has(scope.parent))
      problems.push(`scope '${scope.id}' has unknown parent '${scope.parent}'`)
  }
  for (const grant of snapshot.grants) {
    const known = grant.subject.type === 'group' ? groups : principals
    if (!known.has(grant.subject.id))
      problems.push(`grant refers to unknown ${grant.subject.type} '${grant.subject.id}'`)
    if (!roles.has(grant.role)) problems.push(`grant refers to unknown role '${grant.role}'`)
    if (!scopes.has(grant.scope)) problems.push(`grant refers to unknown scope '${grant.scope}'`)
  }
  return problems
}
