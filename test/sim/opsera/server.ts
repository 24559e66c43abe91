/**
 * Opsera's audit-log API on loopback, faithful to /work/shared/reference/opsera.md:
 * `Authorization: Bearer <personal access token>`; the routes need a token
 * with an audit-capable scope owned by a Site Administrator or Power User
 * ("forbidden" otherwise); `date=YYYY-MM-DD`, read as that day or (the
 * undocumented alternative) as "since that day"; without `date`, the last 7
 * days (the documented default window); records kept for `retentionDays`
 * (undocumented: 7 unless a test keeps more); at most 1,000 records per answer; `{count, data[]}`; and every call logged
 * in the tokens log under the caller's token.
 *
 * Rate limits are not documented, so none is simulated; faults are injected.
 */
import { SimServer, type SimRequest, type SimResponse } from '../server.js'
import { DAY_MS, logTokenUse, type OpseraState } from './data.js'

export const CAP = 1_000
/** Scopes that may read the audit logs: "API Access" and the read-only ones. */
const AUDIT_SCOPES = new Set(['api', 'api-readonly', 'security-logs-read-only'])

const message = (status: number, text: string): SimResponse => ({ status, json: { message: text } })

export class OpseraSimulator {
  readonly server = new SimServer()

  constructor(readonly state: OpseraState) {
    this.server.notFound = () => message(404, 'Not Found')
    this.server.route('GET', '/api/v1/logs/user/actions', (req) =>
      this.logs(req, '/v1/logs/user/actions', (from, to) => {
        const type = req.query.get('type')
        return this.state.actions.filter((r) => inRange(r.createdAt, from, to) && (!type || r.type === type))
      })
    )
    this.server.route('GET', '/api/v1/logs/user/tokens', (req) =>
      this.logs(req, '/v1/logs/user/tokens', (from, to) => {
        const scope = req.query.get('scope')
        return this.state.tokenUses.filter((r) => inRange(r.createdAt, from, to) && (!scope || r.scope === scope))
      })
    )
  }

  async start(): Promise<string> {
    return this.server.start()
  }

  stop(): Promise<void> {
    return this.server.stop()
  }

  private logs(
    req: SimRequest,
    route: string,
    select: (from: number, to: number) => Array<{ createdAt: string }>
  ): SimResponse {
    const match = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))
    const token = match ? this.state.tokens.find((t) => t.secret === match[1]) : undefined
    if (!token) return message(401, 'Unauthorized')
    if (token.expired) return message(401, 'jwt expired')
    const owner = this.state.users.find((u) => u._id === token.user_id)
    if (!AUDIT_SCOPES.has(token.scope) || !owner || owner.siteRole === 'User') return message(403, 'forbidden')

    const now = this.state.now()
    const kept = now - this.state.retentionDays * DAY_MS
    let from = Math.max(kept, now - this.state.defaultWindowDays * DAY_MS)
    let to = now
    const date = req.query.get('date')
    if (date !== null) {
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(`${date}T00:00:00Z`)))
        return message(400, 'date must be YYYY-MM-DD')
      const day = Date.parse(`${date}T00:00:00Z`)
      from = Math.max(kept, day)
      if (this.state.dateMeans === 'day') to = Math.min(now, day + DAY_MS - 1)
    }
    const asked = Number(req.query.get('count') ?? CAP)
    if (!Number.isInteger(asked) || asked < 1) return message(400, 'count must be a positive integer')
    const data = select(from, to)
      .sort((a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt))
      .slice(0, Math.min(asked, CAP))
    logTokenUse(this.state, token, route, now)
    return { json: { count: data.length, data } }
  }
}

function inRange(createdAt: string, from: number, to: number): boolean {
  const t = Date.parse(createdAt)
  return t >= from && t <= to
}
