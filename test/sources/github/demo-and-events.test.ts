import { afterEach, describe, expect, it } from 'vitest'
import { validateSnapshot } from '../../../src/model/validate.js'
import { findSource } from '../../../src/sources/registry.js'
import { startGitHubDemo, type GitHubDemo } from '../../sim/github/demo.js'
import { addTeamMember } from '../../sim/github/mutations.js'
import type { GitHubSim } from '../../sim/github/server.js'
import { canonical, expectedSnapshot } from './ground-truth.js'
import { capture, fetchWith, start, testOrg } from './harness.js'

describe('GitHub demo organization and audit events', () => {
  let demo: GitHubDemo | undefined
  let github: GitHubSim | undefined
  afterEach(async () => {
    await demo?.stop()
    await github?.stop()
    demo = github = undefined
  })

  async function runDemo(d: GitHubDemo, since: Date) {
    const definition = findSource('github')!
    const settings = definition.settings.parse(
      Object.fromEntries(Object.entries(d.source).filter(([k]) => k !== 'type' && k !== 'name'))
    )
    return definition.create(settings, 'acme').fetch({
      log: capture(),
      eventsSince: since,
      eventsUntil: new Date(Date.now() + 1_000),
      env: d.env
    })
  }

  it('serves the demo organization through the registered source, and day 2 shows up with who did it', async () => {
    demo = await startGitHubDemo()
    const before = new Date()
    const day1 = await runDemo(demo, before)
    expect(canonical(day1.snapshot)).toEqual(canonical(expectedSnapshot(demo.github.org, 'acme')))
    expect(validateSnapshot(day1.snapshot)).toEqual([])
    expect(day1.snapshot.principals.some((p) => p.external)).toBe(true)
    expect(day1.snapshot.groups.some((g) => g.parent)).toBe(true)
    expect(day1.events).toEqual([])

    const described = demo.day2()
    expect(described).toHaveLength(4)
    const day2 = await runDemo(demo, before)
    expect(canonical(day2.snapshot)).toEqual(canonical(expectedSnapshot(demo.github.org, 'acme')))
    expect(day2.events.map((e) => e.action)).toEqual([
      'org.update_member',
      'team.remove_member',
      'repo.add_member',
      'repo.add_member'
    ])
    const auditor = day2.snapshot.principals.find((p) => p.name === 'external-auditor')!
    expect(auditor.external).toBe(true)
    expect(day2.events[2]).toMatchObject({
      actor: { name: demo.github.org.users.get([...demo.github.org.members.keys()][0]!)!.login },
      target: { type: 'user', name: 'external-auditor' },
      category: 'repo',
      details: { permission: 'read' }
    })
  })

  it('reads only the events inside the window', async () => {
    const org = testOrg('enterprise')
    github = await start(org)
    const owner = org.users.get([...org.members.keys()][0]!)!.login
    const someone = org.users.get([...org.members.keys()][9]!)!.login
    addTeamMember(org, owner, org.teams[0]!.slug, someone, 'maintainer')
    const inWindow = await fetchWith(github, { 'audit-log': true }, undefined, undefined, {
      since: new Date(Date.now() - 60_000),
      until: new Date(Date.now() + 1_000)
    })
    expect(inWindow.events).toEqual([
      expect.objectContaining({
        action: 'team.add_member',
        target: { type: 'user', id: expect.any(String), name: someone },
        details: { team: `acme/${org.teams[0]!.slug}` }
      })
    ])
    const earlier = await fetchWith(github, { 'audit-log': true }, undefined, undefined, {
      since: new Date(Date.now() - 7_200_000),
      until: new Date(Date.now() - 3_600_000)
    })
    expect(earlier.events).toEqual([])
  })
})
