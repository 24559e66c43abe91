/**
 * The organization audit trail of the simulated UiPath organization: what the
 * Platform Management API records when people log in, are invited, join or
 * leave groups (an Organization Administrator is a member of the
 * organization's Administrators group), or create external applications.
 *
 * Known from the reference (§8): the classic record's fields, `createdOn`
 * with seven fractional digits and an offset, `auditLogDetails` as a JSON
 * *string*, no id, category `User` / action `Login` / source `Cis` /
 * detailsVersion `1.0`. Everything else here — the other categories and
 * actions (`Group`/`AddMembers`, `External Application`/`Create`...), the
 * keys inside `auditLogDetails`, the unified rendering — is illustrative:
 * UiPath does not publish the vocabulary. Records whose `auditLogDetails` is
 * absent, empty or not JSON, and near-duplicates that differ only in the last
 * fractional digit, are generated on purpose.
 */
import { Random } from '../random.js'
import type { SimAccount, TenantData } from './data.js'

export interface SimPlatformRecord {
  /** The unified audit's id; the classic API shows none. */
  id: string
  /** `2025-03-10T12:00:00.1234567+00:00`: seven fractional digits and an offset, as UiPath writes it. */
  createdOn: string
  /** Organization records show on the classic routes and `orgaudit_`; tenant records on `tenantaudit_` only. */
  level: 'organization' | 'tenant'
  category: string
  action: string
  /** JSON text as a rule; `undefined` leaves the key out of the answer. */
  auditLogDetails?: string | null
  userName: string
  email: string
  actorId: string
  message: string
  source: string
  detailsVersion: string
}

export const ORGANIZATION_ID = 'feb0dd79-85b6-483b-b297-0e49a1aa5b7d'

/** An instant as UiPath writes it: `extraTicks` are the 100 ns digits past the millisecond, `offsetMinutes` the zone. */
export function uipathTime(at: Date, extraTicks = 0, offsetMinutes = 0): string {
  const local = new Date(at.getTime() + offsetMinutes * 60_000).toISOString()
  const sign = offsetMinutes < 0 ? '-' : '+'
  const abs = Math.abs(offsetMinutes)
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return `${local.slice(0, 23)}${String(extraTicks).padStart(4, '0')}${zone}`
}

/** A `createdOn` as a number of 100 ns ticks since the epoch: the order the API sorts by. */
export function ticks(createdOn: string): bigint {
  const fraction = /\.(\d+)/.exec(createdOn)?.[1] ?? ''
  const extra = BigInt((fraction.slice(3) + '0000').slice(0, 4))
  return BigInt(Date.parse(createdOn)) * 10_000n + extra
}

function guid(rng?: Random): string {
  const hex = (n: number) =>
    Array.from({ length: n }, () => Math.floor((rng ? rng.next() : Math.random()) * 16).toString(16)).join('')
  return `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`
}

export const displayName = (account: SimAccount) => `${account.Name} ${account.Surname}`.trim() || account.UserName

/** Appends a record as the platform writes one; `time` defaults to now, with random sub-millisecond digits. */
export function recordPlatformAudit(
  data: TenantData,
  actor: SimAccount,
  entry: {
    category: string
    action: string
    message: string
    details?: string | null
    time?: Date
    createdOn?: string
    level?: SimPlatformRecord['level']
    source?: string
  },
  rng?: Random
): SimPlatformRecord {
  const record: SimPlatformRecord = {
    id: guid(rng),
    createdOn:
      entry.createdOn ?? uipathTime(entry.time ?? new Date(), Math.floor((rng ? rng.next() : Math.random()) * 10_000)),
    level: entry.level ?? 'organization',
    category: entry.category,
    action: entry.action,
    userName: displayName(actor),
    email: actor.EmailAddress ?? '',
    actorId: `user-${actor.Id}`,
    message: entry.message,
    source: entry.source ?? 'Cis',
    detailsVersion: '1.0'
  }
  if (entry.details !== undefined) record.auditLogDetails = entry.details
  data.platformAudit.push(record)
  return record
}

/** UiPath's own indentation of `auditLogDetails`, CRLF included (reference §8 example). */
export const detailsJson = (value: unknown) => JSON.stringify(value, null, 1).replace(/\n/g, '\r\n')

/**
 * `count` records spread over the `days` before `now`: logins, invitations,
 * group changes, external applications, licence changes, and the awkward ones
 * (details absent, empty or not JSON; a near-duplicate pair) among them.
 */
export function generatePlatformHistory(
  data: TenantData,
  options: { count: number; days: number; now: Date; seed: number }
): void {
  if (options.count <= 0) return
  const rng = new Random(options.seed)
  const people = data.accounts.filter((a) => (a.Type === 'User' || a.Type === 'DirectoryUser') && a.EmailAddress)
  // Not Administrators: who is made Organization Administrator is the demo's and the tests' business.
  const groups = ['Automation Users', 'Automation Developers', 'Everyone']
  const times = Array.from({ length: options.count }, () =>
    Math.floor(options.now.getTime() - rng.next() * options.days * 86_400_000)
  ).sort((a, b) => a - b)
  times.forEach((at, i) => {
    const actor = rng.pick(people)
    const other = rng.pick(people)
    const time = new Date(at)
    const group = rng.pick(groups)
    const kind = i % 6
    const entry =
      kind === 0 || kind === 3
        ? {
            category: 'User',
            action: 'Login',
            message: `User '${displayName(actor)}' logged in`,
            details: detailsJson({ userName: displayName(actor), email: actor.EmailAddress })
          }
        : kind === 1
          ? {
              category: 'User',
              action: 'Invite',
              message: `User '${displayName(actor)}' invited '${other.EmailAddress}'`,
              details: detailsJson({ invitedEmail: other.EmailAddress })
            }
          : kind === 2
            ? {
                category: 'Group',
                action: 'AddMembers',
                message: `User '${displayName(actor)}' added '${other.EmailAddress}' to group '${group}'`,
                details: detailsJson({ groupName: group, members: [other.EmailAddress] })
              }
            : kind === 4
              ? {
                  category: 'External Application',
                  action: 'Create',
                  message: `User '${displayName(actor)}' created external application 'integration-${i}'`,
                  details: detailsJson({ name: `integration-${i}`, scopes: ['OR.Jobs', 'OR.Robots.Read'] })
                }
              : {
                  category: 'License',
                  action: 'Update',
                  message: `User '${displayName(actor)}' changed the licence allocation`,
                  // Not every record's details are JSON, and some have none at all.
                  details: i % 4 === 1 ? 'Allocated 5 Automation Developer licences' : i % 4 === 3 ? '' : undefined
                }
    const record = recordPlatformAudit(data, actor, { ...entry, time }, rng)
    // Two records a tenth of a microsecond apart, otherwise alike: two events.
    if (i === 3) {
      const last = Number(record.createdOn.at(-7))
      recordPlatformAudit(
        data,
        actor,
        { ...entry, createdOn: `${record.createdOn.slice(0, -7)}${(last + 1) % 10}${record.createdOn.slice(-6)}` },
        rng
      )
    }
  })
}
