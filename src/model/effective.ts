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
 * administers that scope. `effectiveAccess` (below) turns this into every
 * principal's effective grants. Paths are shortest first and ties are broken by id,
 * so every answer is deterministic; cycles in bad data end the walk.
 */
import { grantKey, subjectKey } from './keys.js'
import { idList, SCOPE_SETTINGS } from './settings.js'
import { PRIVILEGE_RANK, type Grant, type Privilege, type Snapshot } from './types.js'

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
    for (const item of frontier) result.push(item)
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

/*
 * Every principal's effective grants, for the state pages and `show`: what
 * `AccessGraph` reaches, plus what scope settings give a whole population:
 * a `members-privilege` setting (GitHub's base repository permission) gives
 * every member of the scope (a principal reaching a grant at it that is not a
 * pending invitation) that tier on every scope under it, and `manager-groups`
 * (Octopus space managers) makes those groups' members administer the scope.
 */

export type AccessPathKind = 'direct' | 'group' | 'nested-group' | 'base' | 'manager'

export interface EffectiveGrant {
  principal: string
  /** A role id; for a base permission the tier (`read`), for a manager group `manager`. */
  role: string
  scope: string
  path: AccessPathKind
  /**
   * The groups from the principal to the holder of the grant: the group the
   * principal is an immediate member of first, the holder last. Empty for a
   * direct grant and a base permission.
   */
  groups: readonly string[]
  /** The stored grant (absent for a base permission and a manager group): its `via` and `restrictions`. */
  grant?: Grant
  /** A base permission reaches every scope under `scope`, not `scope` itself. */
  below?: boolean
  privilege?: Privilege
}

/** The role of the members of a scope's `manager-groups`. */
export const MANAGER_ROLE = 'manager'

/**
 * Every principal's effective grants, keyed by principal id (every principal
 * of the snapshot has an entry, possibly empty), in no particular order.
 */
export function effectiveAccess(snapshot: Snapshot, graph = new AccessGraph(snapshot)): Map<string, EffectiveGrant[]> {
  const privilegeOf = new Map(snapshot.roles.map((r) => [r.id, r.privilege]))
  const result = new Map<string, EffectiveGrant[]>()
  // Principals a grant names that the snapshot does not list still reach it (a hand-edited file).
  const ids = new Set(snapshot.principals.map((p) => p.id))
  for (const grant of snapshot.grants) if (grant.subject.type === 'principal') ids.add(grant.subject.id)
  for (const principal of ids) {
    const grants: EffectiveGrant[] = graph.principalReach(principal).map(({ grant, path }) => ({
      principal,
      role: grant.role,
      scope: grant.scope,
      path: path.length === 0 ? 'direct' : path.length === 1 ? 'group' : 'nested-group',
      groups: path,
      grant,
      privilege: privilegeOf.get(grant.role)
    }))
    for (const { scope, path } of graph.principalManages(principal)) {
      grants.push({ principal, role: MANAGER_ROLE, scope, path: 'manager', groups: path, privilege: 'admin' })
    }
    result.set(principal, grants)
  }
  addBasePermissions(snapshot, result)
  return result
}

/** The tier a scope's `members-privilege` gives its members under it, or undefined when none. */
export function basePrivilege(scope: { attributes?: Record<string, string> }): Privilege | undefined {
  const value = scope.attributes?.[SCOPE_SETTINGS.membersPrivilege]
  return value !== undefined && value in PRIVILEGE_RANK ? (value as Privilege) : undefined
}

function addBasePermissions(snapshot: Snapshot, result: Map<string, EffectiveGrant[]>): void {
  const bases = snapshot.scopes.flatMap((scope) => {
    const privilege = basePrivilege(scope)
    return privilege ? [{ scope: scope.id, privilege }] : []
  })
  if (bases.length === 0) return
  const pending = new Set(snapshot.principals.filter((p) => p.pending).map((p) => p.id))
  for (const { scope, privilege } of bases) {
    for (const [principal, grants] of result) {
      if (pending.has(principal)) continue
      if (!grants.some((g) => g.scope === scope && g.privilege !== undefined && g.path !== 'base')) continue
      grants.push({ principal, role: privilege, scope, path: 'base', groups: [], below: true, privilege })
    }
  }
}

/** The highest privilege among grants, or undefined when none is ranked. */
export function highestPrivilege(grants: readonly { privilege?: Privilege }[]): Privilege | undefined {
  let best: Privilege | undefined
  for (const { privilege } of grants) {
    if (privilege !== undefined && (best === undefined || PRIVILEGE_RANK[privilege] > PRIVILEGE_RANK[best]))
      best = privilege
  }
  return best
}
