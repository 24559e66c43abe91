import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { needsAttention } from '../../src/report/attention.js'
import type { Report } from '../../src/report/types.js'
import { events, outcome, today, yesterday } from './fixtures.js'

const report = (outcomes: Report['outcomes'], massRemovalThreshold = 0.5): Report => ({
  outcomes,
  massRemovalThreshold
})
const messages = (r: Report) => needsAttention(r).map((i) => `${i.severity} ${i.rule}: ${i.message}`)

describe('needsAttention', () => {
  it('flags each dangerous kind of change, most dangerous first', () => {
    expect(messages(report([outcome(yesterday(), today())]))).toEqual([
      'high new-admin: bob changed from write to admin on repository api',
      'high new-admin: carol-renamed joined admins: admin on repository api; release (write) on repository web',
      'high escalation: carol-renamed changed from read to write on repository api',
      'high escalation: role release gained delete, push (granted 1 time)',
      'medium escalation: alice promoted from member to maintainer in group devs',
      'medium external: new outside collaborator contractor with write on repository web',
      'medium external: outside collaborator vendor-dev granted write on repository api',
      'medium service-account: bot ci-bot granted read on repository web',
      'medium service-account: bot deploy-bot joined devs: write on repository api'
    ])
  })

  it('calls a new owner critical, whoever gets it', () => {
    const after = yesterday()
    after.grants.push({ subject: { type: 'principal', id: 'B1' }, role: 'owner', scope: 'O1' })
    expect(messages(report([outcome(yesterday(), after)]))).toEqual([
      'critical new-admin: bot deploy-bot granted owner on organization acme'
    ])
  })

  it('flags a widened restriction as an escalation', () => {
    const before = yesterday()
    before.grants[1] = { ...before.grants[1]!, restrictions: { environments: ['dev'] } }
    const after = yesterday()
    after.grants[1] = { ...after.grants[1]!, restrictions: { environments: ['dev', 'prod'] } }
    expect(messages(report([outcome(before, after)]))).toEqual([
      "medium escalation: bob's write on repository api: environments widened to add prod"
    ])
    const unrestricted = yesterday()
    expect(messages(report([outcome(before, unrestricted)]))).toEqual([
      "medium escalation: bob's write on repository api: no longer restricted by environments"
    ])
    // Narrowing is not an escalation.
    expect(messages(report([outcome(after, before)]))).toEqual([])
  })

  it('lists every item of a run that changes more than a call can take as arguments', () => {
    // 130,000 items: spreading them into push() overflows the call stack (past about 125,000).
    const after = yesterday()
    for (let i = 0; i < 130_000; i++) {
      after.principals.push({ id: `X${i + 10}`, name: `vendor-${i}`, kind: 'user', external: true })
      after.grants.push({ subject: { type: 'principal', id: `X${i + 10}` }, role: 'write', scope: 'P1' })
    }
    const items = needsAttention(report([outcome(yesterday(), after)]))
    expect(items.filter((i) => i.rule === 'external')).toHaveLength(130_000)
  })

  it('raises no per-item alarms for a baseline', () => {
    expect(needsAttention(report([outcome(undefined, today())]))).toEqual([])
  })

  it('puts failed sources on top and reports mass removals, held or allowed', () => {
    const after: Snapshot = { ...yesterday(), grants: yesterday().grants.slice(0, 2) }
    const items = needsAttention(
      report(
        [
          outcome(yesterday(), after),
          {
            source: { type: 'uipath', name: 'cloud' },
            status: 'failed',
            error: 'UiPath: GET /odata/Users answered 403',
            hint: 'Give the external application the OR.Users.Read scope',
            notes: [],
            baseline: false,
            events: []
          },
          outcome(
            yesterday(),
            { ...after, source: { type: 'octopus', name: 'prod' } },
            {
              source: { type: 'octopus', name: 'prod' },
              status: 'held',
              error: '5 of 7 grants (71%) would be removed',
              hint: 'Run again with mass removal allowed if it is real.'
            }
          )
        ],
        0.25
      )
    )
    expect(items.map((i) => [i.severity, i.rule, `${i.source.type}/${i.source.name}`])).toEqual([
      ['critical', 'failed', 'uipath/cloud'],
      ['critical', 'mass-removal', 'octopus/prod'],
      ['high', 'mass-removal', 'github/acme']
    ])
    expect(items[0]!.message).toBe(
      'UiPath: GET /odata/Users answered 403. Give the external application the OR.Users.Read scope. The snapshot of this source was not updated.'
    )
    expect(items[1]!.message).toMatch(/^Held back, not written: 5 of 7 grants/)
    expect(items[2]!.message).toMatch(/^5 of 7 grants \(71%\) removed, more than the mass-removal threshold of 25%/)
  })

  it('says who made a change and when, from an event that did that change to that subject there', () => {
    const items = needsAttention(report([outcome(yesterday(), today(), { events })]))
    const by = Object.fromEntries(items.map((i) => [i.message, i.by]))
    expect(by['bob changed from write to admin on repository api']).toEqual({
      actor: 'alice',
      time: '2025-03-02T10:00:00Z',
      event: 'e1'
    })
    expect(by['carol-renamed joined admins: admin on repository api; release (write) on repository web']).toMatchObject(
      { event: 'e2' }
    )
    // e1 changed a grant at carol's scope, but bob's: no guess.
    expect(by['carol-renamed changed from read to write on repository api']).toBeUndefined()
  })
})
