import { describe, expect, it } from 'vitest'
import type { AuditEvent, EventEffect, Snapshot } from '../../src/model/types.js'
import { needsAttention } from '../../src/report/attention.js'
import type { Report } from '../../src/report/types.js'
import { outcome, today, yesterday } from './fixtures.js'

const report = (outcomes: Report['outcomes']): Report => ({ outcomes, massRemovalThreshold: 0.25 })

/** Message → who the report says made it. */
function attributed(before: Snapshot, after: Snapshot, events: AuditEvent[]): Record<string, string | undefined> {
  const items = needsAttention(report([outcome(before, after, { events })]))
  return Object.fromEntries(items.map((i) => [i.message, i.by ? `${i.by.actor} ${i.by.event}` : undefined]))
}

let clock = 0
function event(actor: string, action: string, effects: EventEffect[] | undefined, extra: Partial<AuditEvent> = {}) {
  clock++
  return {
    id: `e${clock}`,
    time: `2025-03-02T${String(clock).padStart(2, '0')}:00:00.000Z`,
    actor: { name: actor },
    action,
    ...(effects ? { effects } : {}),
    ...extra
  } satisfies AuditEvent
}

const user = (name: string) => ({ type: 'principal', name })
const team = (slug: string) => ({ type: 'group', slug })
const repo = (name: string) => ({ type: 'repository', name })
const acme = { type: 'organization', name: 'acme' }

describe('attribution: the right person or nobody', () => {
  it('keeps apart several actors working on the same subjects and scopes with different actions', () => {
    clock = 0
    const before = yesterday()
    before.groups[1]!.attributes = { slug: 'admins' }
    const after = today()
    after.groups[1]!.attributes = { slug: 'admins' }
    after.grants.push({ subject: { type: 'principal', id: 'B1' }, role: 'owner', scope: 'O1' })
    const events = [
      // alice makes bob admin of api and deploy-bot an owner; mallory and eve act on the same people and places.
      event('alice', 'repo.update_member', [{ kinds: ['grant-changed'], subject: user('bob'), scope: repo('api') }], {
        message: 'alice gave bob admin on acme/api'
      }),
      event('alice', 'org.update_member', [
        { kinds: ['grant-added', 'grant-changed'], subject: user('deploy-bot'), scope: acme }
      ]),
      event('eve', 'team.add_member', [{ kinds: ['member-added'], subject: user('carol'), group: team('admins') }]),
      event('mallory', 'team.add_member', [{ kinds: ['member-added'], subject: user('bob'), group: team('api') }], {
        message: 'mallory added bob to acme/api'
      }),
      event('mallory', 'repo.add_member', [
        { kinds: ['grant-added', 'principal-added'], subject: user('deploy-bot'), scope: repo('web') }
      ]),
      event('mallory', 'repo.update_member', [
        { kinds: ['grant-changed'], subject: user('carol'), scope: repo('api') }
      ]),
      event('mallory', 'repo.update_member', [{ kinds: ['grant-changed'], subject: user('bob'), scope: repo('web') }])
    ]
    const by = attributed(before, after, events)
    expect(by['bob changed from write to admin on repository api']).toBe('alice e1')
    expect(by['bot deploy-bot granted owner on organization acme']).toBe('alice e2')
    expect(by['carol-renamed joined admins: admin on repository api; release (write) on repository web']).toBe('eve e3')
    expect(by['carol-renamed changed from read to write on repository api']).toBe('mallory e6')
    // The role edit and the promotion have no event of their kind: nobody, rather than whoever acted last.
    expect(by['role release gained delete, push (granted 1 time)']).toBeUndefined()
    expect(by['alice promoted from member to maintainer in group devs']).toBeUndefined()
  })

  it('takes the latest of several exact events: the last one made the state the diff shows', () => {
    clock = 0
    const change = [{ kinds: ['grant-changed' as const], subject: user('bob'), scope: repo('api') }]
    const by = attributed(yesterday(), today(), [
      event('mallory', 'repo.update_member', change),
      event('alice', 'repo.update_member', change)
    ])
    expect(by['bob changed from write to admin on repository api']).toBe('alice e2')
  })

  it('uses no archived event without effects, whatever its words say', () => {
    clock = 0
    const old = [
      event('alice', 'repo.update_member', undefined, {
        target: { type: 'user', name: 'bob' },
        details: { repo: 'acme/api', permission: 'admin' },
        message: 'alice gave bob admin on acme/api'
      })
    ]
    expect(Object.values(attributed(yesterday(), today(), old)).filter(Boolean)).toEqual([])
  })

  it('believes an event that leaves the member out only when every such event has the same actor', () => {
    clock = 0
    const after = yesterday()
    after.groups[1]!.members.push({ id: 'U3', role: 'member' })
    // How Octopus records it: the team was modified, not how.
    const modified = (actor: string) =>
      event(actor, 'Modified', [
        { kinds: ['member-added', 'member-removed'], group: { type: 'group', id: 'T2' }, uncertain: true }
      ])
    const message = 'carol joined admins: admin on repository api; release (write) on repository web'
    expect(attributed(yesterday(), after, [modified('alice'), modified('alice')])[message]).toBe('alice e2')
    expect(attributed(yesterday(), after, [modified('alice'), modified('mallory')])[message]).toBeUndefined()
    // An event about another team is no evidence either way.
    const other = event('mallory', 'Modified', [{ kinds: ['member-added'], group: { type: 'group', id: 'T1' } }])
    expect(attributed(yesterday(), after, [modified('alice'), other])[message]).toBe('alice e6')
  })

  it('prefers the grant’s own id over a vaguer event about its holder', () => {
    clock = 0
    const before = yesterday()
    before.grants[4] = { ...before.grants[4]!, id: 'ScopedUserRoles-7', restrictions: { environments: ['dev'] } }
    const after = yesterday()
    after.grants[4] = { ...after.grants[4]!, id: 'ScopedUserRoles-7', restrictions: { environments: ['dev', 'prod'] } }
    const by = attributed(before, after, [
      event('mallory', 'Modified', [{ kinds: ['grant-changed'], grant: { id: 'ScopedUserRoles-7' } }]),
      event('alice', 'Modified', [
        { kinds: ['grant-added', 'grant-changed'], subject: { type: 'group', id: 'T1' }, uncertain: true }
      ])
    ])
    expect(by["group devs's write on repository api: environments widened to add prod"]).toBe('mallory e1')
  })

  it('matches a setting change by its scope and key', () => {
    clock = 0
    const before = yesterday()
    const after = yesterday()
    after.scopes[0] = {
      ...after.scopes[0]!,
      attributes: { 'members-privilege': 'admin', 'members-can-create': 'true' }
    }
    const by = attributed(before, after, [
      event('alice', 'org.update_default_repository_permission', [
        { kinds: ['setting-changed'], scope: acme, setting: 'members-privilege' }
      ]),
      event('mallory', 'org.update_member_repository_creation_permission', [
        { kinds: ['setting-changed'], scope: acme, setting: 'members-can-create' }
      ])
    ])
    expect(Object.entries(by).map(([message, who]) => [message.split(':')[0], who])).toEqual([
      [
        'organization acme raised the privilege every member holds on everything under it from read to admin',
        'alice e1'
      ],
      [
        'organization acme now lets every member (1) create repositories under it, and administer what they create',
        'mallory e2'
      ]
    ])
  })
})
