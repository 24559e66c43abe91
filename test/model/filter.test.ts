import { describe, expect, it } from 'vitest'
import { filterScopes, globToRegExp } from '../../src/model/filter.js'
import type { Snapshot } from '../../src/model/types.js'

const snapshot: Snapshot = {
  source: { type: 'github', name: 'acme' },
  principals: [{ id: 'u1', name: 'alice', kind: 'user' }],
  groups: [{ id: 'g1', name: 'devs', members: [{ id: 'u1', role: 'member' }] }],
  roles: [{ id: 'write', name: 'write', permissions: [] }],
  scopes: ['api', 'web', 'sandbox-1', 'sandbox-22', 'Docs.site'].map((name) => ({
    id: `R_${name}`,
    type: 'repository',
    name
  })),
  grants: ['api', 'web', 'sandbox-1', 'sandbox-22', 'Docs.site'].map((name) => ({
    subject: { type: 'group' as const, id: 'g1' },
    role: 'write',
    scope: `R_${name}`
  }))
}

const names = (s: Snapshot) => s.scopes.map((scope) => scope.name)

describe('filterScopes', () => {
  it('returns the snapshot unchanged without globs', () => {
    expect(filterScopes(snapshot)).toBe(snapshot)
    expect(filterScopes(snapshot, [], [])).toBe(snapshot)
  })

  it('keeps included scopes with their grants, case-insensitively', () => {
    const filtered = filterScopes(snapshot, ['SANDBOX-*', 'api'])
    expect(names(filtered)).toEqual(['api', 'sandbox-1', 'sandbox-22'])
    expect(filtered.grants.map((g) => g.scope)).toEqual(['R_api', 'R_sandbox-1', 'R_sandbox-22'])
    // Who exists is still worth knowing.
    expect(filtered.principals).toBe(snapshot.principals)
    expect(filtered.groups).toBe(snapshot.groups)
    expect(filtered.roles).toBe(snapshot.roles)
  })

  it('drops excluded scopes, also from what include selected', () => {
    expect(names(filterScopes(snapshot, undefined, ['sandbox-?']))).toEqual(['api', 'web', 'sandbox-22', 'Docs.site'])
    expect(names(filterScopes(snapshot, ['sandbox-*'], ['*-22']))).toEqual(['sandbox-1'])
  })

  it('treats regular-expression characters in globs literally', () => {
    expect(names(filterScopes(snapshot, ['docs.site']))).toEqual(['Docs.site'])
    expect(names(filterScopes(snapshot, ['docs+site', 'a(p)i', '[aw]*']))).toEqual([])
  })
})

describe('globToRegExp', () => {
  it('matches the whole name: * any run, ? one character', () => {
    const glob = globToRegExp('a?c*')
    expect(['abc', 'aXcdef', 'ABC'].every((s) => glob.test(s))).toBe(true)
    expect(['ac', 'xabc', 'a\nc'].some((s) => glob.test(s))).toBe(false)
  })
})

describe('filterScopes and scope parents', () => {
  it('drops the parent reference of a kept scope whose parent was filtered out', () => {
    const snapshot = {
      source: { type: 'github', name: 'acme' },
      principals: [],
      groups: [],
      roles: [],
      scopes: [
        { id: 'O_1', type: 'organization', name: 'acme' },
        { id: 'R_1', type: 'repository', name: 'api', parent: 'O_1' }
      ],
      grants: []
    }
    expect(filterScopes(snapshot, ['api']).scopes).toEqual([{ id: 'R_1', type: 'repository', name: 'api' }])
    expect(filterScopes(snapshot, undefined, ['nothing']).scopes[1]).toEqual({
      id: 'R_1',
      type: 'repository',
      name: 'api',
      parent: 'O_1'
    })
  })
})
