/**
 * The two audit logs, one request per log per UTC day of the window
 * (`date=YYYY-MM-DD`). Whether Opsera reads `date` as that day or as "since
 * that day" is not documented, so answers are not trusted to hold one day:
 * records are kept by time (inside the window) and de-duplicated by `_id`.
 * What may be missing is said in notes: a window longer than Opsera is known
 * to keep, and answers of exactly the 1,000-record cap.
 */
import type { ZodType } from 'zod'
import type { HttpClient } from '../../http/client.js'
import { mapLimit } from '../../util/concurrency.js'
import { SourceError } from '../types.js'
import { actionRecord, logPage, RECORD_CAP, tokenRecord, type ActionRecord, type TokenRecord } from './api.js'
import { SYSTEM } from './client.js'

const DAY_MS = 86_400_000

export interface LogWindow {
  since: Date
  until: Date
  retentionDays: number
  /** Nothing archived yet: an old `since` is the configured lookback, not a gap. */
  firstRun: boolean
  /** Keep the token-use records of this tool's own audit-log reads. */
  includeOwnReads: boolean
}

export interface Logs {
  actions: ActionRecord[]
  tokens: TokenRecord[]
  notes: string[]
  /** Token-use records of this tool's own audit-log reads left out (none when `includeOwnReads`). */
  ownReads: number
}

/** The routes this source calls, as the tokens log writes them in `target` (reference §1: `/v1/logs/user/tokens`). */
const OWN_ROUTES = new Set(['/v1/logs/user/actions', '/v1/logs/user/tokens'])

/** A call to one of the audit-log routes, whatever query it carried and with or without the `/api` prefix. */
function readsAuditLog(record: TokenRecord): boolean {
  const path = (record.target ?? '')
    .split('?')[0]!
    .replace(/^\/api(?=\/)/, '')
    .replace(/\/+$/, '')
  return OWN_ROUTES.has(path)
}

/**
 * The token this tool reads with, as the tokens log shows it: Opsera logs
 * every call, so the answers of this run already hold the records of its own
 * first calls, made after the window's end. Their token is ours when they all
 * name the same one; when none has arrived yet, or another token read the
 * audit logs in those moments too, nothing is left out (a record too many is
 * noise, a record too few would hide access).
 */
function ownToken(records: TokenRecord[], until: Date): string | undefined {
  const tokens = new Set(
    records.filter((r) => Date.parse(r.createdAt) > until.getTime() && readsAuditLog(r)).map((r) => r.token_id)
  )
  return tokens.size === 1 ? [...tokens][0] : undefined
}

/** The UTC days from `from` to `to`, both included. */
export function utcDays(from: Date, to: Date): string[] {
  const days: string[] = []
  for (let t = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()); t <= to.getTime(); t += DAY_MS)
    days.push(new Date(t).toISOString().slice(0, 10))
  return days
}

const formatted = (n: number) => n.toLocaleString('en-US')

async function readDay<T extends { _id: string; createdAt: string }>(
  http: HttpClient,
  route: string,
  day: string,
  query: Record<string, string | number>,
  schema: ZodType<T>,
  notes: string[]
): Promise<T[]> {
  const body = logPage.safeParse(await http.get<unknown>(route, { date: day, ...query }))
  if (!body.success) throw new SourceError(`${SYSTEM}: GET /api/v1/${route} for ${day} did not answer {count, data[]}`)
  const { data, count } = body.data
  if (data.length >= RECORD_CAP || (count != null && count > data.length)) {
    notes.push(
      `Opsera's ${route.replace('logs/user/', 'user ')} log returned ${formatted(data.length)} records for ${day}${count != null && count > data.length ? ` of ${formatted(count)}` : ''}, its cap of ${formatted(RECORD_CAP)} per answer: that day is possibly truncated and records may be missing.`
    )
  }
  return data.map((item, i) => {
    const parsed = schema.safeParse(item)
    if (parsed.success) return parsed.data
    const issue = parsed.error.issues[0]!
    throw new SourceError(
      `${SYSTEM}: unexpected record ${i} in GET /api/v1/${route} for ${day}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
      'Opsera answered with a shape this version of permission-snapshot does not know; please report it.'
    )
  })
}

function inWindow<T extends { _id: string; createdAt: string }>(records: T[], since: Date, until: Date): T[] {
  const unique = new Map<string, T>()
  for (const record of records) {
    const time = Date.parse(record.createdAt)
    if (Number.isNaN(time)) throw new SourceError(`${SYSTEM}: audit record ${record._id} has an unreadable createdAt`)
    if (time >= since.getTime() && time <= until.getTime() && !unique.has(record._id)) unique.set(record._id, record)
  }
  return [...unique.values()]
}

/**
 * Every UTC day of the window, whatever Opsera is known to keep: the documented
 * 7 days are the default window of a call without `date=`, not a proven
 * retention, so older days are asked for too (an empty day is an answer).
 * A window reaching further back than `retentionDays` is a risk worth saying.
 */
export async function fetchLogs(http: HttpClient, window: LogWindow): Promise<Logs> {
  const notes: string[] = []
  const kept = window.retentionDays
  const oldest = new Date(window.until.getTime() - kept * DAY_MS)
  // A minute of slack: a lookback equal to the retention is not a gap.
  if (window.since.getTime() < oldest.getTime() - 60_000) {
    const days = Math.round((window.until.getTime() - window.since.getTime()) / DAY_MS)
    const known = `Opsera is known to keep about ${kept} days by default`
    notes.push(
      window.firstRun
        ? `The first run asked Opsera for ${days} days of audit logs; ${known}, so records before ${oldest.toISOString()} may be missing from its answers.`
        : `The archive ends at ${window.since.toISOString()}, ${days} days before this run; ${known}, so records before ${oldest.toISOString()} may have been lost. Run at least every ${kept} days.`
    )
  }
  const days = utcDays(window.since, window.until)
  const dayNotes = days.map(() => [] as string[])
  const answers = await mapLimit(days, 4, async (day, i) => ({
    actions: await readDay(http, 'logs/user/actions', day, { count: RECORD_CAP }, actionRecord, dayNotes[i]!),
    tokens: await readDay(http, 'logs/user/tokens', day, {}, tokenRecord, dayNotes[i]!)
  }))
  const allTokens = answers.flatMap((a) => a.tokens)
  const own = window.includeOwnReads ? undefined : ownToken(allTokens, window.until)
  const tokens = inWindow(allTokens, window.since, window.until)
  const others = own === undefined ? tokens : tokens.filter((r) => r.token_id !== own || !readsAuditLog(r))
  return {
    actions: inWindow(
      answers.flatMap((a) => a.actions),
      window.since,
      window.until
    ),
    tokens: others,
    notes: [...notes, ...dayNotes.flat()],
    ownReads: tokens.length - others.length
  }
}
