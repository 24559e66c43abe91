import { GROUP_SLUG } from '../model/settings.js'
import type { Group, Principal, Role, Scope, Snapshot, Subject } from '../model/types.js'
import { plainText } from './markdown-escape.js'

const ENTITY_LISTS = ['principals', 'groups', 'roles', 'scopes'] as const
type EntityList = (typeof ENTITY_LISTS)[number]

const KIND_LABELS: Record<Principal['kind'], string> = {
  user: '',
  'service-account': 'service account ',
  bot: 'bot ',
  app: 'app '
}

/**
 * Resolves ids to what a reviewer recognizes, preferring the newer snapshot
 * (current names) and falling back to the older one (removed entities) and
 * finally to the id itself. Every label is sanitized plain text; renderers
 * escape it for their format.
 */
export class Names {
  private readonly principals = new Map<string, Principal>()
  private readonly groups = new Map<string, Group>()
  private readonly roles = new Map<string, Role>()
  private readonly scopes = new Map<string, Scope>()
  /** The entities the older snapshot holds under an id the newer one also uses: a renamed entity's old name. */
  private readonly older = new Map<string, { name: string; attributes?: Record<string, string> }>()

  constructor(before?: Snapshot, after?: Snapshot) {
    for (const snapshot of [before, after]) {
      if (!snapshot) continue
      for (const p of snapshot.principals) this.principals.set(p.id, p)
      for (const g of snapshot.groups) this.groups.set(g.id, g)
      for (const r of snapshot.roles) this.roles.set(r.id, r)
      for (const s of snapshot.scopes) this.scopes.set(s.id, s)
    }
    if (before && after) {
      for (const kind of ENTITY_LISTS) for (const e of before[kind]) this.older.set(`${kind}\u0000${e.id}`, e)
    }
  }

  /**
   * Every raw name an entity had on either side (newest first), and for a
   * group its `slug` attribute: an audit event may use the name of the day.
   */
  spellings(kind: EntityList, id: string): { names: string[]; slugs: string[] } {
    const current = { principals: this.principals, groups: this.groups, roles: this.roles, scopes: this.scopes }[
      kind
    ].get(id)
    const entities = [current, this.older.get(`${kind}\u0000${id}`)].filter((e) => e !== undefined)
    const slugs = kind === 'groups' ? entities.map((e) => e.attributes?.[GROUP_SLUG]) : []
    return {
      names: [...new Set(entities.map((e) => e.name))],
      slugs: [...new Set(slugs.filter((s): s is string => s !== undefined))]
    }
  }

  principal(id: string): Principal | undefined {
    return this.principals.get(id)
  }

  group(id: string): Group | undefined {
    return this.groups.get(id)
  }

  role(id: string): Role | undefined {
    return this.roles.get(id)
  }

  scopeEntity(id: string): Scope | undefined {
    return this.scopes.get(id)
  }

  /** `alice`, `bot deploy[bot]`, `outside collaborator jdoe`, `group devs`. */
  subject(subject: Subject): string {
    if (subject.type === 'group') return `group ${this.groupName(subject.id)}`
    const p = this.principals.get(subject.id)
    if (!p) return plainText(subject.id)
    return `${p.external ? 'outside collaborator ' : ''}${KIND_LABELS[p.kind]}${plainText(p.name)}`
  }

  /** A group member: a principal, or a nested group. */
  member(id: string): string {
    if (this.principals.has(id)) return this.subject({ type: 'principal', id })
    if (this.groups.has(id)) return this.subject({ type: 'group', id })
    return plainText(id)
  }

  groupName(id: string): string {
    return plainText(this.groups.get(id)?.name ?? id)
  }

  roleName(id: string): string {
    return plainText(this.roles.get(id)?.name ?? id)
  }

  /** `organization acme`, `repository api`. */
  scope(id: string): string {
    const s = this.scopes.get(id)
    return s ? `${plainText(s.type, 40)} ${plainText(s.name)}` : plainText(id)
  }

  /** Where an inherited grant comes from: `team:<id>` → `group devs`, `folder:<id>` → `folder Finance`. */
  via(via: string | undefined): string {
    if (via === undefined) return 'direct'
    const colon = via.indexOf(':')
    if (colon < 0) return plainText(via)
    const id = via.slice(colon + 1)
    if (this.groups.has(id)) return `group ${this.groupName(id)}`
    if (this.scopes.has(id)) return this.scope(id)
    return plainText(via)
  }
}
