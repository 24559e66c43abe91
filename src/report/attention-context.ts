/** What the attention rules share: resolved names, privilege tiers, and how a grant or an entity is written. */
import { compareStrings } from '../diff/canonical.js'
import type { SnapshotChanges } from '../diff/types.js'
import { PRIVILEGE_RANK, type Grant, type Privilege, type Snapshot, type Subject } from '../model/types.js'
import type { AttentionItem } from './attention.js'
import type { Change, Entity } from './attribution.js'
import { plainText } from './markdown-escape.js'
import { Names } from './names.js'

/** An item before it is given its source and its attribution; `about` says what to look up. */
export type Draft = Omit<AttentionItem, 'source' | 'by'> & { about?: Change }

export const SERVICE_KINDS = new Set(['service-account', 'bot', 'app'])

export class RuleContext {
  readonly names: Names

  constructor(
    readonly changes: SnapshotChanges,
    readonly before: Snapshot | undefined,
    readonly after: Snapshot | undefined
  ) {
    this.names = new Names(before, after)
  }

  privilege(role: string): Privilege | undefined {
    return this.names.role(role)?.privilege
  }

  rank(privilege: Privilege | undefined): number {
    return privilege ? PRIVILEGE_RANK[privilege] : 0
  }

  /** `write`, or `Deployment creator (write)` when the name does not say the tier. */
  roleText(role: string): string {
    const p = this.privilege(role)
    const name = this.names.roleName(role)
    return p && p !== name.toLowerCase() ? `${name} (${p})` : name
  }

  /** `on repository api`, `on repository api via group devs`. */
  on(grant: Grant): string {
    return `on ${this.names.scope(grant.scope)}${grant.via ? ` via ${this.names.via(grant.via)}` : ''}`
  }

  /** ` (environments: Production, Staging)`: what narrows a grant, empty when nothing does. */
  restrictionText(restrictions: Grant['restrictions']): string {
    const dimensions = Object.entries(restrictions ?? {})
    if (dimensions.length === 0) return ''
    const parts = dimensions.map(
      ([dimension, values]) =>
        `${plainText(dimension, 40)}: ${listText(
          values.map((v) => plainText(v)),
          5
        )}`
    )
    return ` (${parts.join('; ')})`
  }

  subjectEntity(subject: Subject): Entity {
    return subject.type === 'group' ? this.groupEntity(subject.id) : this.principalEntity(subject.id)
  }

  principalEntity(id: string): Entity {
    return { type: 'principal', id, names: this.names.spellings('principals', id).names }
  }

  groupEntity(id: string): Entity {
    return { type: 'group', id, ...this.names.spellings('groups', id) }
  }

  /** A group member: a principal, or a nested group. */
  memberEntity(id: string): Entity {
    return this.names.principal(id) || !this.names.group(id) ? this.principalEntity(id) : this.groupEntity(id)
  }

  roleEntity(id: string): Entity {
    return { type: 'role', id, names: this.names.spellings('roles', id).names }
  }

  scopeEntity(id: string): Entity {
    const scope = this.names.scopeEntity(id)
    return { ...(scope ? { type: scope.type } : {}), id, names: this.names.spellings('scopes', id).names }
  }

  /** What attribution looks for about a grant: who holds it, where, and its own id where it has one. */
  grantChange(kinds: Change['kinds'], grant: Grant): Change {
    return {
      kinds,
      subject: this.subjectEntity(grant.subject),
      scope: this.scopeEntity(grant.scope),
      ...(grant.id !== undefined ? { grant: grant.id } : {})
    }
  }
}

/** A system's message as one sanitized sentence, so the next one does not run into it. */
export function sentence(value: string): string {
  const line = plainText(value, 600)
  return /[.!?…]$/.test(line) ? line : `${line}.`
}

export function listText(items: string[], max: number): string {
  return items.length > max ? `${items.slice(0, max).join(', ')} and ${items.length - max} more` : items.join(', ')
}

/** Items sorted by their text, for messages that list them. */
export function sortedText(items: string[]): string[] {
  return [...items].sort(compareStrings)
}
