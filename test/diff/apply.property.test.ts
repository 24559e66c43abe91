import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { applyChanges } from '../../src/diff/apply.js'
import { canonicalJson } from '../../src/diff/canonical.js'
import { diffSnapshots } from '../../src/diff/diff.js'
import { grantKey } from '../../src/model/keys.js'
import type { Grant, Group, Principal, Role, Scope, Snapshot } from '../../src/model/types.js'

// Small pools, so two independently generated snapshots share most ids and
// the diff meets renames, role changes, restriction changes and collisions.
const ids = (prefix: string, n: number) => fc.constantFrom(...Array.from({ length: n }, (_, i) => `${prefix}${i}`))
const name = fc.constantFrom('alice', 'bob', 'carol', 'ops')
const words = fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd'), { maxLength: 3 })
const attributes = fc.option(fc.dictionary(fc.constantFrom('k', 'l'), fc.constantFrom('x', 'y')), { nil: undefined })

const principal: fc.Arbitrary<Principal> = fc.record(
  {
    id: ids('u', 5),
    name,
    kind: fc.constantFrom('user', 'bot', 'service-account', 'app'),
    email: fc.constantFrom('a@x.test', 'b@x.test'),
    active: fc.boolean(),
    external: fc.boolean(),
    attributes
  },
  { requiredKeys: ['id', 'name', 'kind'] }
)

const group: fc.Arbitrary<Group> = fc.record(
  {
    id: ids('g', 3),
    name,
    parent: ids('g', 3),
    members: fc.uniqueArray(fc.record({ id: ids('u', 5), role: fc.constantFrom('member', 'maintainer') }), {
      selector: (m) => m.id,
      maxLength: 4
    }),
    externalMembers: words
  },
  { requiredKeys: ['id', 'name', 'members'] }
)

const role: fc.Arbitrary<Role> = fc.record(
  {
    id: ids('r', 3),
    name,
    permissions: words,
    privilege: fc.constantFrom('read', 'write', 'admin', 'owner'),
    builtIn: fc.boolean()
  },
  { requiredKeys: ['id', 'name', 'permissions'] }
)

const scope: fc.Arbitrary<Scope> = fc.record(
  { id: ids('s', 3), type: fc.constantFrom('organization', 'repository'), name, parent: ids('s', 3), attributes },
  { requiredKeys: ['id', 'type', 'name'] }
)

const grant: fc.Arbitrary<Grant> = fc.record(
  {
    id: ids('G', 3),
    subject: fc.record({ type: fc.constantFrom('principal', 'group'), id: ids('x', 3) }),
    role: ids('r', 3),
    scope: ids('s', 2),
    via: fc.constantFrom('team:g1', 'organization'),
    restrictions: fc.dictionary(fc.constantFrom('environments', 'projects'), words, { maxKeys: 2 }),
    attributes
  },
  { requiredKeys: ['subject', 'role', 'scope'] }
)

const byId = <T extends { id: string }>(item: fc.Arbitrary<T>) =>
  fc.uniqueArray(item, { selector: (x) => x.id, maxLength: 5 })

const snapshot: fc.Arbitrary<Snapshot> = fc.record({
  source: fc.constant({ type: 'file', name: 'prop' }),
  principals: byId(principal),
  groups: byId(group),
  roles: byId(role),
  scopes: byId(scope),
  grants: fc.uniqueArray(grant, { selector: grantKey, maxLength: 12 })
})

/** Order-insensitive: every list in the model is a set. */
const canonical = (s: Snapshot) => canonicalJson(s)

describe('applyChanges(A, diffSnapshots(A, B))', () => {
  it('equals B for generated snapshots', () => {
    fc.assert(
      fc.property(snapshot, snapshot, (a, b) => {
        expect(canonical(applyChanges(a, diffSnapshots(a, b)))).toBe(canonical(b))
      }),
      { numRuns: 500 }
    )
  })

  it('finds no changes between a snapshot and itself reordered', () => {
    fc.assert(
      fc.property(snapshot, (a) => {
        const reversed = { ...a, grants: [...a.grants].reverse(), principals: [...a.principals].reverse() }
        const changes = diffSnapshots(a, reversed)
        expect(Object.values(changes).every((c) => c.added.length + c.removed.length + c.changed.length === 0)).toBe(
          true
        )
      })
    )
  })
})
