import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { withActivity } from '../../src/http/activity.js'
import { collectPages } from '../../src/http/paging.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { FetchProgress } from '../../src/pipeline/progress.js'
import { stderrLogger, type Logger } from '../../src/util/log.js'
import { ADMIN_KEY, generateOctopus, SMALL } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import type { SimServer } from '../sim/server.js'
import { workspace, type Workspace } from './workspace.js'

/** A logger that keeps its progress lines. */
function progressLog(): Logger & { progressLines: string[] } {
  const progressLines: string[] = []
  return { progressLines, info() {}, warn() {}, debug() {}, progress: (m) => progressLines.push(m) }
}

describe('progress of a long fetch', () => {
  it('says nothing for the first interval, then at most once per interval, with requests made', async () => {
    let now = 0
    const log = progressLog()
    const progress = new FetchProgress(log, { intervalMs: 5_000, now: () => now })
    await withActivity(progress, async () => {
      for (; now < 4_000; now += 1_000) progress.request()
      expect(log.progressLines).toEqual([])
      for (; now <= 12_000; now += 500) progress.request()
    })
    // A line at 5 s and at 10 s, none in between, and none for what came after.
    expect(log.progressLines).toEqual(['still fetching: 7 requests in 5 s', 'still fetching: 17 requests in 10 s'])
  })

  it('counts pages left where the system announced the size, through the shared pager', async () => {
    let now = 0
    const log = progressLog()
    const progress = new FetchProgress(log, { intervalMs: 1, now: () => now })
    const items = await withActivity(progress, () =>
      collectPages('Example /items', '0', async (cursor) => {
        now += 1
        const at = Number(cursor)
        const next = at + 10
        return {
          items: Array.from({ length: 10 }, (_, i) => at + i),
          next: next < 40 ? String(next) : undefined,
          total: 40
        }
      })
    )
    expect(items).toHaveLength(40)
    expect(log.progressLines).toEqual([
      'still fetching: 0 requests in 0 s; 3 pages left in Example /items',
      'still fetching: 0 requests in 0 s; 2 pages left in Example /items',
      'still fetching: 0 requests in 0 s; 1 page left in Example /items',
      'still fetching: 0 requests in 0 s'
    ])
  })

  describe('through the pipeline, against a simulator', () => {
    let server: SimServer | undefined
    let ws: Workspace | undefined
    afterEach(async () => {
      await server?.stop()
      await ws?.remove()
    })

    it("reports the source's own requests and the pages left of its paged lists", async () => {
      const state = generateOctopus(1, SMALL)
      server = octopusServer(state)
      const url = await server.start()
      ws = await workspace()
      const log = progressLog()
      const config = parseConfig(
        { sources: [{ type: 'octopus', name: 'octo', url, 'api-key-env': 'KEY', 'page-size': 5 }] },
        'test.yml'
      )
      const result = await runSnapshot({
        config,
        root: ws.dir,
        dryRun: true,
        env: { KEY: ADMIN_KEY },
        log,
        progress: { intervalMs: 0 }
      })
      expect(result.failed).toBe(false)
      expect(log.progressLines.length).toBeGreaterThan(10)
      expect(log.progressLines.every((line) => line.startsWith('[octopus/octo] still fetching: '))).toBe(true)
      // Every request counted once, in order: the last line has the source's total.
      const counts = log.progressLines.map((line) => Number(/: (\d+) requests?/.exec(line)![1]))
      expect(counts).toEqual([...counts].sort((a, b) => a - b))
      expect(Math.max(...counts)).toBe(server.requests.length)
      expect(
        log.progressLines.some((line) =>
          /still fetching: \d+ requests in \d+ s; \d+ pages? left(, most)? in teams$/.test(line)
        )
      ).toBe(true)
    })
  })
})

describe('the CLI logger', () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = []
    return { writes, isTTY, columns: 40, write: (chunk: string) => (writes.push(chunk), true) }
  }

  it('rewrites one line in place on a terminal, and clears it before any other line', () => {
    const out = stream(true)
    const log = stderrLogger({ stream: out as never })
    log.progress!('[a] still fetching: 1 request in 5 s')
    log.progress!('[a] still fetching: 2 requests in 10 s, and a very long tail that does not fit')
    log.info('[a] done')
    expect(out.writes).toEqual([
      '[a] still fetching: 1 request in 5 s',
      '\r\u001b[K',
      '[a] still fetching: 2 requests in 10 s…',
      '\r\u001b[K',
      '[a] done\n'
    ])
  })

  it('writes plain lines elsewhere (the Actions log, a file), and none at all when quiet', () => {
    const plain = stream(false)
    const log = stderrLogger({ stream: plain as never })
    log.progress!('[a] still fetching: 1 request in 5 s')
    log.info('[a] done')
    expect(plain.writes).toEqual(['[a] still fetching: 1 request in 5 s\n', '[a] done\n'])
    const quiet = stream(true)
    const hushed = stderrLogger({ stream: quiet as never, quiet: true })
    hushed.progress!('x')
    hushed.info('y')
    hushed.warn('z')
    expect(quiet.writes).toEqual(['warning: z\n'])
  })
})
