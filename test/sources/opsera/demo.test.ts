import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/config/load.js'
import { runSnapshot } from '../../../src/pipeline/run.js'
import { renderText } from '../../../src/report/render.js'
import { silentLogger } from '../../../src/util/log.js'
import { createToken } from '../../sim/opsera/changes.js'
import { generateOpsera, TOOL_TOKEN } from '../../sim/opsera/data.js'
import { startOpseraDemo } from '../../sim/opsera/demo.js'
import { OpseraSimulator } from '../../sim/opsera/server.js'
import type { SimulatedSystem } from '../../sim/system.js'

const readAll = async (dir: string) =>
  Object.fromEntries(
    await Promise.all((await readdir(dir)).map(async (f) => [f, await readFile(join(dir, f), 'utf8')]))
  )

describe('Opsera through the daily pipeline', () => {
  let demo: SimulatedSystem | undefined
  let sim: OpseraSimulator | undefined
  let root: string | undefined
  afterEach(async () => {
    await demo?.stop()
    await sim?.stop()
    if (root) await rm(root, { recursive: true, force: true })
  })

  it('shows the day-2 api token with its owner, and the same window again changes nothing', async () => {
    demo = await startOpseraDemo()
    root = await mkdtemp(join(tmpdir(), 'opsera-demo-'))
    const config = parseConfig({ sources: [demo.source] }, 'test.yml')
    const run = () => runSnapshot({ config, root: root!, env: demo!.env, log: silentLogger })
    expect((await run()).failed).toBe(false)

    const [change] = demo.day2()
    const day2 = await run()
    const outcome = day2.report.outcomes[0]!
    expect(outcome.status).toBe('ok')
    expect(outcome.changes!.grants.added).toHaveLength(1)
    expect(outcome.changes!.grants.added[0]).toMatchObject({ role: 'token-scope:api' })
    const owner = /^Opsera: (\S+) created/.exec(change!)![1]!
    const text = renderText(day2.report, { verbose: false })
    expect(text).toContain(owner)
    expect(text).toContain('access token, scope api')

    const again = await run()
    expect(again.report.outcomes[0]!.changes!.grants.added).toEqual([])
    expect(again.changed.filter((f) => !f.includes('/events/'))).toEqual([])
  })

  it('leaves earlier files untouched when a window fails, and fetches it on the next run', async () => {
    const state = generateOpsera(31)
    sim = new OpseraSimulator(state)
    const url = await sim.start()
    root = await mkdtemp(join(tmpdir(), 'opsera-fail-'))
    const config = parseConfig({ sources: [{ type: 'opsera', name: 'o', url, 'token-env': 'T' }] }, 'test.yml')
    const run = () => runSnapshot({ config, root: root!, env: { T: TOOL_TOKEN }, log: silentLogger })
    await run()
    const events = join(root, 'opsera', 'o', 'events')
    const archived = await readAll(events)

    const token = createToken(
      state,
      state.users.find((u) => u.siteRole === 'User')!,
      'api'
    )
    sim.server.inject({
      path: '/api/v1/logs/user/tokens',
      status: 500,
      headers: { 'retry-after': '0' },
      times: Infinity
    })
    const failed = await run()
    expect(failed.failed).toBe(true)
    expect(failed.changed).toEqual([])
    expect(await readAll(events)).toEqual(archived)

    sim.server.clearFaults()
    const recovered = await run()
    expect(recovered.report.outcomes[0]!.changes!.grants.added.map((g) => g.id)).toEqual([`token:${token.token_id}`])
  })
})
