import { createHash } from 'node:crypto'
import type { EmailPolicy } from '../config/schema.js'
import type { AuditEvent, Snapshot } from './types.js'

/** An email address inside any text (a principal's name, an event's actor, a message). */
const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g

/**
 * Applies the `emails` setting. The snapshot repository may be readable by
 * more people than the admin consoles: `redact` drops the email field and
 * `hash` keeps a stable fingerprint of it, so a changed address still shows.
 * Under both, an address anywhere else (systems such as CyberArk EPM and
 * Opsera name and identify people by email) becomes its fingerprint, the same
 * everywhere, so references and attribution still line up.
 */
export function applyEmailPolicy(snapshot: Snapshot, policy: EmailPolicy): Snapshot {
  if (policy === 'keep') return snapshot
  const principals = snapshot.principals.map(({ email, ...principal }) =>
    policy === 'hash' && email !== undefined ? { ...principal, email: fingerprint(email) } : principal
  )
  return maskEmails({ ...snapshot, principals })
}

/** The same policy for audit events, which name actors and targets by address as often as not. */
export function applyEmailPolicyToEvents(events: AuditEvent[], policy: EmailPolicy): AuditEvent[] {
  return policy === 'keep' ? events : maskEmails(events)
}

/** The policy as a function over any plain data (events, a user name), for sources. */
export function emailMasker(policy: EmailPolicy): <T>(value: T) => T {
  return policy === 'keep' ? (value) => value : maskEmails
}

function fingerprint(email: string): string {
  const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('hex')
  return `sha256:${digest.slice(0, 16)}`
}

/** Every string in a plain-data value with its email addresses replaced by fingerprints. */
function maskEmails<T>(value: T): T {
  if (typeof value === 'string') return value.replace(EMAIL, fingerprint) as T
  if (Array.isArray(value)) return value.map(maskEmails) as T
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, maskEmails(v)])) as T
  }
  return value
}
