/**
 * CyberArk EPM on loopback, faithful to /work/shared/reference/cyberark-epm.md:
 * a dispatcher that only logs on, and a separate manager host (the
 * `ManagerURL`) that serves the API; `Authorization: basic <token>`; an
 * expired password that still logs on with 200; Offset/Limit paging with
 * `TotalCount` (default Limit 50, no maximum); 403 "Too many calls" beyond
 * 5 calls per second or 1,000 per 5 minutes, Logon included (counted per
 * user name, before the password is checked); every Public API read written
 * back into the audit trail.
 *
 * Error bodies follow the documented throttling body
 * (`[{"ErrorCode": "...", "ErrorMessage": "..."}]`); codes and texts other
 * than "Too many calls" are not published and are the simulator's own.
 */
import { randomBytes } from 'node:crypto'
import { SimServer, type SimRequest, type SimResponse } from '../server.js'
import { API_ROLE, apiDescription, type AuditRow, type EpmState, writeRow } from './data.js'

export interface RateLimit {
  perSecond: number
  perFiveMinutes: number
}

export const DOCUMENTED_LIMIT: RateLimit = { perSecond: 5, perFiveMinutes: 1_000 }

const error = (status: number, code: string, message: string): SimResponse => ({
  status,
  json: [{ ErrorCode: code, ErrorMessage: message }]
})

export const TOO_MANY_CALLS = 'Too many calls. Please try again later.'
export const throttledAnswer = (): SimResponse => error(403, 'EPM000429E', TOO_MANY_CALLS)

const EPM_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/
const VERSION = /^\d+(\.\d+){0,3}$/

/** ASP.NET binds query parameters case-insensitively. */
function param(req: SimRequest, name: string): string | undefined {
  for (const [key, value] of req.query) if (key.toLowerCase() === name.toLowerCase()) return value
  return undefined
}

export class EpmSimulator {
  readonly dispatcher = new SimServer()
  readonly manager = new SimServer()
  /** Documented limits by default; undefined switches throttling off. */
  rateLimit: RateLimit | undefined = DOCUMENTED_LIMIT
  /** What logon answers as `ManagerURL`; the manager host's own address unless a test sets another. */
  managerUrl?: string
  private readonly calls = new Map<string, number[]>()

  constructor(readonly state: EpmState) {
    const notFound = () => ({
      status: 404,
      text: '<html><body><h2>404 - File or directory not found.</h2></body></html>'
    })
    this.dispatcher.notFound = notFound
    this.manager.notFound = notFound
    for (const prefix of ['/EPM/API', '/EPM/API/:version']) {
      this.dispatcher.route('POST', `${prefix}/Auth/EPM/Logon`, (req) => this.versioned(req, () => this.logon(req)))
      this.manager.route('GET', `${prefix}/Server/Version`, (req) =>
        this.api(req, () => ({ json: { Version: '24.5.0.1' } }))
      )
      this.manager.route('GET', `${prefix}/Sets`, (req) => this.api(req, (user) => this.sets(user)))
      this.manager.route('GET', `${prefix}/Sets/:setId/AdminAudit`, (req) =>
        this.api(req, (user) => this.setAudit(req, user))
      )
      this.manager.route('GET', `${prefix}/Account/AdminAudit`, (req) =>
        this.api(req, (user) => this.accountAudit(req, user))
      )
    }
  }

  /** The dispatcher's URL: the `url` of the source's config. */
  async start(): Promise<string> {
    await this.manager.start()
    return this.dispatcher.start()
  }

  async stop(): Promise<void> {
    await Promise.all([this.dispatcher.stop(), this.manager.stop()])
  }

  /** Calls a session may make before EPM ends it (standing in for its timeout); unlimited when undefined. */
  sessionCalls: number | undefined
  private readonly sessionUse = new Map<string, number>()

  /** Requests that reached the API (the manager host) or logged on (the dispatcher). */
  get requests(): number {
    return this.dispatcher.requests.length + this.manager.requests.length
  }

  private versioned(req: SimRequest, handler: () => SimResponse): SimResponse {
    if (req.params.version !== undefined && !VERSION.test(req.params.version))
      return this.manager.notFound(req) as SimResponse
    return handler()
  }

  private logon(req: SimRequest): SimResponse {
    let body: { Username?: unknown; Password?: unknown; ApplicationID?: unknown }
    try {
      body = JSON.parse(req.body) as typeof body
    } catch {
      return error(400, 'EPM000001E', 'The request body is not valid JSON')
    }
    if (this.throttle(`logon:${String(body.Username)}`)) return throttledAnswer()
    const user = typeof body.Username === 'string' ? this.state.users.get(body.Username) : undefined
    if (!user || body.Password !== user.password) return error(401, 'EPM000002E', 'Invalid user name or password')
    if (typeof body.ApplicationID !== 'string' || body.ApplicationID === '')
      return error(400, 'EPM000003E', 'ApplicationID is required')
    const token = randomBytes(24).toString('base64url')
    this.state.tokens.set(token, body.Username as string)
    return {
      json: {
        ManagerURL: this.managerUrl ?? this.manager.url,
        EPMAuthenticationResult: token,
        IsPasswordExpired: user.expired === true
      }
    }
  }

  /** Auth, version and rate limit, shared by every manager route. */
  private api(req: SimRequest, handler: (user: string) => SimResponse): SimResponse {
    if (req.params.version !== undefined && !VERSION.test(req.params.version))
      return this.manager.notFound(req) as SimResponse
    const match = /^basic (.+)$/i.exec(String(req.headers.authorization ?? ''))
    const token = match?.[1] ?? ''
    const user = this.state.tokens.get(token)
    const used = (this.sessionUse.get(token) ?? 0) + 1
    this.sessionUse.set(token, used)
    if (!user || (this.sessionCalls !== undefined && used > this.sessionCalls))
      return error(401, 'EPM000004E', 'Authentication failed: the session token is missing, invalid or expired')
    if (this.throttle(user)) return throttledAnswer()
    return handler(user)
  }

  private throttle(user: string): boolean {
    if (!this.rateLimit) return false
    const now = this.state.now()
    const calls = (this.calls.get(user) ?? []).filter((t) => t > now - 300_000)
    const lastSecond = calls.filter((t) => t > now - 1_000).length
    const throttled = lastSecond >= this.rateLimit.perSecond || calls.length >= this.rateLimit.perFiveMinutes
    if (!throttled) calls.push(now)
    this.calls.set(user, calls)
    return throttled
  }

  /** Only the sets the user may view are listed. */
  private sets(user: string): SimResponse {
    const allowed = this.state.users.get(user)?.sets
    const sets = this.state.sets.filter((s) => !allowed || allowed.includes(s.Id))
    return { json: { Sets: sets.map((s) => ({ Id: s.Id, Name: s.Name })), SetsCount: sets.length } }
  }

  private window(req: SimRequest): { from: number; to: number } | { error: SimResponse } {
    const dateFrom = param(req, 'DateFrom')
    const dateTo = param(req, 'DateTo')
    for (const [name, value] of [
      ['DateFrom', dateFrom],
      ['DateTo', dateTo]
    ] as const) {
      if (value !== undefined && !EPM_TIME.test(value))
        return { error: error(400, 'EPM000005E', `${name} must be in the format YYYY-MM-DDThh:mm:ssZ`) }
    }
    return {
      from: dateFrom ? Date.parse(dateFrom) : -Infinity,
      to: dateTo ? Date.parse(dateTo) : Infinity
    }
  }

  private paging(req: SimRequest): { offset: number; limit: number } | { error: SimResponse } {
    const offset = Number(param(req, 'Offset') ?? 0)
    const limit = Number(param(req, 'Limit') ?? 50)
    if (!Number.isInteger(offset) || offset < 0) return { error: error(400, 'EPM000006E', 'Offset must be 0 or more') }
    if (!Number.isInteger(limit) || limit <= 0) return { error: error(400, 'EPM000007E', 'Limit must be more than 0') }
    return { offset, limit }
  }

  /** Rows in the window, newest first, and the API user's own read written back to the trail. */
  private audit(req: SimRequest, user: string, scope: string, rows: AuditRow[], total: boolean): SimResponse {
    const window = this.window(req)
    if ('error' in window) return window.error
    const paging = this.paging(req)
    if ('error' in paging) return paging.error
    const matching = rows
      .filter((r) => Date.parse(r.EventTime) >= window.from && Date.parse(r.EventTime) <= window.to)
      .sort((a, b) => Date.parse(b.EventTime) - Date.parse(a.EventTime))
    const page = matching.slice(paging.offset, paging.offset + paging.limit)
    writeRow(
      this.state,
      scope,
      {
        Administrator: user,
        Role: API_ROLE,
        Feature: 'Public API',
        Description: apiDescription(scope, paging.offset, paging.limit, param(req, 'DateFrom'), param(req, 'DateTo'))
      },
      this.state.now()
    )
    return { json: total ? { TotalCount: matching.length, AdminAudits: page } : { AdminAudits: page } }
  }

  private setAudit(req: SimRequest, user: string): SimResponse {
    const setId = req.params.setId!
    const rows = this.state.setRows.get(setId)
    if (!rows) return error(404, 'EPM000008E', `Set ${setId} was not found`)
    const allowed = this.state.users.get(user)?.sets
    if (allowed && !allowed.includes(setId))
      return error(403, 'EPM000009E', 'The user is not authorized to view this set')
    return this.audit(req, user, setId, rows, true)
  }

  private accountAudit(req: SimRequest, user: string): SimResponse {
    if (!this.state.users.get(user)?.accountAdmin)
      return error(403, 'EPM000010E', 'Only account administrators can view the account administrator audit')
    return this.audit(req, user, 'account', this.state.accountRows, false)
  }
}
