import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { applyEmailPolicy, applyEmailPolicyToEvents } from '../../src/model/emails.js'
import type { Snapshot } from '../../src/model/types.js'

const snapshot: Snapshot = {
  source: { type: 'file', name: 'x' },
  principals: [
    { id: 'u1', name: 'alice', kind: 'user', email: 'Alice@Example.com' },
    { id: 'u2', name: 'bob', kind: 'user' },
    { id: 'u3', name: 'alice2', kind: 'user', email: ' alice@example.com ' }
  ],
  groups: [],
  roles: [],
  scopes: [],
  grants: []
}

describe('applyEmailPolicy', () => {
  it('keeps the snapshot as it is', () => {
    expect(applyEmailPolicy(snapshot, 'keep')).toBe(snapshot)
  })

  it('redacts by leaving the field out, touching nothing else', () => {
    const redacted = applyEmailPolicy(snapshot, 'redact')
    expect(redacted.principals).toEqual([
      { id: 'u1', name: 'alice', kind: 'user' },
      { id: 'u2', name: 'bob', kind: 'user' },
      { id: 'u3', name: 'alice2', kind: 'user' }
    ])
    expect('email' in redacted.principals[0]!).toBe(false)
    // The input is not modified.
    expect(snapshot.principals[0]!.email).toBe('Alice@Example.com')
  })

  it('hashes to a stable prefix of the SHA-256 of the trimmed, lower-cased address', () => {
    const hashed = applyEmailPolicy(snapshot, 'hash')
    const expected = `sha256:${createHash('sha256').update('alice@example.com').digest('hex').slice(0, 16)}`
    expect(hashed.principals.map((p) => p.email)).toEqual([expected, undefined, expected])
    expect(applyEmailPolicy(snapshot, 'hash')).toEqual(hashed)
    // A different address gives a different fingerprint, so a change still shows.
    const other = applyEmailPolicy(
      { ...snapshot, principals: [{ ...snapshot.principals[0]!, email: 'a@example.com' }] },
      'hash'
    )
    expect(other.principals[0]!.email).not.toBe(expected)
  })
})

describe('email addresses outside the email field', () => {
  const byAddress: Snapshot = {
    source: { type: 'cyberark-epm', name: 'epm' },
    principals: [{ id: 'nina@example.com', name: 'nina@example.com', kind: 'user', email: 'nina@example.com' }],
    groups: [{ id: 'g', name: 'Admins', members: [{ id: 'nina@example.com', role: 'member' }] }],
    roles: [{ id: 'r', name: 'Set Admin', permissions: [] }],
    scopes: [{ id: 's', type: 'set', name: 'Servers' }],
    grants: [{ subject: { type: 'principal', id: 'nina@example.com' }, role: 'r', scope: 's' }]
  }
  const nina = `sha256:${createHash('sha256').update('nina@example.com').digest('hex').slice(0, 16)}`

  it('become the same fingerprint everywhere, so references still resolve', () => {
    for (const policy of ['redact', 'hash'] as const) {
      const masked = applyEmailPolicy(byAddress, policy)
      expect(masked.principals[0]).toMatchObject({ id: nina, name: nina })
      expect(masked.groups[0]!.members[0]!.id).toBe(nina)
      expect(masked.grants[0]!.subject.id).toBe(nina)
      expect(JSON.stringify(masked)).not.toContain('@example.com')
    }
    expect(applyEmailPolicy(byAddress, 'redact').principals[0]!.email).toBeUndefined()
  })

  it('are masked in audit events, keeping the rest of the text', () => {
    const events = [
      {
        id: '1',
        time: '2026-11-21T10:00:00Z',
        actor: { name: 'ivan@example.com' },
        action: 'AddAdmin',
        target: { name: 'nina@example.com' },
        message: 'ivan@example.com made nina@example.com a Set Admin'
      }
    ]
    const [masked] = applyEmailPolicyToEvents(events, 'hash')
    expect(masked!.target!.name).toBe(nina)
    expect(masked!.message).toMatch(/^sha256:[0-9a-f]{16} made sha256:[0-9a-f]{16} a Set Admin$/)
    expect(applyEmailPolicyToEvents(events, 'keep')).toBe(events)
  })
})
