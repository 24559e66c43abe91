/**
 * One source's snapshot prepared for reading: its effective access, entities
 * by id, scopes in tree order, and the labels every view writes (computed once
 * per entity: a large organization's pages repeat them a million times).
 * Labels are system text; formats escape them.
 */
import { compareStrings } from '../diff/canonical.js'
import { AccessGraph, effectiveAccess, highestPrivilege, type EffectiveGrant } from '../model/effective.js'
import { sourceKey } from '../model/people.js'
import {
  PRIVILEGE_RANK,
  type Grant,
  type Group,
  type Principal,
  type Privilege,
  type Role,
  type Scope,
  type Snapshot
} from '../model/types.js'
import { Names } from '../report/names.js'
import { own, type Inline } from './format.js'

const KIND_MARKS: Record<Principal['kind'], string | undefined> = {
  user: undefined,
  'service-account': 'service account',
  bot: 'bot',
  app: 'app'
}

export interface LabelledGrant {
  grant: EffectiveGrant
  rank: number
  scopeRank: number
  role: string
  reach: string
  through: string
  restrictions: string
}

export interface BaseReach {
  /** The tier every member holds on every scope under the one that sets it. */
  role: string
  privilege?: Privilege
  members: number
}

export class SourceView {
  readonly key: string
  readonly principals: Principal[]
  readonly groups: Group[]
  readonly roles: Role[]
  /** In tree order: each scope followed by its children; siblings by type, name and id. */
  readonly scopes: Scope[]
  readonly effective: Map<string, EffectiveGrant[]>
  /** Effective members (principal ids) of each group, nested groups included. */
  readonly members: Map<string, Set<string>>
  /** Groups whose parent is the key. */
  readonly children: Map<string, Group[]>
  /** Stored grants by scope id, and by holding group id. */
  readonly grantsAt = new Map<string, Grant[]>()
  readonly grantsOf = new Map<string, Grant[]>()
  /** Base permissions by the scope that declares them, with how many principals they reach. */
  readonly bases = new Map<string, BaseReach[]>()
  private readonly principalById: Map<string, Principal>
  private readonly groupById: Map<string, Group>
  private readonly roleById: Map<string, Role>
  private readonly scopeById: Map<string, Scope>
  private readonly scopeRank = new Map<string, number>()
  private readonly names: Names
  private readonly scopeLabels = new Map<string, string>()
  private readonly childNouns = new Map<string, string>()
  private readonly restrictionLabels = new WeakMap<Record<string, string[]>, string>()
  private readonly chainLabels = new WeakMap<readonly string[], string>()
  private readonly viaLabels = new Map<string, Map<string, string>>()
  private readonly principalLabels = new Map<string, readonly Inline[]>()

  constructor(readonly snapshot: Snapshot) {
    this.key = sourceKey(snapshot.source)
    const byName = <T extends { id: string; name: string }>(items: readonly T[]) =>
      [...items].sort((a, b) => compareStrings(a.name, b.name) || compareStrings(a.id, b.id))
    this.principals = byName(snapshot.principals)
    this.groups = byName(snapshot.groups)
    this.roles = byName(snapshot.roles)
    this.principalById = new Map(snapshot.principals.map((p) => [p.id, p]))
    this.groupById = new Map(snapshot.groups.map((g) => [g.id, g]))
    this.roleById = new Map(snapshot.roles.map((r) => [r.id, r]))
    this.scopeById = new Map(snapshot.scopes.map((s) => [s.id, s]))
    this.scopes = treeOrder(snapshot.scopes)
    this.scopes.forEach((scope, i) => this.scopeRank.set(scope.id, i))
    this.names = new Names(undefined, snapshot)
    const graph = new AccessGraph(snapshot)
    this.effective = effectiveAccess(snapshot, graph)
    this.members = new Map(snapshot.groups.map((g) => [g.id, new Set(graph.effectiveMembers(g.id))]))
    this.children = new Map()
    for (const group of this.groups) {
      if (group.parent === undefined) continue
      const list = this.children.get(group.parent)
      if (list) list.push(group)
      else this.children.set(group.parent, [group])
    }
    for (const grant of snapshot.grants) {
      push(this.grantsAt, grant.scope, grant)
      if (grant.subject.type === 'group') push(this.grantsOf, grant.subject.id, grant)
    }
    for (const grants of this.effective.values()) {
      for (const grant of grants) {
        if (grant.path !== 'base') continue
        const list = this.bases.get(grant.scope) ?? []
        let base = list.find((b) => b.role === grant.role)
        if (!base) {
          base = { role: grant.role, privilege: grant.privilege, members: 0 }
          list.push(base)
          this.bases.set(grant.scope, list)
        }
        base.members++
      }
    }
  }

  principal(id: string): Principal | undefined {
    return this.principalById.get(id)
  }

  group(id: string): Group | undefined {
    return this.groupById.get(id)
  }

  role(id: string): Role | undefined {
    return this.roleById.get(id)
  }

  scope(id: string): Scope | undefined {
    return this.scopeById.get(id)
  }

  /** Effective grants of a principal with the labels a table shows: highest privilege first, then in scope order. */
  labelledAccess(principal: string): LabelledGrant[] {
    const rows: LabelledGrant[] = (this.effective.get(principal) ?? []).map((grant) => ({
      grant,
      rank: rank(grant.privilege),
      scopeRank: this.scopeRank.get(grant.scope) ?? Infinity,
      role: this.roleName(grant.role),
      reach: this.reachLabel(grant),
      through: this.through(grant),
      restrictions: this.restrictions(grant.grant)
    }))
    return rows.sort(
      (a, b) =>
        b.rank - a.rank ||
        a.scopeRank - b.scopeRank ||
        compareStrings(a.grant.scope, b.grant.scope) ||
        compareStrings(a.role, b.role) ||
        compareStrings(a.through, b.through) ||
        compareStrings(a.restrictions, b.restrictions)
    )
  }

  highest(principal: string): Privilege | undefined {
    return highestPrivilege(this.effective.get(principal) ?? [])
  }

  /** The highest privilege as shown: a tier, `unranked` (access through roles without one), or `no access`. */
  highestLabel(principal: string): string {
    return this.highest(principal) ?? (this.holdsAccess(principal) ? 'unranked' : 'no access')
  }

  holdsAccess(principal: string): boolean {
    return (this.effective.get(principal)?.length ?? 0) > 0
  }

  /** What a reader should notice about an account: inactive, not a person, outside, not yet joined. */
  marks(principal: Principal): string[] {
    const marks: string[] = []
    if (principal.active === false) marks.push('inactive')
    const kind = KIND_MARKS[principal.kind]
    if (kind) marks.push(kind)
    if (principal.external) marks.push('external')
    if (principal.pending) marks.push('pending invitation')
    return marks
  }

  /** Inactive accounts and non-person accounts that still reach a grant: what an access review looks for. */
  flagged(principal: Principal): boolean {
    return (principal.active === false || principal.kind !== 'user') && this.holdsAccess(principal.id)
  }

  principalName(id: string): string {
    return this.principalById.get(id)?.name ?? id
  }

  /** A principal with its marks, `bob (inactive)`: the name is system text, the marks are ours. */
  principalLabel(id: string): readonly Inline[] {
    let label = this.principalLabels.get(id)
    if (label === undefined) {
      const principal = this.principalById.get(id)
      const marks = principal ? this.marks(principal) : []
      label = marks.length > 0 ? [principal!.name, own(` (${marks.join(', ')})`)] : [principal?.name ?? id]
      this.principalLabels.set(id, label)
    }
    return label
  }

  groupName(id: string): string {
    return this.groupById.get(id)?.name ?? id
  }

  roleName(id: string): string {
    return this.roleById.get(id)?.name ?? id
  }

  /** `repository api`. */
  scopeLabel(id: string): string {
    let label = this.scopeLabels.get(id)
    if (label === undefined) {
      const scope = this.scopeById.get(id)
      label = scope ? `${scope.type} ${scope.name}` : id
      this.scopeLabels.set(id, label)
    }
    return label
  }

  /** Where an effective grant applies: the scope, or every scope under it for a base permission. */
  reachLabel(grant: EffectiveGrant): string {
    return grant.below ? this.underLabel(grant.scope) : this.scopeLabel(grant.scope)
  }

  /** `every repository under organization acme`. */
  underLabel(id: string): string {
    return `every ${this.childNoun(id)} under ${this.scopeLabel(id)}`
  }

  /** What a scope's children are: their type when they share one (`repository`), else `scope`. */
  childNoun(id: string): string {
    let noun = this.childNouns.get(id)
    if (noun === undefined) {
      const types = new Set(this.snapshot.scopes.filter((s) => s.parent === id).map((s) => s.type))
      noun = types.size === 1 ? [...types][0]! : 'scope'
      this.childNouns.set(id, noun)
    }
    return noun
  }

  /** The scope and its ancestors that set a base permission, nearest first; cycles end. */
  basesAbove(id: string): { scope: string; base: BaseReach }[] {
    const found: { scope: string; base: BaseReach }[] = []
    const seen = new Set<string>([id])
    for (
      let up = this.scopeById.get(id)?.parent;
      up !== undefined && !seen.has(up);
      up = this.scopeById.get(up)?.parent
    ) {
      seen.add(up)
      for (const base of this.bases.get(up) ?? []) found.push({ scope: up, base })
    }
    return found
  }

  /**
   * `direct`, `group Payments → group Platform`, `base permission`, with where
   * an inherited grant comes from. Called once per effective grant (a million
   * in a large organization): chains are shared arrays, so labels are cached
   * by array, not by a key built per call.
   */
  through(grant: EffectiveGrant): string {
    const via = grant.grant?.via
    let path: string
    if (grant.path === 'direct') path = 'direct'
    else if (grant.path === 'base') path = 'base permission'
    else {
      let label = this.chainLabels.get(grant.groups)
      if (label === undefined) {
        label = grant.groups.map((g) => `group ${this.groupName(g)}`).join(' → ')
        if (grant.path === 'manager') label += ' (a manager group of the scope)'
        this.chainLabels.set(grant.groups, label)
      }
      path = label
    }
    if (via === undefined) return path
    let byVia = this.viaLabels.get(path)
    if (!byVia) this.viaLabels.set(path, (byVia = new Map()))
    let label = byVia.get(via)
    if (label === undefined) {
      label = `${path}, inherited from ${this.names.via(via)}`
      byVia.set(via, label)
    }
    return label
  }

  /** Where a stored grant is inherited from, or `direct`. */
  inheritedFrom(grant: Grant): string {
    return grant.via === undefined ? 'direct' : `inherited from ${this.names.via(grant.via)}`
  }

  /** `environments: Production, Test; projects: Web`, or empty when unrestricted. */
  restrictions(grant: Grant | undefined): string {
    const restrictions = grant?.restrictions
    if (!restrictions) return ''
    let text = this.restrictionLabels.get(restrictions)
    if (text === undefined) {
      text = Object.keys(restrictions)
        .sort(compareStrings)
        .map((dimension) => `${dimension}: ${[...restrictions[dimension]!].sort(compareStrings).join(', ') || 'none'}`)
        .join('; ')
      this.restrictionLabels.set(restrictions, text)
    }
    return text
  }

  scopeOrder(a: string, b: string): number {
    return (this.scopeRank.get(a) ?? Infinity) - (this.scopeRank.get(b) ?? Infinity) || compareStrings(a, b)
  }
}

export function privilegeLabel(privilege: Privilege | undefined): string {
  return privilege ?? ''
}

function rank(privilege: Privilege | undefined): number {
  return privilege === undefined ? 0 : PRIVILEGE_RANK[privilege]
}

/** Roots by type, name and id, each followed by its subtree; a cycle or a dangling parent makes a root. */
function treeOrder(scopes: readonly Scope[]): Scope[] {
  const ids = new Set(scopes.map((s) => s.id))
  const order = (a: Scope, b: Scope) =>
    compareStrings(a.type, b.type) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id)
  const children = new Map<string, Scope[]>()
  const roots: Scope[] = []
  for (const scope of scopes) {
    if (scope.parent !== undefined && ids.has(scope.parent) && scope.parent !== scope.id) {
      push(children, scope.parent, scope)
    } else roots.push(scope)
  }
  const result: Scope[] = []
  const seen = new Set<string>()
  // Depth-first without recursion: a hostile export can nest scopes deeper than the call stack.
  const visit = (top: Scope) => {
    const stack = [top]
    while (stack.length > 0) {
      const scope = stack.pop()!
      if (seen.has(scope.id)) continue
      seen.add(scope.id)
      result.push(scope)
      const kids = (children.get(scope.id) ?? []).sort(order)
      for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]!)
    }
  }
  for (const root of roots.sort(order)) visit(root)
  // Scopes caught in a parent cycle have no root above them: list them after the tree.
  for (const scope of [...scopes].sort(order)) visit(scope)
  return result
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
