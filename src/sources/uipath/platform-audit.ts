/**
 * The classic organization audit, Platform Management "Get Audit Logs"
 * (`{org}/audit_/api/auditlogs`, or `{org}/{tenant}/audit_/...` on older
 * versions): `{totalCount, results[]}`, paged with `top`/`skip`, records
 * without an id whose `createdOn` carries seven fractional digits.
 *
 * The API has no date filter, so the trail is read newest first and paging
 * stops at the first page that reaches past the window start (or at
 * `totalCount`). A record written during the run shifts later pages by one;
 * reading it twice is absorbed by the record's id, which is derived from the
 * whole record. Offsets are never kept between runs: retention removes old
 * records and shifts every one of them.
 */
import { createHash } from 'node:crypto'
import { z } from 'zod'
import type { HttpClient } from '../../http/client.js'
import { collectPages } from '../../http/paging.js'
import type { AuditEvent } from '../../model/types.js'
import { SourceError } from '../types.js'
import { SYSTEM } from './client.js'
import { MAX_TOP, parseAnswer } from './odata.js'
import { detailsText, inWindow, platformEvent, type PlatformRoute, type Window } from './platform-fields.js'

const text = z.string().nullish()

/** The documented record ("Get Audit Logs", Orchestrator API guide 2022.10): no id. */
const classicRecord = z.object({
  createdOn: z.string().min(1),
  category: text,
  action: text,
  /** JSON as a string; may be absent, empty or not JSON at all. */
  auditLogDetails: text,
  userName: text,
  email: text,
  message: text,
  detailsVersion: text,
  source: text
})
export type ClassicRecord = z.infer<typeof classicRecord>

const classicPage = z.object({
  totalCount: z.number().int().nonnegative(),
  results: z.array(z.unknown())
})

export async function fetchClassicAudit(
  client: HttpClient,
  route: PlatformRoute,
  window: Window
): Promise<AuditEvent[]> {
  const path = new URL(route.url).pathname
  const since = window.since.getTime()
  let previous = Number.POSITIVE_INFINITY
  const events = await collectPages(`${SYSTEM} ${path}`, '0', async (cursor) => {
    const skip = Number(cursor)
    const raw = await client.get<unknown>(route.url, {
      // `message` is localized: one language keeps a record's id the same on every run.
      language: 'en',
      // Whatever cap the server applies to `top`, the next page starts after what arrived.
      top: MAX_TOP,
      skip,
      sortBy: 'createdOn',
      sortOrder: 'desc'
    })
    const page = parseAnswer(classicPage, raw, `GET ${path}`)
    const items = page.results.map((item, i) => {
      const event = classicEvent(parseAnswer(classicRecord, item, `GET ${path} results[${i}]`))
      const time = Date.parse(event.time)
      // Stopping at the window start is only safe when the answer really is newest first.
      if (time > previous) {
        throw new SourceError(
          `${SYSTEM}: GET ${path} answered records out of order although sortOrder=desc was asked (skip=${skip}): the window start cannot be found`,
          'Report it with the version of the deployment; meanwhile set platform-audit: off.'
        )
      }
      previous = time
      return event
    })
    const read = skip + items.length
    if (items.length === 0 && skip < page.totalCount) {
      throw new SourceError(
        `${SYSTEM}: GET ${path} returned no records at skip=${skip} although totalCount is ${page.totalCount}; the trail would be incomplete`,
        'Run again.'
      )
    }
    const reachedStart = items.length > 0 && Date.parse(items[items.length - 1]!.time) < since
    const done = items.length === 0 || read >= page.totalCount || reachedStart
    return { items, next: done ? undefined : String(read) }
  })
  return inWindow(events, window)
}

/** The documented fields in a fixed order: the id's input. Unknown fields a newer version adds do not change it. */
const ID_FIELDS = [
  'createdOn',
  'category',
  'action',
  'auditLogDetails',
  'userName',
  'email',
  'message',
  'detailsVersion',
  'source'
] as const

/**
 * A stable id from the whole record, the exact `createdOn` string included:
 * records that differ only in the seventh fractional digit are two events,
 * and the same record read again gets the same id.
 */
export function classicId(record: ClassicRecord): string {
  const fields = ID_FIELDS.map((key) => record[key] ?? null)
  return `org-audit-${createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 24)}`
}

export function classicEvent(record: ClassicRecord): AuditEvent {
  return platformEvent({
    id: classicId(record),
    createdOn: record.createdOn,
    what: 'an organization audit record',
    action: record.action,
    category: record.category,
    // `userName` is a display name ("System Administrator"); the address, where given, identifies the person.
    actorName: record.userName,
    actorId: record.email,
    target: record.category,
    message: record.message,
    details: {
      ...(record.email ? { email: record.email } : {}),
      ...(record.source ? { source: record.source } : {}),
      ...(record.detailsVersion ? { 'details-version': record.detailsVersion } : {}),
      ...detailsText(record.auditLogDetails ?? undefined, 'details')
    }
  })
}
