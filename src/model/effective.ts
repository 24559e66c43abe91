/**
 * Effective access, derived from what the model stores (direct grants and
 * immediate memberships) and never stored itself. Membership of a group
 * confers what the group holds, and also what every group it confers holds:
 *
 * - its parent, and the parent's parent (groups nested by `parent`: a GitHub
 *   child team's members get the parent team's access);
 * - every group it is itself a member of (groups nested by membership: a
 *   `Membership` whose id names a group, as directory groups nest).
 *
 * Beside grants, a group named in a scope's `manager-groups` setting
 * administers that scope. Paths are shortest first and ties are broken by id,
 * so every answer is deterministic; cycles in bad data end the walk.
 */
import { grantKey, subjectKey } from './keys.js'
import { idList, SCOPE_SETTINGS } from './settings.js'
import type { Grant, Snapshot } from './types.js'

/**
 * A grant somebody can use, and how it reaches them: the group ids from the
 * group they are (or started as) a member of to the group holding the grant.
 * Empty for a principal's direct grant; `[g]` for a grant group `g` holds itself.
 */
export interface Reach {
  grant: Grant
  path: string[]
}

/** A scope administered through a `manager-groups` setting, with the path to the managing group. */
export interface ManagedScope {
  scope: string
  path: string[]
}

/** A group membership confers, with the path to it (`[start, ..., group]`). */
export interface Conferred {
  group: string
  path: string[]
}

export class AccessGraph {
  private readonly grants = new Map<string, Grant[]>()
  /** Group id → the groups membership of it confers directly (parent, containing groups), sorted. */
  private readonly up = new Map<string, string[]>()
  /** Group id → the groups whose membership confers it directly (children, member groups), sorted. */
  private readonly down = new Map<string, string[]>()
  /** Principal id → the groups it is an immediate member of, sorted. */
  private readonly groupsOf = new Map<string, string[]>()
  /** Group id → the principals that are its immediate members, sorted. */
  private readonly principalsIn = new Map<string, string[]>()
  private readonly managed = new Map<string, string[]>()

  constructor(snapshot: Snapshot) {
    const principals = new Set(snapshot.principals.map((p) => p.id))
    const groups = new Set(snapshot.groups.map((g) => g.id))
    for (const grant of snapshot.grants) push(this.grants, subjectKey(grant.subject), grant)
    for (const group of snapshot.groups) {
      if (group.parent !== undefined && groups.has(group.parent)) this.link(group.id, group.parent)
      for (const member of group.members) {
        // A member id that names both a principal and a group is the principal, as everywhere in the report.
        if (principals.has(member.id)) {
          push(this.groupsOf, member.id, group.id)
          push(this.principalsIn, group.id, member.id)
        } else if (groups.has(member.id)) this.link(member.id, group.id)
      }
    }
    for (const scope of snapshot.scopes) {
      for (const id of idList(scope.attributes?.[SCOPE_SETTINGS.managerGroups])) push(this.managed, id, scope.id)
    }
    for (const map of [this.up, this.down, this.groupsOf, this.principalsIn, this.managed]) {
      for (const [key, list] of map) map.set(key, [...new Set(list)].sort())
    }
  }

  private link(from: string, to: string): void {
    push(this.up, from, to)
    push(this.down, to, from)
  }

  /** The groups membership of `groupId` confers, itself first, each once with its shortest path. */
  conferredBy(groupId: string): Conferred[] {
    return walk([groupId], (id) => this.up.get(id) ?? []).map(({ node, path }) => ({ group: node, path }))
  }

  /** The grants membership of `groupId` reaches: its own, then those of the groups it confers. */
  groupReach(groupId: string): Reach[] {
    return this.reachFrom([], this.conferredBy(groupId))
  }

  /** Everything a principal can use: direct grants (empty path), then grants through groups. */
  principalReach(principalId: string): Reach[] {
    return this.reachFrom(this.grants.get(`principal:${principalId}`) ?? [], this.groupsReachedBy(principalId))
  }

  /** The scopes a group's members administer through `manager-groups`, with the path to the manager. */
  groupManages(groupId: string): ManagedScope[] {
    return this.managedFrom(this.conferredBy(groupId))
  }

  /** The scopes a principal administers through `manager-groups`. */
  principalManages(principalId: string): ManagedScope[] {
    return this.managedFrom(this.groupsReachedBy(principalId))
  }

  /** Every principal whose membership (immediate or through nesting) reaches `groupId`, sorted. */
  effectiveMembers(groupId: string): string[] {
    const members = new Set<string>()
    for (const { node } of walk([groupId], (id) => this.down.get(id) ?? [])) {
      for (const id of this.principalsIn.get(node) ?? []) members.add(id)
    }
    return [...members].sort()
  }

  private groupsReachedBy(principalId: string): Conferred[] {
    return walk(this.groupsOf.get(principalId) ?? [], (id) => this.up.get(id) ?? []).map(({ node, path }) => ({
      group: node,
      path
    }))
  }

  private reachFrom(direct: Grant[], groups: Conferred[]): Reach[] {
    const seen = new Set<string>()
    const reach: Reach[] = []
    const add = (grant: Grant, path: string[]) => {
      const key = grantKey(grant)
      if (seen.has(key)) return
      seen.add(key)
      reach.push({ grant, path })
    }
    for (const grant of direct) add(grant, [])
    for (const { group, path } of groups) for (const grant of this.grants.get(`group:${group}`) ?? []) add(grant, path)
    return reach
  }

  private managedFrom(groups: Conferred[]): ManagedScope[] {
    const seen = new Set<string>()
    const result: ManagedScope[] = []
    for (const { group, path } of groups) {
      for (const scope of this.managed.get(group) ?? []) {
        if (seen.has(scope)) continue
        seen.add(scope)
        result.push({ scope, path })
      }
    }
    return result
  }
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** Breadth first from `starts` (sorted), each node once with its shortest path; ties go to the smaller id. */
function walk(starts: string[], next: (id: string) => string[]): { node: string; path: string[] }[] {
  const seen = new Set<string>()
  let frontier = [...new Set(starts)].sort().map((node) => ({ node, path: [node] }))
  const result: { node: string; path: string[] }[] = []
  for (const item of frontier) seen.add(item.node)
  while (frontier.length > 0) {
    result.push(...frontier)
    const following: { node: string; path: string[] }[] = []
    for (const { node, path } of frontier) {
      for (const id of next(node)) {
        if (seen.has(id)) continue
        seen.add(id)
        following.push({ node: id, path: [...path, id] })
      }
    }
    frontier = following
  }
  return result
}
