/**
 * A scope the source no longer sees, with no deletion in the window, reaches
 * the pipeline as `vanished`: the source is held back like a mass removal
 * (its files byte-identical, the report says which scope and what to check),
 * and a real deletion is accepted the same way, with mass removal allowed.
 */
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { ADMIN_KEY, generateOctopus, type OctopusState } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import type { SimServer } from '../sim/server.js'
import { captureLog } from '../sources/run-source.js'
import { readTree, workspace, type Workspace } from './workspace.js'

describe('a scope that vanishes without a trace', () => {
  let ws: Workspace
  let state: OctopusState
  let octopus: SimServer
  beforeEach(async () => {
    ws = await workspace()
    state = generateOctopus(31)
    octopus = octopusServer(state)
    await octopus.start()
  })
  afterEach(async () => {
    await octopus.stop()
    await ws.remove()
  })

  it('holds the source back with the scope named, files untouched, until mass removal is allowed', async () => {
    const config = parseConfig(
      { sources: [{ type: 'octopus', name: 'prod', url: octopus.url, 'api-key-env': 'OCTOPUS_KEY' }] },
      path.join(ws.dir, 'permission-snapshot.yml')
    )
    const root = path.join(ws.dir, 'snapshots')
    const run = (allowMassRemoval = false) =>
      runSnapshot({ config, root, allowMassRemoval, env: { OCTOPUS_KEY: ADMIN_KEY }, log: captureLog() })
    expect((await run()).failed).toBe(false)
    const day1 = await readTree(root)
    const lost = state.spaces[1]!
    expect([...day1.keys()].some((file) => file.includes('/scopes/space/'))).toBe(true)

    state.apiKeys[ADMIN_KEY]!.unlistedSpaces = [lost.Id]
    const held = await run()
    const [outcome] = held.report.outcomes
    expect(held.failed).toBe(true)
    expect(outcome).toMatchObject({ status: 'held' })
    expect(outcome!.error).toContain(`'${lost.Name}' (id ${lost.Id}`)
    expect(outcome!.error).toMatch(/the previous snapshot was kept$/)
    expect(outcome!.hint).toContain('SpaceView')
    expect(outcome!.hint).toContain('allow-mass-removal: true')
    expect(await readTree(root)).toEqual(day1)

    const accepted = await run(true)
    expect(accepted.report.outcomes[0]).toMatchObject({ status: 'ok' })
    expect(accepted.report.outcomes[0]!.changes!.scopes.removed.map((s) => s.id)).toEqual([lost.Id])
  })
})
