/**
 * The page of one source: a header with counts and the accounts to review,
 * then groups and teams (members, parent, what each holds), roles (privilege
 * tier, permissions), access by scope (who holds which role, directly or
 * through which group, inherited from where, restricted to what) and
 * effective access by person (what each principal reaches, and through what,
 * highest privilege first). Each part is a section of its own so the layout
 * can put a large source's groups, scopes and people on pages of their own.
 */
import { compareStrings } from '../diff/canonical.js'
import { PRIVILEGE_RANK, type Grant, type Group, type Principal, type Privilege, type Scope } from '../model/types.js'
import { own, type Cell, type Column, type Format, type Inline } from './format.js'
import { privilegeLabel, type LabelledGrant, type SourceView } from './source-view.js'

export interface Section {
  id: string
  /** What the section is listed as in an index. */
  name: string
  body: string
}

export interface SourceSections {
  header: string
  groups: Section[]
  roles: string
  scopes: Section[]
  /** People are rendered on demand: a large source's add up to a hundred megabytes, best not held at once. */
  principals: Principal[]
  person(principal: Principal): string
}

export const PART_TITLES = {
  groups: 'Groups and teams',
  roles: 'Roles',
  scopes: 'Access by scope',
  people: 'Effective access by person'
} as const

/** Flagged accounts named in the header; the rest are counted (all are marked below). */
const FLAGGED_NAMED = 50
const PRIVILEGES: Privilege[] = ['owner', 'admin', 'write', 'read']

export function sourceSections(view: SourceView, format: Format): SourceSections {
  return {
    header: header(view, format),
    groups: view.groups.map((group) => ({ id: group.id, name: group.name, body: groupSection(view, format, group) })),
    roles: rolesSection(view, format),
    scopes: view.scopes.map((scope) => ({
      id: scope.id,
      name: view.scopeLabel(scope.id),
      body: scopeSection(view, format, scope)
    })),
    principals: view.principals,
    person: (principal) => personSection(view, format, principal)
  }
}

function header(view: SourceView, f: Format): string {
  const s = view.snapshot
  let out = f.heading(1, view.key)
  out += f.paragraph([
    own('The permission state of '),
    { text: view.key, strong: true },
    own(
      ' as stored in this snapshot: every group with its members, every role, who holds what at each scope, and what each principal can reach. Memberships and direct grants are what is stored; effective access is derived from them (through groups, nested groups, inherited roles and base permissions).'
    )
  ])
  out += f.table(
    ['Principals', 'Groups', 'Roles', 'Scopes', 'Grants'].map((title) => ({ title, align: 'right' as const })),
    [[s.principals.length, s.groups.length, s.roles.length, s.scopes.length, s.grants.length].map((n) => own(n))]
  )
  const tiers = new Map<string, number>()
  for (const p of view.principals) {
    const tier = view.highestLabel(p.id)
    tiers.set(tier, (tiers.get(tier) ?? 0) + 1)
  }
  const tierText = [...PRIVILEGES, 'unranked', 'no access']
    .filter((t) => tiers.has(t))
    .map((t) => `${t} ${tiers.get(t)}`)
  if (tierText.length > 0) out += f.paragraph(own(`Principals by highest privilege: ${tierText.join(', ')}.`))
  const flagged = view.principals.filter((p) => view.flagged(p))
  if (flagged.length > 0) {
    const inactive = flagged.filter((p) => p.active === false).length
    const kinds = [
      inactive > 0 ? count(inactive, 'inactive account') : '',
      flagged.length > inactive
        ? count(
            flagged.length - inactive,
            'active service account, bot or app',
            'active service accounts, bots or apps'
          )
        : ''
    ].filter(Boolean)
    const parts: Inline[] = [
      own(`Accounts to review: ${kinds.join(' and ')} still ${flagged.length === 1 ? 'holds' : 'hold'} access: `)
    ]
    flagged.slice(0, FLAGGED_NAMED).forEach((p, i) => {
      if (i > 0) parts.push(own(', '))
      parts.push(...view.principalLabel(p.id))
    })
    if (flagged.length > FLAGGED_NAMED) parts.push(own(`, and ${flagged.length - FLAGGED_NAMED} more`))
    parts.push(own('. They are marked below.'))
    out += f.paragraph(parts)
  }
  return out
}

function groupSection(view: SourceView, f: Format, group: Group): string {
  let out = f.heading(3, group.name)
  const facts: Inline[] = [own('Parent: '), group.parent === undefined ? own('none') : view.groupName(group.parent)]
  const children = view.children.get(group.id) ?? []
  if (children.length > 0) {
    facts.push(own('. Child groups (their members reach what this group holds): '))
    children.forEach((child, i) => {
      if (i > 0) facts.push(own(', '))
      facts.push(child.name)
    })
  }
  const effective = view.members.get(group.id)?.size ?? 0
  facts.push(own(`. ${count(group.members.length, 'immediate member')}, ${count(effective, 'effective member')}.`))
  out += f.paragraph(facts)
  if (group.description) out += f.paragraph([own('Description: '), group.description])
  if (group.externalMembers?.length) {
    out += f.paragraph([own('External members (directory groups): '), ...joined(group.externalMembers)])
  }
  if (group.attributes && Object.keys(group.attributes).length > 0) {
    out += f.paragraph([own('Attributes: '), ...attributeParts(group.attributes)])
  }
  const members = [...group.members]
    .map((m) => ({ m, label: memberLabel(view, m.id) }))
    .sort(
      (a, b) => compareStrings(a.label, b.label) || compareStrings(a.m.id, b.m.id) || compareStrings(a.m.role, b.m.role)
    )
  if (members.length > 0) {
    out += f.table(
      [{ title: 'Member' }, { title: 'Role in group' }],
      members.map(({ m }) => [memberCell(view, m.id), m.role])
    )
  }
  const holds = sortGrants(view, view.grantsOf.get(group.id) ?? [])
  if (holds.length === 0) out += f.paragraph(own('Holds no grant.'))
  else out += f.paragraph(own('Holds:')) + grantTable(view, f, holds, 'scope')
  return out
}

function rolesSection(view: SourceView, f: Format): string {
  let out = f.heading(2, PART_TITLES.roles)
  if (view.roles.length === 0) return out + f.paragraph(own('No roles.'))
  const uses = new Map<string, number>()
  for (const grant of view.snapshot.grants) uses.set(grant.role, (uses.get(grant.role) ?? 0) + 1)
  const roles = [...view.roles].sort(
    (a, b) => rank(b.privilege) - rank(a.privilege) || compareStrings(a.name, b.name) || compareStrings(a.id, b.id)
  )
  out += f.table(
    [
      { title: 'Role' },
      { title: 'Privilege' },
      { title: 'Built in' },
      { title: 'Grants', align: 'right' },
      { title: 'Permissions' }
    ],
    roles.map((role) => [
      role.description ? [role.name, own(' ('), role.description, own(')')] : role.name,
      own(privilegeLabel(role.privilege)),
      own(role.builtIn === undefined ? '' : role.builtIn ? 'yes' : 'no'),
      own(uses.get(role.id) ?? 0),
      { text: [...role.permissions].sort(compareStrings).join(', '), max: 4000 }
    ])
  )
  return out
}

/** Who holds what at one scope (also `show --scope`). */
export function scopeSection(view: SourceView, f: Format, scope: Scope): string {
  let out = f.heading(3, view.scopeLabel(scope.id))
  const facts: Inline[] = [own('Parent: '), scope.parent === undefined ? own('none') : view.scopeLabel(scope.parent)]
  if (scope.attributes && Object.keys(scope.attributes).length > 0) {
    facts.push(own('. Attributes: '), ...attributeParts(scope.attributes))
  }
  facts.push(own('.'))
  out += f.paragraph(facts)
  for (const base of view.bases.get(scope.id) ?? []) {
    out += f.paragraph([
      own(`Base permission: every member (${base.members}) holds `),
      view.roleName(base.role),
      own(' on every '),
      view.childNoun(scope.id),
      own(' under it.')
    ])
  }
  const grants = sortGrants(view, view.grantsAt.get(scope.id) ?? [])
  const bases = view.basesAbove(scope.id)
  if (grants.length === 0 && bases.length === 0) return out + f.paragraph(own('No grants.'))
  const baseRows = bases.map(({ scope: from, base }) => ({
    who: [own('every member of '), view.scopeLabel(from), own(', base permission')],
    role: base.role,
    privilege: base.privilege
  }))
  return out + grantTable(view, f, grants, 'who', baseRows)
}

function personSection(view: SourceView, f: Format, principal: Principal): string {
  return personBody(view, f, principal, view.labelledAccess(principal.id), 3)
}

/** One principal's effective access; `rows` may be a selection (`show --scope`). */
export function personBody(
  view: SourceView,
  f: Format,
  principal: Principal,
  rows: readonly LabelledGrant[],
  level: 2 | 3 | 4
): string {
  let out = f.heading(level, view.principalLabel(principal.id))
  const facts: Inline[] = []
  if (principal.displayName) facts.push(principal.displayName, own('. '))
  if (principal.email) facts.push(own('Email: '), principal.email, own('. '))
  facts.push(
    own(
      `Highest privilege: ${view.highestLabel(principal.id)}, ${count(view.effective.get(principal.id)?.length ?? 0, 'effective grant')}.`
    )
  )
  if (view.flagged(principal)) facts.push(own(' Still holds access: review.'))
  out += f.paragraph(facts)
  if (rows.length === 0) return out
  const restricted = rows.some((r) => r.restrictions !== '')
  const columns: Column[] = [{ title: 'Privilege' }, { title: 'Role' }, { title: 'Scope' }, { title: 'Through' }]
  if (restricted) columns.push({ title: 'Restrictions' })
  const cells = rows.map((r) => {
    const row: Cell[] = [ownPrivilege(r.grant.privilege), r.role, r.reach, r.through]
    if (restricted) row.push(r.restrictions)
    return row
  })
  return out + f.table(columns, cells)
}

const OWN_PRIVILEGES = new Map<Privilege | undefined, Inline>(
  [undefined, 'read', 'write', 'admin', 'owner'].map((p) => [
    p as Privilege | undefined,
    own(privilegeLabel(p as Privilege | undefined))
  ])
)

/** The tier as our own text, one object per tier: a large page has a million of them. */
function ownPrivilege(privilege: Privilege | undefined): Inline {
  return OWN_PRIVILEGES.get(privilege)!
}

/**
 * Grants as a table: where (a group's holdings) or who (a scope's holders),
 * role, tier, and the inherited-from and restrictions columns when any grant
 * has them; `extra` rows (base permissions) follow the stored grants.
 */
function grantTable(
  view: SourceView,
  f: Format,
  grants: readonly Grant[],
  first: 'scope' | 'who',
  extra: readonly { who: Cell; role: string; privilege?: Privilege }[] = []
): string {
  const inherited = grants.some((g) => g.via !== undefined)
  const restricted = grants.some((g) => view.restrictions(g) !== '')
  const columns: Column[] = [{ title: first === 'scope' ? 'Scope' : 'Who' }, { title: 'Role' }, { title: 'Privilege' }]
  if (inherited) columns.push({ title: 'Inherited from' })
  if (restricted) columns.push({ title: 'Restrictions' })
  const rows = grants.map((grant) => {
    const row: Cell[] = [
      first === 'scope' ? view.scopeLabel(grant.scope) : subjectCell(view, grant),
      view.roleName(grant.role),
      own(privilegeLabel(view.role(grant.role)?.privilege))
    ]
    if (inherited) row.push(view.inheritedFrom(grant))
    if (restricted) row.push(view.restrictions(grant))
    return row
  })
  for (const { who, role, privilege } of extra) {
    const row: Cell[] = [who, view.roleName(role), own(privilegeLabel(privilege))]
    if (inherited) row.push(own(''))
    if (restricted) row.push(own(''))
    rows.push(row)
  }
  return f.table(columns, rows)
}

/**
 * Who holds a stored grant. A group is named without its member count: the
 * count is in the group's section, and repeating it on every grant would turn
 * one new member into a change of every row the group holds.
 */
function subjectCell(view: SourceView, grant: Grant): Cell {
  if (grant.subject.type === 'principal') return view.principalLabel(grant.subject.id)
  return [own('group '), view.groupName(grant.subject.id)]
}

function memberLabel(view: SourceView, id: string): string {
  if (view.principal(id)) return view.principalName(id)
  if (view.group(id)) return `group ${view.groupName(id)}`
  return id
}

function memberCell(view: SourceView, id: string): Cell {
  if (view.principal(id)) return view.principalLabel(id)
  if (view.group(id)) return [own('group '), view.groupName(id)]
  return id
}

/** Highest privilege first, then in scope order, then by who and which role. */
function sortGrants(view: SourceView, grants: readonly Grant[]): Grant[] {
  const keyed = grants.map((grant) => ({
    grant,
    tier: rank(view.role(grant.role)?.privilege),
    who:
      grant.subject.type === 'principal'
        ? `0${view.principalName(grant.subject.id)}`
        : `1${view.groupName(grant.subject.id)}`,
    role: view.roleName(grant.role),
    key: [grant.subject.id, grant.scope, grant.role, grant.via ?? '', grant.id ?? '', view.restrictions(grant)].join(
      '\u0000'
    )
  }))
  return keyed
    .sort(
      (a, b) =>
        b.tier - a.tier ||
        view.scopeOrder(a.grant.scope, b.grant.scope) ||
        compareStrings(a.who, b.who) ||
        compareStrings(a.role, b.role) ||
        compareStrings(a.key, b.key)
    )
    .map((k) => k.grant)
}

function attributeParts(attributes: Record<string, string>): Inline[] {
  const parts: Inline[] = []
  Object.keys(attributes)
    .sort(compareStrings)
    .forEach((key, i) => {
      if (i > 0) parts.push(own('; '))
      parts.push(key, own(': '), attributes[key]!)
    })
  return parts
}

function joined(values: readonly string[]): Inline[] {
  const parts: Inline[] = []
  ;[...values].sort(compareStrings).forEach((value, i) => {
    if (i > 0) parts.push(own(', '))
    parts.push(value)
  })
  return parts
}

function rank(privilege: Privilege | undefined): number {
  return privilege === undefined ? 0 : PRIVILEGE_RANK[privilege]
}

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`
}
