import { describe, expect, it } from 'vitest'
import { applyEmailPolicy, emailMasker } from '../../src/model/emails.js'
import { joinPeople, sourceKey, type JoinOptions } from '../../src/model/people.js'
import type { Principal, Snapshot } from '../../src/model/types.js'
import { Random } from '../sim/random.js'
import { shuffleDeep } from '../store/arbitraries.js'

const source = (type: string, name: string, principals: Principal[]): Snapshot => ({
  source: { type, name },
  principals,
  groups: [],
  roles: [],
  scopes: [],
  grants: []
})
const user = (id: string, name: string, extra: Partial<Principal> = {}): Principal => ({
  id,
  name,
  kind: 'user',
  ...extra
})

/** Who ends up with whom: each person as its label and sorted `type/name:login` accounts. */
const shape = (snapshots: Snapshot[], options: JoinOptions = {}) =>
  joinPeople(snapshots, options).map((p) => ({
    label: p.label,
    accounts: p.accounts.map((a) => `${sourceKey(a.source)}:${a.principal.name}`).sort(),
    missing: p.missing.map((m) => `${sourceKey(m.source)}:${m.login}`)
  }))

describe('joinPeople', () => {
  const github = source('github', 'acme', [
    user('U1', 'alice-gh', { email: 'Alice@Corp.com' }),
    user('U2', 'bob-gh'),
    user('U3', 'carol-gh', { email: 'carol@corp.com' })
  ])
  const octopus = source('octopus', 'prod', [
    user('Users-1', 'alice', { email: 'alice@corp.com', active: false }),
    user('Users-2', 'bob'),
    user('Users-3', 'admin')
  ])
  const uipath = source('uipath', 'tenant', [
    user('7', 'Admin'),
    user('8', 'carol@corp.com', { email: 'CAROL@corp.com' })
  ])

  it('joins accounts by email address, case-insensitively, and never by name alone', () => {
    expect(shape([github, octopus, uipath])).toEqual([
      // Case-insensitive order; where only case differs, code-unit order decides.
      { label: 'Admin', accounts: ['uipath/tenant:Admin'], missing: [] },
      { label: 'admin', accounts: ['octopus/prod:admin'], missing: [] },
      { label: 'Alice@Corp.com', accounts: ['github/acme:alice-gh', 'octopus/prod:alice'], missing: [] },
      { label: 'bob', accounts: ['octopus/prod:bob'], missing: [] },
      { label: 'bob-gh', accounts: ['github/acme:bob-gh'], missing: [] },
      { label: 'CAROL@corp.com', accounts: ['github/acme:carol-gh', 'uipath/tenant:carol@corp.com'], missing: [] }
    ])
  })

  it('joins through the identities map by source type or by instance, and lists accounts it names that do not exist', () => {
    const second = source('github', 'acme-labs', [user('L1', 'bob-labs'), user('L2', 'bob-gh')])
    const people = shape([github, octopus, second], {
      identities: {
        'bob@corp.com': { github: 'BOB-GH', octopus: ['bob', 'bob-old'], 'github/acme-labs': 'bob-labs' },
        'dave@corp.com': { octopus: 'dave' }
      }
    })
    expect(people.find((p) => p.label === 'bob@corp.com')).toEqual({
      label: 'bob@corp.com',
      // `github: BOB-GH` names the login in every GitHub instance: acme-labs has a bob-gh too.
      accounts: ['github/acme-labs:bob-gh', 'github/acme-labs:bob-labs', 'github/acme:bob-gh', 'octopus/prod:bob'],
      missing: ['octopus/prod:bob-old']
    })
    // Nobody found anywhere: the person is still listed, with what the map expected.
    expect(people.find((p) => p.label === 'dave@corp.com')).toEqual({
      label: 'dave@corp.com',
      accounts: [],
      missing: ['octopus/prod:dave']
    })
  })

  it('matches the identities map with addresses stored as fingerprints under emails: hash, and labels by the policy', () => {
    const key = 'a-long-random-fingerprint-key'
    const hash = emailMasker('hash', key)
    const hashed = [applyEmailPolicy(github, 'hash', key), applyEmailPolicy(octopus, 'hash', key)]
    const options: JoinOptions = {
      identities: { 'alice@corp.com': { github: 'alice-gh' } },
      storedAs: (_source, text) => hash(text),
      label: (email) => hash(email)
    }
    const alice = shape(hashed, options).find((p) => p.accounts.includes('octopus/prod:alice'))!
    expect(alice.accounts).toEqual(['github/acme:alice-gh', 'octopus/prod:alice'])
    expect(alice.label).toBe(hash('alice@corp.com'))
    expect(alice.label).toMatch(/^hmac-sha256:/)
    // Under redact there is no address to join by: only the map joins.
    const redacted = [applyEmailPolicy(github, 'redact', key), applyEmailPolicy(octopus, 'redact', key)]
    expect(shape(redacted).find((p) => p.accounts.includes('octopus/prod:alice'))!.accounts).toEqual([
      'octopus/prod:alice'
    ])
    expect(
      shape(redacted, { identities: { 'alice@corp.com': { github: 'alice-gh', octopus: 'alice' } } }).find((p) =>
        p.accounts.includes('octopus/prod:alice')
      )!.accounts
    ).toEqual(['github/acme:alice-gh', 'octopus/prod:alice'])
  })

  it('gives the same people in the same order for any order of sources and principals', () => {
    const options: JoinOptions = { identities: { 'bob@corp.com': { github: 'bob-gh', octopus: 'bob' } } }
    const expected = shape([github, octopus, uipath], options)
    for (let seed = 1; seed <= 20; seed++) {
      const random = new Random(seed)
      expect(shape(random.shuffle([github, octopus, uipath].map((s) => shuffleDeep(s, random))), options)).toEqual(
        expected
      )
    }
  })
})
