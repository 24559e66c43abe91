import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/config/load.js'
import { runSnapshot } from '../../../src/pipeline/run.js'
import { renderText } from '../../../src/report/render.js'
import { silentLogger } from '../../../src/util/log.js'
import { NEWCOMER, startCyberArkEpmDemo } from '../../sim/cyberark-epm/demo.js'
import type { SimulatedSystem } from '../../sim/system.js'

describe('CyberArk EPM demo through the daily pipeline', () => {
  let demo: SimulatedSystem | undefined
  let root: string | undefined
  afterEach(async () => {
    await demo?.stop()
    if (root) await rm(root, { recursive: true, force: true })
  })

  it('archives the trail in day files, shows the day-2 administrator with who added them, and re-runs change nothing', async () => {
    demo = await startCyberArkEpmDemo()
    root = await mkdtemp(join(tmpdir(), 'epm-demo-'))
    // Back-to-back runs share EPM's per-second budget, so the next run may start throttled: a short wait keeps this
    // test quick while the simulator's rate limit stays on.
    const config = parseConfig({ sources: [{ ...demo.source, 'throttle-wait-seconds': 0.3 }] }, 'test.yml')
    const run = () => runSnapshot({ config, root: root!, env: demo!.env, log: silentLogger })

    const day1 = await run()
    expect(day1.failed).toBe(false)
    const folder = join(root, 'cyberark-epm', 'epm-demo')
    const days = await readdir(join(folder, 'events'))
    expect(days.length).toBeGreaterThan(1)
    expect(days.every((d) => /^\d{4}-\d{2}-\d{2}\.yaml$/.test(d))).toBe(true)

    const [change] = demo.day2()
    const day2 = await run()
    const outcome = day2.report.outcomes[0]!
    expect(outcome.status).toBe('ok')
    const added = outcome.changes!.grants.added
    expect(added).toHaveLength(1)
    expect(added[0]).toMatchObject({ subject: { id: NEWCOMER }, role: 'Set Admin' })
    const text = renderText(day2.report, { verbose: false })
    expect(text).toContain(NEWCOMER)
    expect(text).toContain(change!.split(' added ')[0]!.replace('CyberArk EPM: ', ''))

    // The same window again: the archive and the state stay byte for byte the same.
    const before = await readFile(join(folder, 'events', days.at(-1)!), 'utf8')
    const again = await run()
    expect(again.changed.filter((f) => !f.includes('/events/'))).toEqual([])
    expect(again.report.outcomes[0]!.changes!.grants.added).toEqual([])
    expect(await readFile(join(folder, 'events', days.at(-1)!), 'utf8')).toBe(before)
  })
})
