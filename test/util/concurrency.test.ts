import { describe, expect, it } from 'vitest'
import { mapLimit } from '../../src/util/concurrency.js'

describe('mapLimit', () => {
  it('keeps the input order with at most `limit` calls in flight', async () => {
    let inFlight = 0
    let most = 0
    const result = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      most = Math.max(most, ++inFlight)
      await new Promise((resolve) => setImmediate(resolve))
      inFlight--
      return n * 10
    })
    expect(result).toEqual([50, 10, 40, 20, 30])
    expect(most).toBe(2)
  })

  it('starts no further item after the first failure; calls already in flight finish', async () => {
    const started: number[] = []
    let releaseSecond!: () => void
    const second = new Promise<void>((resolve) => (releaseSecond = resolve))
    const run = mapLimit([0, 1, 2, 3, 4, 5], 2, async (n) => {
      started.push(n)
      if (n === 0) throw new Error('item 0 failed')
      if (n === 1) await second
      return n
    })
    await expect(run).rejects.toThrow('item 0 failed')
    releaseSecond()
    // Let the worker that held item 1 go round its loop once more.
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve))
    expect(started).toEqual([0, 1])
  })
})
