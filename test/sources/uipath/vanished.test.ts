import { afterEach, describe, expect, it } from 'vitest'
import type { Snapshot } from '../../../src/model/types.js'
import { deleteFolder } from '../../sim/uipath/changes.js'
import { fullyQualifiedName } from '../../sim/uipath/data.js'
import { UipathSim } from '../../sim/uipath/server.js'
import { comparable, expectedSnapshot, runSource, startSim } from './helpers.js'

describe('UiPath source: folders that vanish without a trace', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  /** Day 1 with full visibility, then the same tenant served again with `options`. */
  async function dayTwo(options: ConstructorParameters<typeof UipathSim>[1]): Promise<Snapshot> {
    sim = await startSim()
    const { snapshot } = await runSource(sim)
    await sim.stop()
    sim = new UipathSim(sim.data, { pageCap: 4, ...options })
    await sim.start()
    return snapshot
  }

  it('reports the folder when the app loses its assignment to a top-level folder (a complete subtree, no orphan, no deletion)', async () => {
    const previous = await dayTwo({})
    const roots = sim.data.folders.filter((f) => f.ParentId == null && !f.IsPersonal)
    const lost = roots.find((r) => sim.data.folders.some((f) => f.ParentId === r.Id))!
    await sim.stop()
    sim = new UipathSim(sim.data, { pageCap: 4, assignedFolderIds: roots.filter((r) => r !== lost).map((r) => r.Id) })
    await sim.start()

    const { vanished } = await runSource(sim, {}, { previous })
    expect(vanished?.message).toContain(`'${fullyQualifiedName(sim.data, lost)}' (id ${lost.Id}`)
    expect(vanished?.message).toMatch(/no audit event of the window deletes/)
    expect(vanished?.hint).toContain('assign')
    expect(vanished?.hint).toContain('Folders - View')
  })

  it('accepts a folder deleted with its subfolders, as the audit log shows', async () => {
    const previous = await dayTwo({})
    const root = sim.data.folders.find(
      (r) => r.ParentId == null && !r.IsPersonal && sim.data.folders.some((f) => f.ParentId === r.Id)
    )!
    deleteFolder(sim.data, sim.data.accounts[0]!, root)
    const result = await runSource(sim, {}, { previous })
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    expect(result.snapshot.scopes.some((s) => s.id === String(root.Id))).toBe(false)
  })

  it('compares with every folder it can see, personal workspaces included, whatever it keeps', async () => {
    sim = await startSim({}, { personalFolders: 3 })
    const { snapshot: previous } = await runSource(sim, { 'personal-folders': true })
    // The setting turned off: the workspaces are left out, not lost.
    const result = await runSource(sim, {}, { previous })
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
  })
})
