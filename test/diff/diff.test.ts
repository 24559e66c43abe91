import { describe, expect, it } from 'vitest'
import { applyChanges } from '../../src/diff/apply.js'
import { diffSnapshots } from '../../src/diff/diff.js'
import { hasChanges } from '../../src/diff/types.js'
import type { Grant, Snapshot } from '../../src/model/types.js'

const source = { type: 'github', name: 'acme' }

function snapshot(parts: Partial<Omit<Snapshot, 'source'>>): Snapshot {
  return { source, principals: [], groups: [], roles: [], scopes: [], grants: [], ...parts }
}

const grant = (subject: string, role: string, scope: string, extra: Partial<Grant> = {}): Grant => ({
  subject: { type: 'principal', id: subject },
  role,
  scope,
  ...extra
})

describe('diffSnapshots', () => {
  it('treats a first snapshot as everything added', () => {
    const after = snapshot({
      principals: [
        { id: 'u2', name: 'bob', kind: 'user' },
        { id: 'u1', name: 'alice', kind: 'user' }
      ],
      grants: [grant('u1', 'admin', 'org')]
    })
    const changes = diffSnapshots(undefined, after)
    expect(changes.principals.added.map((p) => p.id)).toEqual(['u1', 'u2'])
    expect(changes.grants.added).toHaveLength(1)
    expect(changes.principals.removed).toEqual([])
  })

  it('finds nothing when only the order of entities and set-like lists differs', () => {
    const a = snapshot({
      principals: [
        { id: 'u1', name: 'alice', kind: 'user' },
        { id: 'u2', name: 'bob', kind: 'bot' }
      ],
      groups: [
        {
          id: 'g1',
          name: 'devs',
          members: [
            { id: 'u1', role: 'member' },
            { id: 'u2', role: 'member' }
          ]
        }
      ],
      roles: [{ id: 'r1', name: 'write', permissions: ['push', 'pull'] }],
      grants: [grant('u1', 'r1', 'repo', { restrictions: { environments: ['prod', 'dev'] } })]
    })
    const b = snapshot({
      principals: [...a.principals].reverse(),
      groups: [
        {
          id: 'g1',
          name: 'devs',
          members: [
            { id: 'u2', role: 'member' },
            { id: 'u1', role: 'member' }
          ]
        }
      ],
      roles: [{ id: 'r1', name: 'write', permissions: ['pull', 'push'] }],
      grants: [grant('u1', 'r1', 'repo', { restrictions: { environments: ['dev', 'prod'] } })]
    })
    expect(hasChanges(diffSnapshots(a, b))).toBe(false)
  })

  it('reports a principal rename by stable id, with the fields that changed', () => {
    const a = snapshot({ principals: [{ id: 'u1', name: 'alice', kind: 'user', email: 'a@x.test', active: true }] })
    const b = snapshot({ principals: [{ id: 'u1', name: 'alice-new', kind: 'user', active: false }] })
    const changes = diffSnapshots(a, b)
    expect(changes.principals.added).toEqual([])
    expect(changes.principals.removed).toEqual([])
    expect(changes.principals.changed).toHaveLength(1)
    expect(changes.principals.changed[0]).toMatchObject({
      fields: ['active', 'email', 'name'],
      rename: { before: 'alice', after: 'alice-new' }
    })
  })

  it('reports group renames, parent moves, members, member roles and external members', () => {
    const a = snapshot({
      groups: [
        {
          id: 'g1',
          name: 'devs',
          parent: 'g0',
          members: [
            { id: 'u1', role: 'member' },
            { id: 'u2', role: 'member' }
          ],
          externalMembers: ['cn=devs']
        }
      ]
    })
    const b = snapshot({
      groups: [
        {
          id: 'g1',
          name: 'developers',
          members: [
            { id: 'u1', role: 'maintainer' },
            { id: 'u3', role: 'member' }
          ],
          externalMembers: ['cn=developers']
        }
      ]
    })
    const [change] = diffSnapshots(a, b).groups.changed
    expect(change).toMatchObject({
      fields: ['externalMembers', 'members', 'name', 'parent'],
      rename: { before: 'devs', after: 'developers' },
      parent: { before: 'g0', after: undefined },
      membersAdded: [{ id: 'u3', role: 'member' }],
      membersRemoved: [{ id: 'u2', role: 'member' }],
      memberRoles: [{ id: 'u1', before: 'member', after: 'maintainer' }],
      externalMembersAdded: ['cn=developers'],
      externalMembersRemoved: ['cn=devs']
    })
  })

  it('reports role permissions, privilege and rename', () => {
    const a = snapshot({ roles: [{ id: 'r1', name: 'Deployer', permissions: ['deploy', 'view'], privilege: 'write' }] })
    const b = snapshot({
      roles: [{ id: 'r1', name: 'Release manager', permissions: ['view', 'deploy', 'edit'], privilege: 'admin' }]
    })
    expect(diffSnapshots(a, b).roles.changed[0]).toMatchObject({
      fields: ['name', 'permissions', 'privilege'],
      rename: { before: 'Deployer', after: 'Release manager' },
      permissionsAdded: ['edit'],
      permissionsRemoved: [],
      privilege: { before: 'write', after: 'admin' }
    })
  })

  it('reports scope renames and attribute changes', () => {
    const a = snapshot({
      scopes: [
        { id: 'o1', type: 'organization', name: 'acme', attributes: { 'base-permission': 'read', plan: 'team' } }
      ]
    })
    const b = snapshot({
      scopes: [
        { id: 'o1', type: 'organization', name: 'acme-inc', attributes: { 'base-permission': 'write', sso: 'on' } }
      ]
    })
    expect(diffSnapshots(a, b).scopes.changed[0]).toMatchObject({
      fields: ['attributes', 'name'],
      rename: { before: 'acme', after: 'acme-inc' },
      attributes: [
        { key: 'base-permission', before: 'read', after: 'write' },
        { key: 'plan', before: 'team', after: undefined },
        { key: 'sso', before: undefined, after: 'on' }
      ]
    })
  })

  it('reports a grant whose restrictions changed under the same key', () => {
    const a = snapshot({
      grants: [grant('u1', 'r1', 's1', { restrictions: { environments: ['dev'], projects: ['p'] } })]
    })
    const b = snapshot({ grants: [grant('u1', 'r1', 's1', { restrictions: { environments: ['dev', 'prod'] } })] })
    const changes = diffSnapshots(a, b).grants
    expect(changes.added).toEqual([])
    expect(changes.removed).toEqual([])
    expect(changes.changed[0]).toMatchObject({
      fields: ['restrictions'],
      restrictions: [
        { dimension: 'environments', before: ['dev'], after: ['dev', 'prod'], added: ['prod'], removed: [] },
        { dimension: 'projects', before: ['p'], after: undefined, added: [], removed: [] }
      ]
    })
    expect(changes.changed[0]!.role).toBeUndefined()
  })

  it('pairs the only removed and added grant of a slot into a role change', () => {
    const a = snapshot({ grants: [grant('u1', 'write', 'repo'), grant('u2', 'read', 'repo')] })
    const b = snapshot({ grants: [grant('u1', 'admin', 'repo'), grant('u2', 'read', 'repo')] })
    const changes = diffSnapshots(a, b).grants
    expect(changes.added).toEqual([])
    expect(changes.removed).toEqual([])
    expect(changes.changed).toHaveLength(1)
    expect(changes.changed[0]).toMatchObject({ fields: ['role'], role: { before: 'write', after: 'admin' } })
  })

  it('does not pair when a slot is ambiguous or the path differs', () => {
    const a = snapshot({
      grants: [grant('u1', 'read', 'repo'), grant('u1', 'triage', 'repo'), grant('u2', 'read', 'repo')]
    })
    const b = snapshot({
      grants: [grant('u1', 'admin', 'repo'), grant('u2', 'write', 'repo', { via: 'team:g1' })]
    })
    const changes = diffSnapshots(a, b).grants
    expect(changes.changed).toEqual([])
    expect(changes.added).toHaveLength(2)
    expect(changes.removed).toHaveLength(3)
  })

  it('shows a role change of a grant with a system id as a change of that grant', () => {
    const a = snapshot({ grants: [grant('u1', 'viewer', 'space', { id: 'ScopedUserRoles-1' })] })
    const b = snapshot({ grants: [grant('u1', 'admin', 'space', { id: 'ScopedUserRoles-1' })] })
    expect(diffSnapshots(a, b).grants.changed[0]).toMatchObject({ role: { before: 'viewer', after: 'admin' } })
  })

  it('collapses identical duplicates and refuses different entities under one key', () => {
    const a = snapshot({ grants: [grant('u1', 'r', 's'), grant('u1', 'r', 's')] })
    expect(hasChanges(diffSnapshots(a, snapshot({ grants: [grant('u1', 'r', 's')] })))).toBe(false)
    const clash = snapshot({
      principals: [
        { id: 'u1', name: 'a', kind: 'user' },
        { id: 'u1', name: 'b', kind: 'user' }
      ]
    })
    expect(() => diffSnapshots(undefined, clash)).toThrow(/two different principals under the key "u1"/)
  })

  it('sorts every list by id so the result does not depend on input order', () => {
    const b = snapshot({ grants: [grant('u3', 'r', 's'), grant('u1', 'r', 's'), grant('u2', 'r', 's')] })
    expect(diffSnapshots(undefined, b).grants.added.map((g) => g.subject.id)).toEqual(['u1', 'u2', 'u3'])
  })
})

describe('applyChanges', () => {
  it('replays renames, role changes and removals', () => {
    const a = snapshot({
      principals: [
        { id: 'u1', name: 'alice', kind: 'user' },
        { id: 'u2', name: 'bob', kind: 'user' }
      ],
      grants: [grant('u1', 'write', 'repo'), grant('u2', 'read', 'repo')]
    })
    const b = snapshot({
      principals: [{ id: 'u1', name: 'alice2', kind: 'user' }],
      grants: [grant('u1', 'admin', 'repo')]
    })
    expect(applyChanges(a, diffSnapshots(a, b))).toEqual(b)
  })

  it('refuses changes that do not fit the snapshot', () => {
    const a = snapshot({ principals: [{ id: 'u1', name: 'alice', kind: 'user' }] })
    const changes = diffSnapshots(a, snapshot({}))
    expect(() => applyChanges(snapshot({}), changes)).toThrow(/cannot remove principal "u1"/)
    expect(() => applyChanges(a, diffSnapshots(undefined, a))).toThrow(/cannot add principal "u1"/)
  })
})
