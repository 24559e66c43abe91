import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { needsAttention } from '../../src/report/attention.js'
import type { Report } from '../../src/report/types.js'
import { outcome, yesterday } from './fixtures.js'

const report = (outcomes: Report['outcomes']): Report => ({ outcomes, massRemovalThreshold: 0.25 })
const messages = (before: Snapshot, after: Snapshot) =>
  needsAttention(report([outcome(before, after)])).map((i) => `${i.severity} ${i.rule}: ${i.message}`)

/** The fixture organization with one scope's attributes changed. */
function withScope(id: string, attributes: Record<string, string> | undefined, base = yesterday()): Snapshot {
  base.scopes = base.scopes.map((s) => (s.id === id ? { ...s, attributes } : s))
  return base
}

describe('Needs attention: scope settings that widen access for a whole population', () => {
  it('flags the base privilege of members raised: admin is critical, write high, read medium', () => {
    const org = (privilege: string) =>
      withScope('O1', { 'members-privilege': privilege, 'members-can-create': 'false' })
    expect(messages(org('read'), org('admin'))).toEqual([
      'critical setting: organization acme raised the privilege every member holds on everything under it from read to admin: every member (1) now administers each of its 2 repositories'
    ])
    expect(messages(org('read'), org('write'))).toEqual([
      'high setting: organization acme raised the privilege every member holds on everything under it from read to write: every member (1) now holds write on each of its 2 repositories'
    ])
    expect(messages(org('none'), org('read'))[0]).toMatch(
      /^medium setting: organization acme raised .* from none to read/
    )
    // Lowering it is no escalation.
    expect(messages(org('admin'), org('read'))).toEqual([])
  })

  it('counts the members who get it: principals holding a grant at the scope, invitations left out', () => {
    const before = withScope('O1', { 'members-privilege': 'read' })
    before.principals.push({ id: 'I1', name: 'invitee', kind: 'user', pending: true })
    before.grants.push(
      { subject: { type: 'principal', id: 'U2' }, role: 'read', scope: 'O1' },
      { subject: { type: 'principal', id: 'I1' }, role: 'read', scope: 'O1' }
    )
    const after = withScope('O1', { 'members-privilege': 'write' }, structuredClone(before))
    expect(messages(before, after)[0]).toContain('every member (2) now holds write on each of its 2 repositories')
  })

  it('flags members allowed to create scopes under it', () => {
    const org = (allowed: string) => withScope('O1', { 'members-privilege': 'read', 'members-can-create': allowed })
    expect(messages(org('false'), org('true'))).toEqual([
      'medium setting: organization acme now lets every member (1) create repositories under it, and administer what they create'
    ])
    expect(messages(org('true'), org('false'))).toEqual([])
  })

  it('flags a scope made public (high) or internal (medium), not one made private', () => {
    const repo = (visibility: string) => withScope('P1', { visibility })
    expect(messages(repo('private'), repo('public'))).toEqual([
      'high setting: repository api made public (was private): anyone can read it'
    ])
    expect(messages(repo('private'), repo('internal'))).toEqual([
      'medium setting: repository api made internal (was private): every member of the organization or enterprise can read it'
    ])
    expect(messages(repo('public'), repo('private'))).toEqual([])
  })

  it('flags a group made a manager of a scope, with how many it makes managers', () => {
    const space = (managers: string) => withScope('P2', { 'manager-groups': managers })
    expect(messages(space(''), space('T1'))).toEqual([
      'high setting: group devs (2 members) made a manager of repository web'
    ])
    expect(messages(space('T2'), space('T1, T2'))).toEqual([
      'high setting: group devs (2 members) made a manager of repository web'
    ])
    expect(messages(space('T1, T2'), space('T2'))).toEqual([])
  })

  it('never reads a setting the older snapshot did not have as raised: it was not known', () => {
    expect(messages(withScope('O1', undefined), withScope('O1', { 'members-privilege': 'admin' }))).toEqual([])
    expect(messages(withScope('P2', undefined), withScope('P2', { 'manager-groups': 'T1' }))).toEqual([])
    expect(
      messages(withScope('P1', { archived: 'false' }), withScope('P1', { archived: 'false', visibility: 'public' }))
    ).toEqual([])
  })
})
