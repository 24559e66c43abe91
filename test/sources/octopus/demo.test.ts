import { afterEach, describe, expect, it } from 'vitest'
import { startOctopusDemo } from '../../sim/octopus/demo.js'
import type { SimulatedSystem } from '../../sim/system.js'
import { runOctopus } from './run.js'

describe('Octopus demo instance', () => {
  let demo: SimulatedSystem | undefined
  afterEach(() => demo?.stop())

  it('shows the day-2 changes in the next snapshot, with events naming who made them', async () => {
    demo = await startOctopusDemo()
    expect(demo.source).toMatchObject({ type: 'octopus', 'api-key-env': 'OCTOPUS_DEMO_API_KEY' })
    const url = String(demo.source.url)
    const day1 = await runOctopus(url, { env: demo.env, settings: { 'api-key-env': 'OCTOPUS_DEMO_API_KEY' } })
    const started = new Date()
    const changes = demo.day2()
    expect(changes).toHaveLength(2)
    const day2 = await runOctopus(url, {
      env: demo.env,
      since: started,
      settings: { 'api-key-env': 'OCTOPUS_DEMO_API_KEY' }
    })

    const members = (r: typeof day1) =>
      new Set(r.snapshot.groups.flatMap((g) => g.members.map((m) => `${g.id}:${m.id}`)))
    const added = [...members(day2)].filter((m) => !members(day1).has(m))
    expect(added).toHaveLength(1)

    const widened = day2.snapshot.grants.filter(
      (g) => JSON.stringify(g) !== JSON.stringify(day1.snapshot.grants.find((d) => d.id === g.id))
    )
    expect(widened).toHaveLength(1)
    expect(widened[0]!.restrictions?.environments?.some((e) => e.startsWith('Production ('))).toBe(true)

    expect(day2.events.map((e) => [e.action, e.actor?.name, e.target?.type])).toEqual([
      ['Modified', 'ops.admin', 'team'],
      ['Modified', 'ops.admin', 'team']
    ])
    expect(changes[0]).toContain('Production')
  })
})
