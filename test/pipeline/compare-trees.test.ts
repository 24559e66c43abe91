import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { changedFiles } from '../../src/pipeline/changed-files.js'
import { compareSnapshotTrees } from '../../src/pipeline/compare-trees.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { canonicalSnapshot } from '../../src/store/canonical.js'
import { silentLogger } from '../../src/util/log.js'
import { memberAdded, probe, probeSnapshot } from './probe-source.js'
import { financeDay1, financeDay2, hrExport, readTree, workspace, type Workspace } from './workspace.js'

describe('compareSnapshotTrees', () => {
  let ws: Workspace
  let root: string
  beforeEach(async () => {
    ws = await workspace()
    root = path.join(ws.dir, 'snapshots')
  })
  afterEach(() => ws.remove())

  it('gives the same changes and files as the pipeline that wrote the two states', async () => {
    const finance = await ws.writeExport('finance', financeDay1())
    const hr = await ws.writeExport('hr', hrExport())
    const config = parseConfig(
      {
        sources: [
          { type: 'file', name: 'finance', path: finance },
          { type: 'file', name: 'hr', path: hr }
        ]
      },
      'config.yml'
    )
    const day1 = await runSnapshot({ config, root, fileDiffs: true, log: silentLogger })
    const tree1 = await readTree(root)

    const baseline = compareSnapshotTrees(new Map(), tree1, 0.25)
    expect(baseline.outcomes.map((o) => [o.source, o.baseline, o.status])).toEqual([
      [{ type: 'file', name: 'finance' }, true, 'ok'],
      [{ type: 'file', name: 'hr' }, true, 'ok']
    ])
    // The pipeline keeps the source's order; the files hold the canonical one.
    expect(baseline.outcomes.map((o) => o.after)).toEqual(day1.report.outcomes.map((o) => canonicalSnapshot(o.after!)))

    await ws.writeExport('finance', financeDay2())
    const day2 = await runSnapshot({ config, root, fileDiffs: true, log: silentLogger })
    const tree2 = await readTree(root)
    const report = compareSnapshotTrees(tree1, tree2, 0.3)
    expect(report.massRemovalThreshold).toBe(0.3)
    const [finance2, hr2] = report.outcomes
    const [pipelineFinance, pipelineHr] = day2.report.outcomes
    expect(finance2!.baseline).toBe(false)
    expect(finance2!.changes).toEqual(pipelineFinance!.changes)
    expect(finance2!.files).toEqual(pipelineFinance!.files)
    expect(finance2!.before).toEqual(pipelineFinance!.before)
    expect(hr2!.changes).toEqual(pipelineHr!.changes)
    expect(hr2!.files).toEqual([])
  })

  it('lists only events the newer state added, not those both hold or an overlap re-fetched', async () => {
    const p = probe({ lookbackDays: 2, overlapMinutes: 60 })
    p.snapshot = probeSnapshot(2)
    const e1 = memberAdded('e1', '2024-03-10T09:00:00Z')
    const e2 = memberAdded('e2', '2024-03-10T11:00:00Z')
    p.events = [e1, e2]
    await runSnapshot({ config: p.config, root, now: new Date('2024-03-10T12:00:00Z'), log: silentLogger })
    const before = await readTree(root)

    const e3 = memberAdded('e3', '2024-03-10T18:00:00Z', 'bob')
    const e4 = memberAdded('e4', '2024-03-11T06:00:00Z', 'carol')
    p.events = [e2, e3, e4]
    await runSnapshot({ config: p.config, root, now: new Date('2024-03-11T12:00:00Z'), log: silentLogger })
    const after = await readTree(root)

    const [outcome] = compareSnapshotTrees(before, after, 0.25).outcomes
    expect(outcome!.events).toEqual([e3, e4])
    expect(outcome!.changes).toEqual(compareSnapshotTrees(before, before, 0.25).outcomes[0]!.changes)
    expect(outcome!.files!.map((f) => f.path)).toEqual([
      'probe/p/events/2024-03-10.yaml',
      'probe/p/events/2024-03-11.yaml'
    ])
    expect(compareSnapshotTrees(after, after, 0.25).outcomes[0]!.events).toEqual([])
  })

  it('ignores files that are not inside a <type>/<name>/ folder', () => {
    const tree = new Map([['README.md', '# snapshots\n']])
    expect(compareSnapshotTrees(new Map(), tree, 0.25).outcomes).toEqual([])
  })
})

describe('changedFiles', () => {
  it('lists added, removed and changed paths in order, under the prefix', () => {
    const before = new Map([
      ['b.yaml', 'same'],
      ['c.yaml', 'old'],
      ['d.yaml', 'gone']
    ])
    const after = new Map([
      ['a.yaml', 'new'],
      ['b.yaml', 'same'],
      ['c.yaml', 'changed']
    ])
    expect(changedFiles(before, after, 'file/x')).toEqual([
      { path: 'file/x/a.yaml', before: undefined, after: 'new' },
      { path: 'file/x/c.yaml', before: 'old', after: 'changed' },
      { path: 'file/x/d.yaml', before: 'gone', after: undefined }
    ])
  })
})
