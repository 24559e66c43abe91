/**
 * The unified audit of newer Automation Cloud organizations: organization
 * events at `{org}/orgaudit_/api/query/events`, tenant events at
 * `{org}/{tenant}/tenantaudit_/api/query/events`, filtered by `from`/`to`,
 * `maxCount` per answer and a `next` continuation.
 *
 * UNVERIFIED: UiPath documents the routes and their query parameters, not the
 * answer. The shape below, `{auditEvents[], next, previous}`, comes from a
 * third-party generated schema (api-evangelist/uipath
 * `json-schema/platform-management-audit-event*.json`). Every answer is
 * checked against it, and one of another shape fails the source with a
 * message saying so, rather than being read as "no events".
 */
import { z } from 'zod'
import type { HttpClient } from '../../http/client.js'
import { collectPages } from '../../http/paging.js'
import type { AuditEvent } from '../../model/types.js'
import { SYSTEM } from './client.js'
import { MAX_TOP, parseAnswer } from './odata.js'
import { detailsText, flatten, inWindow, platformEvent, type PlatformRoute, type Window } from './platform-fields.js'

const text = z.string().nullish()

const unifiedEvent = z.object({
  id: z.union([z.string().min(1), z.number()]).transform(String),
  createdOn: z.string().min(1),
  organizationId: text,
  actorId: text,
  actorEmail: text,
  eventType: text,
  eventSource: text,
  eventTarget: text,
  /** An object, or JSON text: the schema does not pin it down. */
  eventDetails: z.unknown().optional(),
  eventSummary: text,
  status: z.union([z.number(), z.string()]).nullish(),
  clientInfo: z.unknown().optional()
})
type UnifiedEvent = z.infer<typeof unifiedEvent>

const unifiedPage = z.object({
  auditEvents: z.array(z.unknown()),
  /** The continuation for the next answer; absent or null on the last one. */
  next: z.string().nullish()
})

const UNVERIFIED =
  'The unified audit answer is known only from a third-party schema ({auditEvents[], next}) and this deployment answers differently: set platform-audit: classic, and please report the shape.'

export async function fetchUnifiedAudit(
  client: HttpClient,
  route: PlatformRoute,
  window: Window
): Promise<AuditEvent[]> {
  const path = new URL(route.url).pathname
  const query = { from: window.since.toISOString(), to: window.until.toISOString(), maxCount: MAX_TOP }
  // The first answer has no continuation: '' stands for it.
  const records = await collectPages(`${SYSTEM} ${path}`, '', async (cursor) => {
    const raw = await client.get<unknown>(route.url, { ...query, next: cursor || undefined })
    const page = parseAnswer(unifiedPage, raw, `GET ${path}`, UNVERIFIED)
    const items = page.auditEvents.map((item, i) =>
      parseAnswer(unifiedEvent, item, `GET ${path} auditEvents[${i}]`, UNVERIFIED)
    )
    return { items, next: page.next || undefined }
  })
  return inWindow(
    records.map((record) => unifiedAuditEvent(record, route.level)),
    window
  )
}

function unifiedAuditEvent(record: UnifiedEvent, level: PlatformRoute['level']): AuditEvent {
  return platformEvent({
    // Organization and tenant events come from two stores: their ids are kept apart.
    id: `${level === 'tenant' ? 'tenant' : 'org'}-event-${record.id}`,
    createdOn: record.createdOn,
    what: `unified audit event ${record.id}`,
    action: record.eventType,
    category: record.eventSource,
    actorName: record.actorEmail,
    actorId: record.actorId,
    target: record.eventTarget,
    message: record.eventSummary,
    details: {
      level,
      ...(record.status != null ? { status: String(record.status) } : {}),
      ...(typeof record.eventDetails === 'string'
        ? detailsText(record.eventDetails, 'details')
        : flatten(record.eventDetails, 'details')),
      ...flatten(record.clientInfo, 'client')
    }
  })
}
