/**
 * Scopes that vanish without a trace. Credentials that lose sight of part of
 * a system (a UiPath app unassigned from a top-level folder, an EPM user that
 * loses its role in a set, an Octopus key whose user leaves a space) see a
 * smaller system that is still whole: no orphan, no error, nothing in the
 * answer says anything is missing. The previous snapshot does. A scope it
 * holds that the source cannot see now, and that no audit event of the window
 * deletes (itself or a scope enclosing it), is returned to the pipeline, which
 * holds the source back like a mass removal rather than silently dropping
 * every grant in it; a real deletion is accepted the same way as one.
 */
import type { Snapshot } from '../model/types.js'
import type { VanishedScopes as Vanished } from './types.js'

export interface VanishedScopesCheck {
  /** The system as users know it ("UiPath Orchestrator"). */
  system: string
  /** The scope type compared (`folder`, `set`, `space`); other types are the source's own business. */
  type: string
  /** Plural of `type`, for the message. */
  plural: string
  previous: Snapshot | undefined
  /** Ids of every scope of that type the source sees now, before any setting or filter leaves some out. */
  seen: Iterable<string>
  /** Scope ids the window's audit events delete; a scope inside a deleted one counts as deleted too. */
  deleted: Iterable<string>
  /** What hides a scope from these credentials, and how to give the sight back. */
  hint: string
}

export function vanishedScopes(check: VanishedScopesCheck): Vanished | undefined {
  const { previous } = check
  if (!previous) return undefined
  const seen = new Set(check.seen)
  const deleted = new Set(check.deleted)
  const parents = new Map(previous.scopes.map((s) => [s.id, s.parent]))
  const explained = (id: string) => {
    // The previous snapshot's tree says what a deletion took with it; a cycle in a hand-edited file ends the walk.
    const visited = new Set<string>()
    for (let at: string | undefined = id; at !== undefined && !visited.has(at); at = parents.get(at)) {
      if (deleted.has(at)) return true
      visited.add(at)
    }
    return false
  }
  const vanished = previous.scopes.filter((s) => s.type === check.type && !seen.has(s.id) && !explained(s.id))
  if (vanished.length === 0) return undefined
  const grants = new Map<string, number>()
  for (const grant of previous.grants) grants.set(grant.scope, (grants.get(grant.scope) ?? 0) + 1)
  const named = vanished
    .slice(0, 5)
    .map((s) => `'${s.name}' (id ${s.id}, ${grants.get(s.id) ?? 0} grants)`)
    .join(', ')
  const more = vanished.length > 5 ? ` and ${vanished.length - 5} more` : ''
  return {
    message: `${check.system}: ${vanished.length} ${vanished.length === 1 ? check.type : check.plural} of the previous snapshot cannot be seen now and no audit event of the window deletes ${vanished.length === 1 ? 'it' : 'them'}: ${named}${more}; ${vanished.length === 1 ? 'its' : 'their'} grants would read as revoked`,
    hint: check.hint
  }
}
