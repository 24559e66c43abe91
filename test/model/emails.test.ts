import { createHash, createHmac } from 'node:crypto'
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

const KEY = 'test-fingerprint-key-0123456789'
const hmac = (address: string, key = KEY) =>
  `hmac-sha256:${createHmac('sha256', key).update(address).digest('hex').slice(0, 16)}`

describe('applyEmailPolicy', () => {
  it('keeps the snapshot as it is', () => {
    expect(applyEmailPolicy(snapshot, 'keep')).toBe(snapshot)
  })

  it('redacts by leaving the field out, touching nothing else', () => {
    const redacted = applyEmailPolicy(snapshot, 'redact', KEY)
    expect(redacted.principals).toEqual([
      { id: 'u1', name: 'alice', kind: 'user' },
      { id: 'u2', name: 'bob', kind: 'user' },
      { id: 'u3', name: 'alice2', kind: 'user' }
    ])
    expect('email' in redacted.principals[0]!).toBe(false)
    // The input is not modified.
    expect(snapshot.principals[0]!.email).toBe('Alice@Example.com')
  })

  it('hashes to a stable HMAC-SHA-256 prefix of the trimmed, lower-cased address under the key', () => {
    const hashed = applyEmailPolicy(snapshot, 'hash', KEY)
    const expected = hmac('alice@example.com')
    expect(hashed.principals.map((p) => p.email)).toEqual([expected, undefined, expected])
    expect(applyEmailPolicy(snapshot, 'hash', KEY)).toEqual(hashed)
    // A different address gives a different fingerprint, so a change still shows.
    const other = applyEmailPolicy(
      { ...snapshot, principals: [{ ...snapshot.principals[0]!, email: 'a@example.com' }] },
      'hash',
      KEY
    )
    expect(other.principals[0]!.email).not.toBe(expected)
  })

  it('cannot be reversed by hashing a staff list without the key', () => {
    const staff = ['bob@example.com', 'alice@example.com', 'carol@example.com']
    const fingerprint = applyEmailPolicy(snapshot, 'hash', KEY).principals[0]!.email!.replace(/^[\w-]+:/, '')
    const plain = staff.map((a) => createHash('sha256').update(a).digest('hex').slice(0, 16))
    const otherKey = staff.map((a) => hmac(a, 'another-key-0123456789').replace(/^hmac-sha256:/, ''))
    expect([...plain, ...otherKey]).not.toContain(fingerprint)
  })

  it('refuses to fingerprint without a key', () => {
    expect(() => applyEmailPolicy(snapshot, 'hash')).toThrow(/needs the fingerprint key/)
    expect(() => applyEmailPolicy(snapshot, 'redact', '')).toThrow(/needs the fingerprint key/)
    expect(applyEmailPolicy(snapshot, 'keep')).toBe(snapshot)
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
  const nina = hmac('nina@example.com')

  it('become the same fingerprint everywhere, so references still resolve', () => {
    for (const policy of ['redact', 'hash'] as const) {
      const masked = applyEmailPolicy(byAddress, policy, KEY)
      expect(masked.principals[0]).toMatchObject({ id: nina, name: nina })
      expect(masked.groups[0]!.members[0]!.id).toBe(nina)
      expect(masked.grants[0]!.subject.id).toBe(nina)
      expect(JSON.stringify(masked)).not.toContain('@example.com')
    }
    expect(applyEmailPolicy(byAddress, 'redact', KEY).principals[0]!.email).toBeUndefined()
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
    const [masked] = applyEmailPolicyToEvents(events, 'hash', KEY)
    expect(masked!.target!.name).toBe(nina)
    expect(masked!.message).toBe(`${hmac('ivan@example.com')} made ${nina} a Set Admin`)
    expect(applyEmailPolicyToEvents(events, 'keep')).toBe(events)
  })
})
