import { createHmac } from 'node:crypto'
import type { EmailPolicy } from '../config/schema.js'
import type { AuditEvent, Snapshot } from './types.js'

/** An email address inside any text (a principal's name, an event's actor, a message). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g

/**
 * Applies the `emails` setting. The snapshot repository may be readable by
 * more people than the admin consoles: `redact` drops the email field and
 * `hash` keeps a fingerprint of it, so a changed address still shows. Under
 * both, an address anywhere else (systems such as CyberArk EPM and Opsera
 * name and identify people by email) becomes its fingerprint, the same
 * everywhere, so references and attribution still line up.
 *
 * A fingerprint is an HMAC-SHA-256 of the trimmed, lower-cased address under
 * a key only the workflow holds: without the key, hashing a staff list does
 * not find who is who (a plain hash would be reversed in seconds).
 */
export function applyEmailPolicy(snapshot: Snapshot, policy: EmailPolicy, key?: string): Snapshot {
  if (policy === 'keep') return snapshot
  const mask = masker(policy, key)
  const principals = snapshot.principals.map(({ email, ...principal }) =>
    policy === 'hash' && email !== undefined ? { ...principal, email: mask.fingerprint(email) } : principal
  )
  return mask.all({ ...snapshot, principals })
}

/** The same policy for audit events, which name actors and targets by address as often as not. */
export function applyEmailPolicyToEvents(events: AuditEvent[], policy: EmailPolicy, key?: string): AuditEvent[] {
  return policy === 'keep' ? events : masker(policy, key).all(events)
}

/** The policy as a function over any plain data (events, a user name), for sources. */
export function emailMasker(policy: EmailPolicy, key?: string): <T>(value: T) => T {
  return policy === 'keep' ? (value) => value : masker(policy, key).all
}

function masker(policy: EmailPolicy, key: string | undefined) {
  // The config loader refuses `redact` and `hash` without `emails-key-env`; reaching here without one is a bug.
  if (!key) throw new Error(`emails: ${policy} needs the fingerprint key`)
  const fingerprint = (email: string) =>
    `hmac-sha256:${createHmac('sha256', key).update(email.trim().toLowerCase()).digest('hex').slice(0, 16)}`
  /** Every string in a plain-data value with its email addresses replaced by fingerprints. */
  const all = <T>(value: T): T => {
    if (typeof value === 'string') return value.replace(EMAIL, fingerprint) as T
    if (Array.isArray(value)) return value.map(all) as T
    if (value && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, all(v)])) as T
    }
    return value
  }
  return { fingerprint, all }
}
