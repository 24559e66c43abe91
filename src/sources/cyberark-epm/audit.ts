/**
 * The set list and the administrator audit trails (per set and per account)
 * for the run's window, as audit events. EPM rows carry no id, so each event
 * is named by a hash of the row's own fields: the same row read again in an
 * overlapping window gets the same id, and the store keeps it once.
 */
import { createHash } from 'node:crypto'
import { collectPages } from '../../http/paging.js'
import type { AuditEvent } from '../../model/types.js'
import { SourceError } from '../types.js'
import { adminAuditPage, adminAuditRow, setsResponse, type AdminAuditRow } from './api.js'
import { SYSTEM, type EpmSession } from './client.js'
import { parse } from './parse.js'

export interface EpmSet {
  id: string
  name: string
}

/** The target of an account-audit event, and the scope its administrators are granted on. */
export const ACCOUNT = { type: 'account', id: 'account', name: 'EPM account' } as const

export const SET_AUDIT = 'set-admin-audit'
export const ACCOUNT_AUDIT = 'account-admin-audit'
/** The `Feature` of rows EPM writes for every Public API call, this tool's reads included. */
export const PUBLIC_API = 'Public API'

/**
 * Every set the user can view (`visible`), and the ones to read: all of
 * them, or the configured ones (by id or name), which must all exist.
 */
export async function listSets(session: EpmSession, wanted?: string[]): Promise<{ visible: EpmSet[]; sets: EpmSet[] }> {
  const answer = parse(setsResponse, await session.get('Sets'), 'set list')
  if (answer.SetsCount != null && answer.SetsCount !== answer.Sets.length) {
    throw new SourceError(
      `${SYSTEM}: GET Sets listed ${answer.Sets.length} sets but announced ${answer.SetsCount}`,
      'The set list is incomplete; run again, and report it if it persists.'
    )
  }
  const sets = answer.Sets.map((s) => ({ id: s.Id, name: s.Name }))
  if (!wanted) return { visible: sets, sets }
  const missing = wanted.filter((w) => !sets.some((s) => s.id === w || s.name === w))
  if (missing.length > 0) {
    throw new SourceError(
      `${SYSTEM}: the configured sets ${missing.map((m) => JSON.stringify(m)).join(', ')} are not among the ${sets.length} sets the user can view`,
      "Check the names or ids in 'sets' (they are matched exactly), and that the user has a role in each set."
    )
  }
  return { visible: sets, sets: sets.filter((s) => wanted.includes(s.id) || wanted.includes(s.name)) }
}

export interface AuditWindow {
  since: Date
  until: Date
}

/** EPM takes `YYYY-MM-DDThh:mm:ssZ`: the window widens to whole seconds; overlap is de-duplicated by id. */
function epmTime(date: Date, round: 'down' | 'up'): string {
  const seconds = (round === 'down' ? Math.floor : Math.ceil)(date.getTime() / 1000)
  return new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/**
 * All rows of one audit route in the window, paged with an offset until the
 * announced `TotalCount` was read (the set audit), or until a short page (the
 * account audit, documented without a total).
 */
async function readAudit(
  session: EpmSession,
  path: string,
  window: AuditWindow,
  pageSize: number,
  names: { offset: string; limit: string }
): Promise<AdminAuditRow[]> {
  let total: number | undefined
  const rows = await collectPages(`${SYSTEM} ${path}`, '0', async (cursor) => {
    const offset = Number(cursor)
    const page = parse(
      adminAuditPage,
      await session.get(path, {
        DateFrom: epmTime(window.since, 'down'),
        DateTo: epmTime(window.until, 'up'),
        [names.offset]: offset,
        [names.limit]: pageSize
      }),
      `${path} page`
    )
    const items = page.AdminAudits.map((row) => parse(adminAuditRow, row, `${path} row`))
    total = page.TotalCount ?? undefined
    const read = offset + items.length
    if (total === undefined) return { items, next: items.length < pageSize ? undefined : String(read) }
    if (items.length === 0 && read < total) {
      throw new SourceError(
        `${SYSTEM}: GET ${path} stopped at ${read} of ${total} rows (an empty page at Offset ${offset})`
      )
    }
    return { items, next: read < total ? String(read) : undefined, total }
  })
  if (total !== undefined && rows.length !== total) {
    throw new SourceError(
      `${SYSTEM}: read ${rows.length} rows of ${path} but EPM announced ${total}`,
      'The audit changed while it was read, or paging broke off; run again.'
    )
  }
  return rows
}

export interface AuditOptions {
  window: AuditWindow
  pageSize: number
  /** The API user, whose own `Public API` rows are dropped unless `includeOwnReads`. */
  username: string
  includeOwnReads: boolean
}

export function isOwnRead(feature: string | undefined, administrator: string | undefined, username: string): boolean {
  return feature === PUBLIC_API && administrator?.toLowerCase() === username.toLowerCase()
}

export async function setAuditEvents(session: EpmSession, set: EpmSet, options: AuditOptions): Promise<AuditEvent[]> {
  const path = `Sets/${encodeURIComponent(set.id)}/AdminAudit`
  const rows = await readAudit(session, path, options.window, options.pageSize, { offset: 'Offset', limit: 'Limit' })
  return toEvents(rows, { type: 'set', id: set.id, name: set.name }, SET_AUDIT, options)
}

export async function accountAuditEvents(session: EpmSession, options: AuditOptions): Promise<AuditEvent[]> {
  // Lower-case paging names, as the Splunk add-on sends them to this route (reference §4).
  const rows = await readAudit(session, 'Account/AdminAudit', options.window, options.pageSize, {
    offset: 'offset',
    limit: 'limit'
  })
  return toEvents(rows, ACCOUNT, ACCOUNT_AUDIT, options)
}

function toEvents(
  rows: AdminAuditRow[],
  target: { type: string; id: string; name: string },
  category: string,
  options: AuditOptions
): AuditEvent[] {
  const from = options.window.since.getTime() - 1_000
  const to = options.window.until.getTime() + 1_000
  const events = new Map<string, AuditEvent>()
  for (const row of rows) {
    if (!options.includeOwnReads && isOwnRead(row.Feature, row.Administrator, options.username)) continue
    const time = utc(row.EventTime, target)
    // A route that ignores DateTo would hand back rows after the window (this run's own reads among them).
    if (Date.parse(time) < from || Date.parse(time) > to) continue
    // A row written while the trail is paged shifts the offsets and is read twice: one event per distinct row.
    const id = rowHash(row, target)
    if (!events.has(id)) events.set(id, toEvent(row, time, id, target, category))
  }
  return [...events.values()]
}

/** A stable id from the row's own fields; the set name is left out because a renamed set may be reported under its new name. */
function rowHash(row: AdminAuditRow, target: { type: string; id: string }): string {
  const fields = [
    target.type,
    target.id,
    row.EventTime,
    row.Administrator,
    row.Role,
    row.Feature,
    row.Description,
    row.PermissionDescription,
    row.LoggedAt,
    row.LoggedFrom,
    row.InternalSessionId
  ]
  return `epm-${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 24)}`
}

/**
 * The `Feature` of rows recording changes to who administers a set (the
 * simulator's name for it; not confirmed in public documentation). Such a
 * row names no administrator in a field, only in its free-text description,
 * so its effect names the set alone: it is believed only when it is the one
 * actor administering that set in the window. Any other row shows its own
 * administrator acting, which is how this source learns they administer the
 * set, not who made them one: it claims nothing.
 */
export const SET_ADMINISTRATION = 'Set Administration'

function toEvent(
  row: AdminAuditRow,
  time: string,
  id: string,
  target: { type: string; id: string; name: string },
  category: string
): AuditEvent {
  const event: AuditEvent = {
    id,
    time,
    action: row.Feature || 'Unknown',
    category,
    target: { type: target.type, id: target.id, name: row.SetName || target.name }
  }
  if (row.Administrator) event.actor = { name: row.Administrator }
  if (row.Description) event.message = row.Description
  if (row.Feature === SET_ADMINISTRATION) {
    event.effects = [
      {
        kinds: ['grant-added', 'grant-changed', 'grant-removed'],
        scope: { type: target.type, id: target.id },
        uncertain: true
      }
    ]
  }
  const details = Object.entries({
    role: row.Role,
    permission: row.PermissionDescription,
    'logged-at': row.LoggedAt,
    'logged-from': row.LoggedFrom,
    session: row.InternalSessionId
  }).filter((entry): entry is [string, string] => !!entry[1])
  if (details.length > 0) event.details = Object.fromEntries(details)
  return event
}

/** EPM writes UTC instants; a value without a zone designator is read as UTC. */
function utc(value: string, target: { name: string }): string {
  const zoned = /(Z|[+-]\d\d:?\d\d)$/i.test(value) ? value : `${value}Z`
  const time = Date.parse(zoned)
  if (Number.isNaN(time)) throw new SourceError(`${SYSTEM}: an audit row of ${target.name} has an unreadable EventTime`)
  return new Date(time).toISOString()
}
