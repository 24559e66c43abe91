/**
 * The Platform Management audit routes of the simulated organization, on the
 * UiPath simulator's server and behind its token check (scope `PM.Audit` or
 * `PM.Audit.Read`, else 403 insufficient_scope):
 *
 * - classic "Get Audit Logs" at `/{org}/audit_/api/auditlogs` and the older
 *   `/{org}/{tenant}/audit_/api/auditlogs`: `language`, `top`, `skip`,
 *   `sortBy=createdOn`, `sortOrder=asc|desc` (ascending unless asked: a client
 *   that forgets to ask for newest first gets the oldest), no date filter, a
 *   server-side cap on `top` (the simulator's page cap), `{totalCount,
 *   results[]}` with the documented fields and no id;
 * - unified (unverified shape, reference §8) at `/{org}/orgaudit_/api/query/events`
 *   and `/{org}/{tenant}/tenantaudit_/api/query/events`: `from` and `to`
 *   required, `maxCount` (capped), an opaque `next` continuation bound to the
 *   query it continues, newest first, `{auditEvents[], next, previous}`.
 */
import type { SimRequest, SimResponse } from '../server.js'
import { ORGANIZATION_ID, ticks, type SimPlatformRecord } from './platform-audit.js'
import type { UipathSim } from './server.js'

const AUDIT = { scopes: ['PM.Audit', 'PM.Audit.Read'], permission: 'PM.Audit.Read' }
const DEFAULT_MAX_COUNT = 50

export class PlatformAuditRoutes {
  /** Called before each audit answer is made: tests write records "during the run" here. */
  onRequest?: (req: SimRequest) => void

  constructor(private readonly sim: UipathSim) {
    const { org, tenant } = sim.options
    const { server } = sim
    for (const base of [`/${org}`, `/${org}/${tenant}`])
      server.route('GET', `${base}/audit_/api/auditlogs`, (req) => this.answer(req, () => this.classic(req)))
    server.route('GET', `/${org}/orgaudit_/api/query/events`, (req) =>
      this.answer(req, () => this.unified(req, 'organization'))
    )
    server.route('GET', `/${org}/${tenant}/tenantaudit_/api/query/events`, (req) =>
      this.answer(req, () => this.unified(req, 'tenant'))
    )
  }

  private get records(): SimPlatformRecord[] {
    return this.sim.data.platformAudit
  }

  private answer(req: SimRequest, make: () => SimResponse): SimResponse {
    return this.sim.guard(req, AUDIT, () => {
      this.onRequest?.(req)
      return make()
    })
  }

  private readonly ticks = new WeakMap<SimPlatformRecord, bigint>()

  private sorted(records: SimPlatformRecord[], order: 'asc' | 'desc'): SimPlatformRecord[] {
    const at = (record: SimPlatformRecord) => {
      let value = this.ticks.get(record)
      if (value === undefined) this.ticks.set(record, (value = ticks(record.createdOn)))
      return value
    }
    // Stable for equal instants, as a database index on createdOn would be.
    const asc = records
      .map((record, i) => ({ record, i, at: at(record) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : a.i - b.i))
      .map((x) => x.record)
    return order === 'asc' ? asc : asc.reverse()
  }

  private classic(req: SimRequest): SimResponse {
    const top = req.query.get('top')
    const skip = req.query.get('skip') ?? '0'
    const sortBy = req.query.get('sortBy') ?? 'createdOn'
    const sortOrder = (req.query.get('sortOrder') ?? 'asc').toLowerCase()
    if (top !== null && !/^[1-9]\d*$/.test(top)) return this.sim.error(400, `Invalid top value '${top}'.`)
    if (!/^\d+$/.test(skip)) return this.sim.error(400, `Invalid skip value '${skip}'.`)
    if (sortBy !== 'createdOn') return this.sim.error(400, `The simulator sorts only by createdOn, not '${sortBy}'.`)
    if (sortOrder !== 'asc' && sortOrder !== 'desc') return this.sim.error(400, `Invalid sortOrder '${sortOrder}'.`)
    const all = this.sorted(
      this.records.filter((r) => r.level === 'organization'),
      sortOrder
    )
    const size = Math.min(top === null ? this.sim.options.pageCap : Number(top), this.sim.options.pageCap)
    const page = all.slice(Number(skip), Number(skip) + size)
    return { json: { totalCount: all.length, results: page.map(classicRecord) } }
  }

  private unified(req: SimRequest, level: SimPlatformRecord['level']): SimResponse {
    const from = req.query.get('from')
    const to = req.query.get('to')
    if (!from || !to || Number.isNaN(Date.parse(from)) || Number.isNaN(Date.parse(to)))
      return this.sim.error(400, "'from' and 'to' are required date-times.")
    const maxCount = req.query.get('maxCount')
    if (maxCount !== null && !/^[1-9]\d*$/.test(maxCount))
      return this.sim.error(400, `Invalid maxCount value '${maxCount}'.`)
    const query = `${level}|${from}|${to}`
    let offset = 0
    const next = req.query.get('next')
    if (next !== null) {
      const decoded = decodeToken(next)
      if (!decoded || decoded.query !== query) return this.sim.error(400, 'Invalid continuation token.')
      offset = decoded.offset
    }
    const [start, end] = [Date.parse(from), Date.parse(to)]
    const matching = this.sorted(
      this.records.filter(
        (r) => r.level === level && Date.parse(r.createdOn) >= start && Date.parse(r.createdOn) <= end
      ),
      'desc'
    )
    const size = Math.min(maxCount === null ? DEFAULT_MAX_COUNT : Number(maxCount), this.sim.options.pageCap)
    const page = matching.slice(offset, offset + size)
    return {
      json: {
        auditEvents: page.map(unifiedEvent),
        next: offset + size < matching.length ? encodeToken(query, offset + size) : null,
        previous: offset > 0 ? encodeToken(query, Math.max(0, offset - size)) : null
      }
    }
  }
}

function classicRecord(record: SimPlatformRecord): Record<string, unknown> {
  return {
    createdOn: record.createdOn,
    category: record.category,
    action: record.action,
    ...(record.auditLogDetails !== undefined && { auditLogDetails: record.auditLogDetails }),
    userName: record.userName,
    email: record.email,
    message: record.message,
    detailsVersion: record.detailsVersion,
    source: record.source
  }
}

function unifiedEvent(record: SimPlatformRecord): Record<string, unknown> {
  let details: unknown = record.auditLogDetails ?? null
  try {
    details = typeof details === 'string' && details ? JSON.parse(details) : details
  } catch {
    // kept as the text it is
  }
  return {
    id: record.id,
    createdOn: record.createdOn,
    organizationId: ORGANIZATION_ID,
    actorId: record.actorId,
    actorEmail: record.email,
    eventType: record.action,
    eventSource: record.source,
    eventTarget: record.category,
    eventDetails: details,
    eventSummary: record.message,
    status: 0,
    clientInfo: { ipAddress: '203.0.113.7', userAgent: 'Mozilla/5.0' }
  }
}

function encodeToken(query: string, offset: number): string {
  return Buffer.from(JSON.stringify({ query, offset })).toString('base64url')
}

function decodeToken(token: string): { query: string; offset: number } | undefined {
  try {
    const value = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { query?: unknown; offset?: unknown }
    return typeof value.query === 'string' && typeof value.offset === 'number'
      ? { query: value.query, offset: value.offset }
      : undefined
  } catch {
    return undefined
  }
}
