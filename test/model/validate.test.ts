import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { validateSnapshot } from '../../src/model/validate.js'

function valid(): Snapshot {
  return {
    source: { type: 'file', name: 'x' },
    principals: [
      { id: 'u1', name: 'alice', kind: 'user' },
      { id: 'u2', name: 'bob', kind: 'user' }
    ],
    groups: [
      { id: 'g1', name: 'parent', members: [{ id: 'u1', role: 'member' }] },
      // A nested group is a member too.
      {
        id: 'g2',
        name: 'child',
        parent: 'g1',
        members: [
          { id: 'u2', role: 'member' },
          { id: 'g1', role: 'member' }
        ]
      }
    ],
    roles: [{ id: 'r1', name: 'Reader', permissions: [] }],
    scopes: [
      { id: 'org', type: 'organization', name: 'acme' },
      { id: 'repo', type: 'repository', name: 'web', parent: 'org' }
    ],
    grants: [
      { subject: { type: 'group', id: 'g2' }, role: 'r1', scope: 'repo' },
      { subject: { type: 'principal', id: 'u1' }, role: 'r1', scope: 'org' }
    ]
  }
}

describe('validateSnapshot', () => {
  it('accepts a consistent snapshot', () => {
    expect(validateSnapshot(valid())).toEqual([])
  })

  it('reports duplicate ids per kind', () => {
    const s = valid()
    s.principals.push({ id: 'u1', name: 'alice again', kind: 'user' })
    s.roles.push({ id: 'r1', name: 'Reader', permissions: [] })
    // The same id in two kinds is fine: ids are unique per kind.
    s.scopes.push({ id: 'g1', type: 'folder', name: 'g1' })
    expect(validateSnapshot(s)).toEqual([
      "principal id 'u1' appears more than once",
      "role id 'r1' appears more than once"
    ])
  })

  it('reports dangling group parents and members', () => {
    const s = valid()
    s.groups[1]!.parent = 'g9'
    s.groups[0]!.members.push({ id: 'u9', role: 'member' })
    expect(validateSnapshot(s)).toEqual(["group 'g1' has unknown member 'u9'", "group 'g2' has unknown parent 'g9'"])
  })

  it('reports a dangling scope parent', () => {
    const s = valid()
    s.scopes[1]!.parent = 'enterprise'
    expect(validateSnapshot(s)).toEqual(["scope 'repo' has unknown parent 'enterprise'"])
  })

  it('reports grants to unknown subjects, roles and scopes, checking the subject against its own kind', () => {
    const s = valid()
    s.grants.push(
      // u1 is a principal, not a group.
      { subject: { type: 'group', id: 'u1' }, role: 'r1', scope: 'org' },
      { subject: { type: 'principal', id: 'u2' }, role: 'admin', scope: 'nowhere' }
    )
    expect(validateSnapshot(s)).toEqual([
      "grant refers to unknown group 'u1'",
      "grant refers to unknown role 'admin'",
      "grant refers to unknown scope 'nowhere'"
    ])
  })
})
