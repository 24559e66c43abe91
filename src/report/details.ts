import { compareStrings } from '../diff/canonical.js'
import type { AttributeChange, GrantChanged, GroupChanged, RestrictionChange, SnapshotChanges } from '../diff/types.js'
import type { Grant, Principal } from '../model/types.js'
import { plainText } from './markdown-escape.js'
import type { Names } from './names.js'

/**
 * The details of one source's changes as format-neutral tables: the Markdown
 * and text renderers lay them out, the Markdown one drops whole sections when
 * the body would be too long. Cells are sanitized plain text.
 */
export interface DetailSection {
  title: string
  columns: string[]
  /** Sorted, so the report is the same for the same changes. */
  rows: string[][]
  /** Lower is more dangerous; a too-long report drops the highest first. */
  danger: number
}

export function detailSections(changes: SnapshotChanges, names: Names): DetailSection[] {
  const grantColumns = ['Subject', 'Role', 'Scope', 'Via', 'Restrictions']
  const sections = [
    section(
      'Grants added',
      grantColumns,
      changes.grants.added.map((g) => grantRow(g, names))
    ),
    section(
      'Grants changed',
      ['Subject', 'Scope', 'Via', 'Change'],
      changes.grants.changed.map((c) => grantChangeRow(c, names))
    ),
    section(
      'Grants removed',
      grantColumns,
      changes.grants.removed.map((g) => grantRow(g, names))
    ),
    section(
      'Group changes',
      ['Group', 'Change'],
      changes.groups.changed.flatMap((c) => groupChangeRows(c, names))
    ),
    section('Principals added', ['Name', 'Kind', 'Notes'], changes.principals.added.map(principalRow)),
    section(
      'Role changes',
      ['Role', 'Change'],
      changes.roles.changed.flatMap((c) =>
        [
          ...(c.rename ? [renamed(c.rename, c.after.id)] : []),
          ...(c.privilege ? [`privilege ${c.privilege.before ?? 'unset'} → ${c.privilege.after ?? 'unset'}`] : []),
          ...c.permissionsAdded.map((p) => `permission added: ${plainText(p)}`),
          ...c.permissionsRemoved.map((p) => `permission removed: ${plainText(p)}`),
          ...otherFields(c.fields, ['name', 'privilege', 'permissions', 'attributes']),
          ...c.attributes.map(attributeText)
        ].map((change) => [names.roleName(c.after.id), change])
      )
    ),
    section(
      'Principal changes',
      ['Principal', 'Change'],
      changes.principals.changed.flatMap((c) =>
        [
          ...(c.rename ? [renamed(c.rename, c.after.id)] : []),
          ...c.fields
            .filter((f) => f !== 'name' && f !== 'attributes')
            .map((f) => principalFieldText(f, c.before, c.after)),
          ...c.attributes.map(attributeText)
        ].map((change) => [names.subject({ type: 'principal', id: c.after.id }), change])
      )
    ),
    section('Principals removed', ['Name', 'Kind', 'Notes'], changes.principals.removed.map(principalRow)),
    section(
      'Groups added',
      ['Group', 'Parent', 'Members'],
      changes.groups.added.map((g) => [
        plainText(g.name),
        g.parent ? names.groupName(g.parent) : '',
        list(g.members.map((m) => memberText(m.id, m.role, names)))
      ])
    ),
    section(
      'Groups removed',
      ['Group', 'Parent', 'Members'],
      changes.groups.removed.map((g) => [
        plainText(g.name),
        g.parent ? names.groupName(g.parent) : '',
        String(g.members.length)
      ])
    ),
    section(
      'Roles added',
      ['Role', 'Privilege', 'Permissions'],
      changes.roles.added.map((r) => [
        plainText(r.name),
        r.privilege ?? '',
        list(r.permissions.map((p) => plainText(p)))
      ])
    ),
    section(
      'Roles removed',
      ['Role', 'Privilege'],
      changes.roles.removed.map((r) => [plainText(r.name), r.privilege ?? ''])
    ),
    section(
      'Scope changes',
      ['Scope', 'Change'],
      changes.scopes.changed.flatMap((c) =>
        [
          ...(c.rename ? [renamed(c.rename, c.after.id)] : []),
          ...(c.parent
            ? [`moved from ${scopeOrNone(c.parent.before, names)} to ${scopeOrNone(c.parent.after, names)}`]
            : []),
          ...otherFields(c.fields, ['name', 'parent', 'attributes']),
          ...c.attributes.map(attributeText)
        ].map((change) => [names.scope(c.after.id), change])
      )
    ),
    section(
      'Scopes added',
      ['Scope', 'Parent'],
      changes.scopes.added.map((s) => [names.scope(s.id), s.parent ? names.scope(s.parent) : ''])
    ),
    section(
      'Scopes removed',
      ['Scope', 'Parent'],
      changes.scopes.removed.map((s) => [names.scope(s.id), s.parent ? names.scope(s.parent) : ''])
    )
  ]
  // The list above is in order of danger: what grants access first, cosmetic changes last.
  return sections.map((s, danger) => ({ ...s, danger })).filter((s) => s.rows.length > 0)
}

/** What a cell says when it has nothing to add; a column saying only that in every row is left out. */
const NOTHING_TO_ADD: Record<string, string> = { Via: 'direct' }

function section(title: string, columns: string[], rows: string[][]): Omit<DetailSection, 'danger'> {
  const keyed = rows.map((row) => ({ key: row.join('\u0000'), row }))
  keyed.sort((a, b) => compareStrings(a.key, b.key))
  // No always-empty columns: Restrictions only where some grant is restricted, Via only where one is inherited.
  const kept = columns
    .map((column, i) => ({ column, i }))
    .filter(({ column, i }) => keyed.some(({ row }) => row[i] !== '' && row[i] !== NOTHING_TO_ADD[column]))
  return {
    title,
    columns: kept.map((c) => c.column),
    rows: keyed.map(({ row }) => kept.map((c) => row[c.i] as string))
  }
}

function grantRow(grant: Grant, names: Names): string[] {
  return [
    names.subject(grant.subject),
    names.roleName(grant.role),
    names.scope(grant.scope),
    names.via(grant.via),
    restrictionsText(grant.restrictions)
  ]
}

function grantChangeRow(change: GrantChanged, names: Names): string[] {
  const parts: string[] = []
  if (change.role) parts.push(`role ${names.roleName(change.role.before)} → ${names.roleName(change.role.after)}`)
  for (const r of change.restrictions) parts.push(restrictionChangeText(r))
  // Neither side narrowed: only whether "unrestricted" is stated changed (a snapshot written by an older version).
  if (change.fields.includes('restrictions') && change.restrictions.length === 0)
    parts.push(change.after.restrictions ? 'now stated as unrestricted' : 'no longer stated as unrestricted')
  parts.push(...otherFields(change.fields, ['role', 'restrictions', 'attributes', 'id']))
  parts.push(...change.attributes.map(attributeText))
  return [
    names.subject(change.after.subject),
    names.scope(change.after.scope),
    names.via(change.after.via),
    parts.join('; ')
  ]
}

function groupChangeRows(change: GroupChanged, names: Names): string[][] {
  const group = names.groupName(change.after.id)
  const rows = [
    ...(change.rename ? [renamed(change.rename, change.after.id)] : []),
    ...(change.parent
      ? [`parent ${groupOrNone(change.parent.before, names)} → ${groupOrNone(change.parent.after, names)}`]
      : []),
    ...change.membersAdded.map((m) => `added ${memberText(m.id, m.role, names)}`),
    ...change.membersRemoved.map((m) => `removed ${memberText(m.id, m.role, names)}`),
    ...change.memberRoles.map((m) => `${names.member(m.id)}: ${plainText(m.before)} → ${plainText(m.after)}`),
    ...change.externalMembersAdded.map((e) => `external member added: ${plainText(e)}`),
    ...change.externalMembersRemoved.map((e) => `external member removed: ${plainText(e)}`),
    ...(change.fields.includes('description') ? ['description changed'] : []),
    ...change.attributes.map(attributeText)
  ]
  return rows.map((row) => [group, row])
}

function principalRow(p: Principal): string[] {
  const notes = [
    p.external ? 'outside collaborator' : '',
    p.pending ? 'invitation pending' : '',
    p.active === false ? 'inactive' : ''
  ]
  const name =
    p.displayName && p.displayName !== p.name ? `${plainText(p.name)} (${plainText(p.displayName)})` : plainText(p.name)
  return [name, p.kind, notes.filter(Boolean).join(', ')]
}

function principalFieldText(field: string, before: Principal, after: Principal): string {
  const value = (p: Principal) => (p as unknown as Record<string, unknown>)[field]
  // Email is subject to the redact/hash policy: say that it changed, never what it is.
  if (field === 'email' || field === 'displayName') return `${field === 'email' ? 'email' : 'display name'} changed`
  return `${field} ${String(value(before) ?? 'unset')} → ${String(value(after) ?? 'unset')}`
}

/** Shows the id only here: it is what proves a rename is the same entity. */
function renamed(rename: { before: string; after: string }, id: string): string {
  return `renamed ${plainText(rename.before)} → ${plainText(rename.after)} (id ${plainText(id, 80)})`
}

function memberText(id: string, role: string, names: Names): string {
  return role === 'member' ? names.member(id) : `${names.member(id)} (${plainText(role)})`
}

function attributeText(a: AttributeChange): string {
  const show = (v: string | undefined) => (v === undefined ? 'unset' : plainText(v))
  return `${plainText(a.key)}: ${show(a.before)} → ${show(a.after)}`
}

function restrictionsText(restrictions: Record<string, string[]> | undefined): string {
  if (!restrictions) return ''
  if (Object.keys(restrictions).length === 0) return 'unrestricted'
  return Object.keys(restrictions)
    .sort(compareStrings)
    .map((d) => `${plainText(d)}: ${list(restrictions[d]!.map((v) => plainText(v)))}`)
    .join('; ')
}

function restrictionChangeText(r: RestrictionChange): string {
  const dimension = plainText(r.dimension)
  if (r.after === undefined)
    return `${dimension}: no longer restricted (was ${list(r.before!.map((v) => plainText(v)))})`
  if (r.before === undefined) return `${dimension}: now restricted to ${list(r.after.map((v) => plainText(v)))}`
  const parts = [...r.added.map((v) => `+${plainText(v)}`), ...r.removed.map((v) => `−${plainText(v)}`)]
  return `${dimension}: ${parts.join(', ')}`
}

/** Fields without a dedicated description still show up, so no change goes unmentioned. */
function otherFields(fields: string[], described: string[]): string[] {
  return fields.filter((f) => !described.includes(f)).map((f) => `${f} changed`)
}

function groupOrNone(id: string | undefined, names: Names): string {
  return id === undefined ? 'none' : names.groupName(id)
}

function scopeOrNone(id: string | undefined, names: Names): string {
  return id === undefined ? 'none' : names.scope(id)
}

/** Long lists stay readable: the first few, then how many more. */
function list(items: string[], max = 10): string {
  const sorted = [...items].sort(compareStrings)
  return sorted.length > max ? `${sorted.slice(0, max).join(', ')} and ${sorted.length - max} more` : sorted.join(', ')
}
