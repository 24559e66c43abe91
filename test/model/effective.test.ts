import { describe, expect, it } from 'vitest'
import { AccessGraph } from '../../src/model/effective.js'
import type { Grant, Snapshot } from '../../src/model/types.js'

const grant = (type: 'principal' | 'group', id: string, role: string, scope: string): Grant => ({
  subject: { type, id },
  role,
  scope
})

/**
 * alice: direct read on api and member of `child`, whose parent `parent`
 * holds admin on api; `parent` is itself a member of `all` (nesting by
 * membership), which holds write on web. bob is a member of `parent` and of
 * `child`. `loop-a` and `loop-b` contain each other.
 */
function snapshot(): Snapshot {
  return {
    source: { type: 'file', name: 't' },
    principals: [
      { id: 'alice', name: 'alice', kind: 'user' },
      { id: 'bob', name: 'bob', kind: 'user' },
      { id: 'carol', name: 'carol', kind: 'user' }
    ],
    groups: [
      { id: 'all', name: 'All', members: [{ id: 'parent', role: 'member' }] },
      { id: 'parent', name: 'Parent', members: [{ id: 'bob', role: 'member' }] },
      {
        id: 'child',
        name: 'Child',
        parent: 'parent',
        members: [
          { id: 'alice', role: 'member' },
          { id: 'bob', role: 'member' }
        ]
      },
      { id: 'loop-a', name: 'A', members: [{ id: 'loop-b', role: 'member' }] },
      {
        id: 'loop-b',
        name: 'B',
        members: [
          { id: 'loop-a', role: 'member' },
          { id: 'carol', role: 'member' }
        ]
      }
    ],
    roles: [],
    scopes: [
      { id: 'api', type: 'repository', name: 'api' },
      { id: 'web', type: 'repository', name: 'web', attributes: { 'manager-groups': 'parent' } }
    ],
    grants: [
      grant('principal', 'alice', 'read', 'api'),
      grant('group', 'parent', 'admin', 'api'),
      grant('group', 'all', 'write', 'web'),
      grant('group', 'loop-a', 'read', 'web')
    ]
  }
}

describe('AccessGraph: effective access derived from direct grants and immediate memberships', () => {
  const graph = new AccessGraph(snapshot())

  it('gives a principal its direct grants, then each grant through groups once, with the shortest path', () => {
    expect(graph.principalReach('alice')).toEqual([
      { grant: grant('principal', 'alice', 'read', 'api'), path: [] },
      { grant: grant('group', 'parent', 'admin', 'api'), path: ['child', 'parent'] },
      { grant: grant('group', 'all', 'write', 'web'), path: ['child', 'parent', 'all'] }
    ])
    // bob is an immediate member of parent too: the shorter path wins.
    expect(graph.principalReach('bob').map((r) => r.path)).toEqual([['parent'], ['parent', 'all']])
    expect(graph.principalReach('nobody')).toEqual([])
  })

  it('says what membership of a group confers: itself first, then parents and containing groups', () => {
    expect(graph.conferredBy('child')).toEqual([
      { group: 'child', path: ['child'] },
      { group: 'parent', path: ['child', 'parent'] },
      { group: 'all', path: ['child', 'parent', 'all'] }
    ])
    expect(graph.groupReach('parent').map((r) => [r.grant.scope, r.path])).toEqual([
      ['api', ['parent']],
      ['web', ['parent', 'all']]
    ])
  })

  it('lists the effective members of a group: immediate ones and those of groups under it', () => {
    expect(graph.effectiveMembers('all')).toEqual(['alice', 'bob'])
    expect(graph.effectiveMembers('child')).toEqual(['alice', 'bob'])
  })

  it('follows manager-groups settings to the scopes a membership administers', () => {
    expect(graph.principalManages('alice')).toEqual([{ scope: 'web', path: ['child', 'parent'] }])
    expect(graph.groupManages('all')).toEqual([])
  })

  it('ends the walk on groups that contain each other', () => {
    expect(graph.principalReach('carol').map((r) => r.path)).toEqual([['loop-b', 'loop-a']])
    expect(graph.effectiveMembers('loop-a')).toEqual(['carol'])
  })
})
