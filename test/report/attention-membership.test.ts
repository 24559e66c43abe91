import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { needsAttention } from '../../src/report/attention.js'
import type { Report } from '../../src/report/types.js'
import { outcome } from './fixtures.js'

const report = (outcomes: Report['outcomes']): Report => ({ outcomes, massRemovalThreshold: 0.25 })
const messages = (before: Snapshot, after: Snapshot) =>
  needsAttention(report([outcome(before, after)])).map((i) => `${i.severity} ${i.rule}: ${i.message}`)

/**
 * Release Managers deploy to Production and Staging (write, restricted by
 * environment); Engineering administers api, and its child team Frontend
 * writes to web; Contractors is a group that can be nested by membership.
 */
function org(): Snapshot {
  return {
    source: { type: 'file', name: 'org' },
    principals: [
      { id: 'u1', name: 'maria.lopez', kind: 'user' },
      { id: 'u2', name: 'li.wei', kind: 'user' },
      { id: 'u3', name: 'sam.okafor', kind: 'user' },
      { id: 'b1', name: 'ci-bot', kind: 'bot' }
    ],
    groups: [
      { id: 'g-release', name: 'Release Managers', members: [{ id: 'u2', role: 'member' }] },
      { id: 'g-eng', name: 'Engineering', members: [{ id: 'u2', role: 'member' }] },
      { id: 'g-front', name: 'Frontend', parent: 'g-eng', members: [{ id: 'u3', role: 'member' }] },
      { id: 'g-readers', name: 'Readers', members: [] },
      { id: 'g-contractors', name: 'Contractors', members: [{ id: 'u3', role: 'member' }] }
    ],
    roles: [
      { id: 'r-deploy', name: 'Deployment creator', permissions: ['DeploymentCreate'], privilege: 'write' },
      { id: 'admin', name: 'admin', permissions: [], privilege: 'admin' },
      { id: 'write', name: 'write', permissions: [], privilege: 'write' },
      { id: 'read', name: 'read', permissions: [], privilege: 'read' }
    ],
    scopes: [
      { id: 's-prod', type: 'space', name: 'Production' },
      { id: 's-staging', type: 'space', name: 'Staging' },
      { id: 'p-api', type: 'repository', name: 'api' },
      { id: 'p-web', type: 'repository', name: 'web' }
    ],
    grants: [
      {
        id: 'ScopedUserRoles-1',
        subject: { type: 'group', id: 'g-release' },
        role: 'r-deploy',
        scope: 's-prod',
        restrictions: { environments: ['Production (Environments-1)'] }
      },
      { id: 'ScopedUserRoles-2', subject: { type: 'group', id: 'g-release' }, role: 'r-deploy', scope: 's-staging' },
      { subject: { type: 'group', id: 'g-eng' }, role: 'admin', scope: 'p-api' },
      { subject: { type: 'group', id: 'g-front' }, role: 'write', scope: 'p-web' },
      { subject: { type: 'group', id: 'g-readers' }, role: 'read', scope: 'p-web' }
    ]
  }
}

function joining(group: string, member: string, base = org()): Snapshot {
  const next = structuredClone(base)
  next.groups.find((g) => g.id === group)!.members.push({ id: member, role: 'member' })
  return next
}

describe('Needs attention: access that arrives through a group', () => {
  it('names the person, the group and what the membership reaches', () => {
    expect(messages(org(), joining('g-release', 'u1'))).toEqual([
      'medium escalation: maria.lopez joined Release Managers: Deployment creator (write) on space Production (environments: Production (Environments-1)), space Staging'
    ])
  })

  it('sums up several grants of one role at one scope: their restrictions add up, an open one stays open', () => {
    const many = structuredClone(org())
    many.grants.push(
      {
        id: 'ScopedUserRoles-3',
        subject: { type: 'group', id: 'g-release' },
        role: 'r-deploy',
        scope: 's-prod',
        restrictions: { environments: ['Staging (Environments-2)'], tenants: ['Acme (Tenants-1)'] }
      },
      {
        id: 'ScopedUserRoles-4',
        subject: { type: 'group', id: 'g-release' },
        role: 'r-deploy',
        scope: 's-staging',
        restrictions: { environments: ['Test (Environments-3)'] }
      }
    )
    expect(messages(many, joining('g-release', 'u1', many))).toEqual([
      'medium escalation: maria.lopez joined Release Managers: Deployment creator (write) on space Production (environments: Production (Environments-1), Staging (Environments-2)), space Staging'
    ])
  })

  it('includes what arrives through the parent of a nested team, ranked by the strongest of it', () => {
    expect(messages(org(), joining('g-front', 'u1'))).toEqual([
      'high new-admin: maria.lopez joined Frontend: admin on repository api through group Engineering; write on repository web'
    ])
  })

  it('counts only what the member could not reach before', () => {
    const before = joining('g-eng', 'u1')
    // Already in Engineering, maria gains only Frontend's own grant by joining its child team.
    expect(messages(before, joining('g-front', 'u1', before))).toEqual([
      'medium escalation: maria.lopez joined Frontend: write on repository web'
    ])
    // li.wei is in Release Managers already: a second path to the same grants is nothing new.
    const viaTwo = structuredClone(org())
    viaTwo.groups.push({ id: 'g-release-2', name: 'Release Backup', parent: 'g-release', members: [] })
    expect(messages(viaTwo, joining('g-release-2', 'u2', viaTwo))).toEqual([])
  })

  it('raises nothing for a group that only reads, except for service accounts and outside collaborators', () => {
    expect(messages(org(), joining('g-readers', 'u1'))).toEqual([])
    expect(messages(org(), joining('g-readers', 'b1'))).toEqual(['medium service-account: bot ci-bot joined Readers'])
  })

  it('flags a team moved under a parent with grants, with how many members it carries', () => {
    const before = structuredClone(org())
    delete before.groups.find((g) => g.id === 'g-front')!.parent
    expect(messages(before, org())).toEqual([
      'high new-admin: group Frontend (1 member) moved under Engineering: admin on repository api through group Engineering'
    ])
    // Moving it out from under Engineering takes access away: nothing to flag.
    expect(messages(org(), before)).toEqual([])
  })

  it('flags a group nested into another by membership, and a new child team with members', () => {
    expect(messages(org(), joining('g-release', 'g-contractors'))).toEqual([
      'medium escalation: group Contractors (1 member) joined Release Managers: Deployment creator (write) on space Production (environments: Production (Environments-1)), space Staging'
    ])
    const after = structuredClone(org())
    after.groups.push({ id: 'g-api', name: 'API', parent: 'g-eng', members: [{ id: 'u1', role: 'member' }] })
    expect(messages(org(), after)).toEqual([
      'high new-admin: maria.lopez joined API: admin on repository api through group Engineering'
    ])
  })

  it('includes the scopes a group manages through a manager-groups setting', () => {
    const managed = structuredClone(org())
    managed.scopes[0]!.attributes = { 'manager-groups': 'g-readers' }
    expect(messages(managed, joining('g-readers', 'u1', managed))).toEqual([
      'high new-admin: maria.lopez joined Readers: manager of space Production'
    ])
  })
})
