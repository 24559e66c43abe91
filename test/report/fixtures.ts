import { diffSnapshots } from '../../src/diff/diff.js'
import type { AuditEvent, Snapshot } from '../../src/model/types.js'
import type { SourceOutcome } from '../../src/report/types.js'

export const acme = { type: 'github', name: 'acme' }

/** A small GitHub-like organization: the "yesterday" side of most report tests. */
export function yesterday(): Snapshot {
  return {
    source: acme,
    principals: [
      { id: 'U1', name: 'alice', kind: 'user' },
      { id: 'U2', name: 'bob', kind: 'user' },
      { id: 'U3', name: 'carol', kind: 'user' },
      { id: 'B1', name: 'deploy-bot', kind: 'bot' },
      { id: 'X1', name: 'vendor-dev', kind: 'user', external: true }
    ],
    groups: [
      {
        id: 'T1',
        name: 'devs',
        members: [
          { id: 'U1', role: 'member' },
          { id: 'U2', role: 'member' }
        ]
      },
      { id: 'T2', name: 'admins', members: [{ id: 'U1', role: 'maintainer' }] }
    ],
    roles: [
      { id: 'read', name: 'read', permissions: ['pull'], privilege: 'read', builtIn: true },
      { id: 'write', name: 'write', permissions: ['pull', 'push'], privilege: 'write', builtIn: true },
      { id: 'admin', name: 'admin', permissions: ['pull', 'push', 'admin'], privilege: 'admin', builtIn: true },
      { id: 'owner', name: 'owner', permissions: ['*'], privilege: 'owner', builtIn: true },
      { id: 'R9', name: 'release', permissions: ['pull'], privilege: 'write' }
    ],
    scopes: [
      {
        id: 'O1',
        type: 'organization',
        name: 'acme',
        attributes: { 'members-privilege': 'read', 'members-can-create': 'false' }
      },
      { id: 'P1', type: 'repository', name: 'api', parent: 'O1' },
      { id: 'P2', type: 'repository', name: 'web', parent: 'O1' }
    ],
    grants: [
      { subject: { type: 'principal', id: 'U1' }, role: 'owner', scope: 'O1' },
      { subject: { type: 'principal', id: 'U2' }, role: 'write', scope: 'P1' },
      { subject: { type: 'principal', id: 'U3' }, role: 'read', scope: 'P1' },
      { subject: { type: 'principal', id: 'X1' }, role: 'read', scope: 'P2' },
      { subject: { type: 'group', id: 'T1' }, role: 'write', scope: 'P1' },
      { subject: { type: 'group', id: 'T2' }, role: 'admin', scope: 'P1' },
      { subject: { type: 'group', id: 'T2' }, role: 'R9', scope: 'P2' }
    ]
  }
}

/** "Today": one change of every dangerous kind, plus harmless ones. */
export function today(): Snapshot {
  const s = yesterday()
  s.principals.push(
    { id: 'X2', name: 'contractor', kind: 'user', external: true },
    { id: 'B2', name: 'ci-bot', kind: 'bot' }
  )
  s.principals[2] = { id: 'U3', name: 'carol-renamed', kind: 'user' }
  s.groups[0] = {
    id: 'T1',
    name: 'devs',
    members: [
      { id: 'U1', role: 'maintainer' },
      { id: 'U2', role: 'member' },
      { id: 'B1', role: 'member' }
    ]
  }
  s.groups[1] = {
    id: 'T2',
    name: 'admins',
    members: [
      { id: 'U1', role: 'maintainer' },
      { id: 'U3', role: 'member' }
    ]
  }
  s.roles[4] = { id: 'R9', name: 'release', permissions: ['pull', 'push', 'delete'], privilege: 'write' }
  s.grants = [
    { subject: { type: 'principal', id: 'U1' }, role: 'owner', scope: 'O1' },
    // Bob: write → admin on api (role change, a new admin)
    { subject: { type: 'principal', id: 'U2' }, role: 'admin', scope: 'P1' },
    // Carol: read → write on api (escalation)
    { subject: { type: 'principal', id: 'U3' }, role: 'write', scope: 'P1' },
    { subject: { type: 'principal', id: 'X1' }, role: 'read', scope: 'P2' },
    { subject: { type: 'principal', id: 'X1' }, role: 'write', scope: 'P1' },
    { subject: { type: 'principal', id: 'X2' }, role: 'write', scope: 'P2' },
    { subject: { type: 'principal', id: 'B2' }, role: 'read', scope: 'P2' },
    { subject: { type: 'group', id: 'T1' }, role: 'write', scope: 'P1' },
    { subject: { type: 'group', id: 'T2' }, role: 'admin', scope: 'P1' },
    { subject: { type: 'group', id: 'T2' }, role: 'R9', scope: 'P2' }
  ]
  return s
}

export const events: AuditEvent[] = [
  {
    id: 'e1',
    time: '2025-03-02T10:00:00Z',
    actor: { id: 'U1', name: 'alice' },
    action: 'repo.update_member',
    target: { type: 'user', id: 'U2', name: 'bob' },
    details: { repo: 'acme/api', permission: 'admin' },
    effects: [
      {
        kinds: ['grant-changed'],
        subject: { type: 'principal', name: 'bob' },
        scope: { type: 'repository', name: 'api' }
      }
    ]
  },
  {
    id: 'e2',
    time: '2025-03-02T11:00:00Z',
    actor: { name: 'alice' },
    action: 'team.add_member',
    message: 'alice added carol-renamed to the team acme/admins',
    effects: [
      { kinds: ['member-added'], subject: { type: 'principal', name: 'carol-renamed' }, group: { name: 'admins' } }
    ]
  },
  {
    id: 'e3',
    time: '2025-03-02T09:00:00Z',
    actor: { name: 'mallory' },
    action: 'repo.update_member',
    target: { type: 'user', name: 'bob' },
    details: { repo: 'acme/web' },
    effects: [
      {
        kinds: ['grant-changed'],
        subject: { type: 'principal', name: 'bob' },
        scope: { type: 'repository', name: 'web' }
      }
    ]
  }
]

export function outcome(
  before: Snapshot | undefined,
  after: Snapshot,
  extra: Partial<SourceOutcome> = {}
): SourceOutcome {
  return {
    source: after.source,
    status: 'ok',
    notes: [],
    baseline: before === undefined,
    before,
    after,
    changes: diffSnapshots(before, after),
    events: [],
    ...extra
  }
}
