import { createHash } from 'node:crypto'
import type { EmailPolicy } from '../config/schema.js'
import type { Snapshot } from './types.js'

/**
 * Applies the `emails` setting. The snapshot repository may be readable by
 * more people than the admin consoles: `redact` drops addresses, `hash`
 * keeps a stable fingerprint so a changed address still shows as a change.
 */
export function applyEmailPolicy(snapshot: Snapshot, policy: EmailPolicy): Snapshot {
  if (policy === 'keep') return snapshot
  return {
    ...snapshot,
    principals: snapshot.principals.map((principal) => {
      if (principal.email === undefined) return principal
      const { email, ...rest } = principal
      return policy === 'redact' ? rest : { ...rest, email: hashEmail(email) }
    })
  }
}

function hashEmail(email: string): string {
  const digest = createHash('sha256').update(email.trim().toLowerCase()).digest('hex')
  return `sha256:${digest.slice(0, 16)}`
}
