import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runSnapshot } from '../../src/pipeline/run.js'
import { silentLogger } from '../../src/util/log.js'
import { memberAdded, probe, probeSnapshot } from './probe-source.js'
import { readTree, workspace, type Workspace } from './workspace.js'

const NOW = new Date('2024-03-10T12:00:00.000Z')
const HOUR = 3_600_000

describe('the audit-event window and archive', () => {
  let ws: Workspace
  let root: string
  beforeEach(async () => {
    ws = await workspace()
    root = path.join(ws.dir, 'snapshots')
  })
  afterEach(() => ws.remove())

  it('reads the lookback on the first run, then from the newest stored event minus the overlap', async () => {
    const p = probe({ lookbackDays: 3, overlapMinutes: 30 })
    p.snapshot = probeSnapshot(2)
    const e1 = memberAdded('e1', '2024-03-09T23:30:00Z')
    const e2 = memberAdded('e2', '2024-03-10T11:00:00Z')
    p.events = [e2, e1]
    const first = await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger, env: { X: '1' } })
    expect(p.calls[0]!.eventsSince.toISOString()).toBe('2024-03-07T12:00:00.000Z')
    expect(p.calls[0]!.eventsUntil).toEqual(NOW)
    expect(p.calls[0]!.env).toEqual({ X: '1' })
    expect(p.calls[0]!.stored).toEqual([])
    expect(first.report.outcomes[0]!.events).toEqual([e2, e1])
    // Events land in their UTC day's file.
    expect(first.changed).toEqual(
      expect.arrayContaining(['probe/p/events/2024-03-09.yaml', 'probe/p/events/2024-03-10.yaml'])
    )

    // The next day re-reads the overlap; the repeated event is not stored twice.
    const later = new Date(NOW.getTime() + 24 * HOUR)
    const e3 = memberAdded('e3', '2024-03-11T08:00:00Z', 'bob')
    p.events = [e2, e3]
    const second = await runSnapshot({ config: p.config, root, now: later, log: silentLogger })
    expect(p.calls[1]!.eventsSince.toISOString()).toBe('2024-03-10T10:30:00.000Z')
    expect(p.calls[1]!.stored).toEqual([e1, e2])
    expect(second.changed).toEqual(['probe/p/events/2024-03-11.yaml'])

    const tree = await readTree(root)
    expect(tree.get('probe/p/events/2024-03-10.yaml')!.match(/id: e2/g)).toHaveLength(1)

    // A run without new events starts from e3 now.
    p.events = []
    await runSnapshot({ config: p.config, root, now: later, log: silentLogger })
    expect(p.calls[2]!.eventsSince.toISOString()).toBe('2024-03-11T07:30:00.000Z')
  })

  it('archives no events of a held run, so the run that accepts the removal still has them', async () => {
    const p = probe({ lookbackDays: 1, overlapMinutes: 0 })
    p.snapshot = probeSnapshot(8)
    await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger })
    const before = await readTree(root)

    // Seven of eight grants gone: over the threshold and the minimum count.
    p.snapshot = probeSnapshot(1)
    const removal = memberAdded('e-removal', '2024-03-10T11:00:00Z', 'mallory')
    p.events = [removal]
    const held = await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger })
    expect(held.report.outcomes[0]!.status).toBe('held')
    expect(held.report.outcomes[0]!.events).toEqual([removal])
    expect(held.changed).toEqual([])
    expect(await readTree(root)).toEqual(before)

    const accepted = await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger, allowMassRemoval: true })
    // The window still starts at the lookback: nothing was archived since.
    expect(p.calls[2]!.eventsSince.toISOString()).toBe('2024-03-09T12:00:00.000Z')
    expect(accepted.changed).toContain('probe/p/events/2024-03-10.yaml')
  })

  it('hands the source the stored snapshot as `previous`, filtered by the current include/exclude', async () => {
    const p = probe({ lookbackDays: 1, overlapMinutes: 0 })
    const snapshot = probeSnapshot(2)
    snapshot.scopes.push({ id: 't', type: 'space', name: 'Sandbox' })
    snapshot.grants.push({ subject: { type: 'principal', id: 'u0' }, role: 'read', scope: 't' })
    p.snapshot = snapshot
    await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger })
    expect(p.calls[0]!.previous).toBeUndefined()

    // Excluded since: the source must not expect it back.
    p.config.sources[0]!.exclude = ['sand*']
    await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger, allowMassRemoval: true })
    expect(p.calls[1]!.previous?.scopes.map((s) => s.id)).toEqual(['s'])
    expect(p.calls[1]!.previous?.grants).toHaveLength(2)
    expect(p.calls[1]!.previous?.principals.map((x) => x.id)).toEqual(['u0', 'u1'])
  })

  it('fails a source that returns a malformed event and writes none of it', async () => {
    const p = probe({ lookbackDays: 1, overlapMinutes: 0 })
    p.snapshot = probeSnapshot(1)
    p.events = [{ ...memberAdded('bad', '2024-03-10T11:00:00Z'), time: 'yesterday' }]
    const result = await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger })
    expect(result.report.outcomes[0]!.status).toBe('failed')
    expect(result.report.outcomes[0]!.error).toContain('expected an ISO-8601 instant')
    expect(await readTree(root)).toEqual(new Map())
  })
  describe('a source whose write fails publishes neither its state nor its events', () => {
    /** Day 1 archived; day 2 adds a scope (a new state file) and an event of a new day. */
    async function twoDays(block: (root: string) => Promise<unknown>) {
      const p = probe({ lookbackDays: 1, overlapMinutes: 0 })
      p.snapshot = probeSnapshot(2)
      p.events = [memberAdded('e1', '2024-03-10T11:00:00Z')]
      await runSnapshot({ config: p.config, root, now: NOW, log: silentLogger })
      const before = await readTree(root)
      expect([...before.keys()]).toContain('probe/p/events/2024-03-10.yaml')

      p.snapshot = probeSnapshot(3)
      p.snapshot.scopes.push({ id: 's2', type: 'space', name: 'Vault' })
      p.snapshot.grants.push({ subject: { type: 'principal', id: 'u0' }, role: 'read', scope: 's2' })
      p.events = [memberAdded('e2', '2024-03-11T08:00:00Z', 'mallory'), memberAdded('e3', '2024-03-10T11:30:00Z')]
      await block(root)
      const result = await runSnapshot({
        config: p.config,
        root,
        now: new Date(NOW.getTime() + 24 * HOUR),
        log: silentLogger
      })
      return { result, before, after: await readTree(root) }
    }

    it('the state write fails (a folder where a scope file must go): no event is archived', async () => {
      const { result, before, after } = await twoDays((root) =>
        mkdir(path.join(root, 'probe/p/scopes/space/Vault.yaml'), { recursive: true })
      )
      expect(result.report.outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/EISDIR/) })
      expect(result.changed).toEqual([])
      // Every file, the event archive included, is byte for byte what day 1 left.
      expect(after).toEqual(before)
    })

    it('the event write fails after the state was written: the state is put back', async () => {
      const { result, before, after } = await twoDays((root) =>
        mkdir(path.join(root, 'probe/p/events/2024-03-11.yaml'), { recursive: true })
      )
      expect(result.report.outcomes[0]).toMatchObject({ status: 'failed', error: expect.stringMatching(/EISDIR/) })
      expect(after).toEqual(before)
    })
  })
})
