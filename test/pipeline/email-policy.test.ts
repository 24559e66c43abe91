import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { silentLogger } from '../../src/util/log.js'
import { NEWCOMER, startCyberArkEpmDemo } from '../sim/cyberark-epm/demo.js'
import type { SimulatedSystem } from '../sim/system.js'
import { readTree, workspace, type Workspace } from './workspace.js'

describe('the emails policy on a source that names people by address', () => {
  let epm: SimulatedSystem | undefined
  let ws: Workspace | undefined
  afterEach(async () => {
    await epm?.stop()
    await ws?.remove()
  })

  it('keeps addresses out of every file, and the state derived from archived events stays stable', async () => {
    epm = await startCyberArkEpmDemo()
    ws = await workspace()
    const config = parseConfig({ emails: 'hash', 'emails-key-env': 'EMAILS_KEY', sources: [epm.source] }, 'test.yml')
    const env = { ...epm.env, EMAILS_KEY: 'epm-demo-fingerprint-key-42' }
    const run = () => runSnapshot({ config, root: `${ws!.dir}/snapshots`, env, log: silentLogger })

    const day1 = await run()
    expect(day1.failed).toBe(false)
    const afterDay1 = await readTree(`${ws.dir}/snapshots`)
    expect([...afterDay1.keys()].some((path) => path.includes('/events/'))).toBe(true)
    for (const [path, text] of afterDay1) expect(text, path).not.toMatch(/@example\.com/)

    // Same window again: the derived state reads the hashed archive plus the re-fetched rows, and the
    // two must agree on who is who, or first-seen dates and grants would change with no real change.
    const rerun = await run()
    expect(rerun.report.outcomes[0]!.changes).toMatchObject({ grants: { added: [], removed: [], changed: [] } })
    expect(await readTree(`${ws.dir}/snapshots`)).toEqual(afterDay1)

    epm.day2()
    const day2 = await run()
    const grants = day2.report.outcomes[0]!.changes!.grants
    expect(grants.added).toHaveLength(1)
    expect(grants.added[0]!.subject.id).toMatch(/^hmac-sha256:[0-9a-f]{16}$/)
    // Hashing the address without the key, as someone holding a staff list would, does not find it.
    const guessed = createHash('sha256').update(NEWCOMER).digest('hex').slice(0, 16)
    for (const [path, text] of await readTree(`${ws.dir}/snapshots`)) {
      expect(text, path).not.toContain(NEWCOMER)
      expect(text, path).not.toContain(guessed)
    }
  })
})
