import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { applyEmailPolicy } from '../../src/model/emails.js'
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
