import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { AuditEvent } from '../../src/model/types.js'
import { canonicalEvents } from '../../src/store/canonical.js'
import {
  appendEvents,
  carryEvents,
  eventDays,
  newestEventTime,
  readEventDay,
  readEvents,
  writeSnapshot
} from '../../src/store/disk.js'
import { parseEventDay, renderEventDay } from '../../src/store/events-files.js'
import { Random } from '../sim/random.js'
import { eventArb, shuffleDeep } from './arbitraries.js'

const source = { type: 'octopus', name: 'prod' }
const event = (id: string, time: string, extra: Partial<AuditEvent> = {}): AuditEvent => ({
  id,
  time,
  action: 'Modified',
  ...extra
})

describe('event day files', () => {
  it('render sorted by time then id, and parse back', () => {
    fc.assert(
      fc.property(fc.array(eventArb, { maxLength: 10 }), fc.integer(), (events, seed) => {
        const text = renderEventDay(events)
        expect(renderEventDay(shuffleDeep(events, new Random(seed)))).toBe(text)
        expect(parseEventDay(text)).toEqual(canonicalEvents(events))
      }),
      { numRuns: 150 }
    )
  })

  it('keeps what each event did, and refuses a change kind the model does not know', () => {
    const effects = [
      { kinds: ['member-added' as const], subject: { type: 'principal', name: 'maria' }, group: { slug: 'release' } },
      { kinds: ['grant-changed' as const, 'grant-added' as const], grant: { id: 'ScopedUserRoles-1' }, uncertain: true }
    ]
    const [parsed] = parseEventDay(renderEventDay([event('a', '2024-01-01T00:00:00Z', { effects })]))
    expect(parsed!.effects).toEqual([
      { kinds: ['grant-added', 'grant-changed'], grant: { id: 'ScopedUserRoles-1' }, uncertain: true },
      effects[0]
    ])
    const unknown = renderEventDay([event('a', '2024-01-01T00:00:00Z')]).replace(
      'action: Modified',
      'action: Modified\n    effects:\n      - kinds: [grant-stolen]'
    )
    expect(() => parseEventDay(unknown, 'events/2024-01-01.yaml')).toThrow(
      /events\/2024-01-01\.yaml: events\[0\]\.effects\[0\]\.kinds\[0\]: expected one of principal-added, .*, found "grant-stolen"/
    )
  })

  it('orders by instant even when precision or offset differ', () => {
    const events = [
      event('b', '2024-01-01T00:00:00.500Z'),
      event('a', '2024-01-01T00:00:01+00:00'),
      event('c', '2024-01-01T00:00:00Z')
    ]
    expect(canonicalEvents(events).map((e) => e.id)).toEqual(['c', 'b', 'a'])
  })

  it('refuses times that are not ISO-8601 instants, naming the event', () => {
    expect(() => renderEventDay([event('x', 'yesterday')])).toThrow('events[0].time: expected an ISO-8601 instant')
    expect(() => renderEventDay([event('x', '2024-01-01')])).toThrow(/expected an ISO-8601 instant/)
    expect(() => parseEventDay('events:\n  - id: x\n    action: y\n', 'events/2024-01-01.yaml')).toThrow(
      'events/2024-01-01.yaml: events[0].time: expected a string, found undefined'
    )
  })
})

describe('event archive on disk', () => {
  let root: string
  const day = (d: string) => path.join(root, 'octopus/prod/events', `${d}.yaml`)
  beforeEach(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'events-'))
  })
  afterEach(() => rm(root, { recursive: true, force: true }))

  it('partitions by UTC day', async () => {
    const result = await appendEvents(root, source, [
      event('late-utc', '2024-01-01T23:59:59.999Z'),
      event('offset', '2024-01-01T23:30:00-05:00'), // 04:30 UTC on the 2nd
      event('early', '2024-01-02T00:00:00Z')
    ])
    expect(result).toEqual({
      changed: ['octopus/prod/events/2024-01-01.yaml', 'octopus/prod/events/2024-01-02.yaml'],
      added: 3
    })
    expect(parseEventDay(await readFile(day('2024-01-01'), 'utf8')).map((e) => e.id)).toEqual(['late-utc'])
    expect(parseEventDay(await readFile(day('2024-01-02'), 'utf8')).map((e) => e.id)).toEqual(['early', 'offset'])
  })

  it('de-duplicates by id, keeping the stored copy', async () => {
    await appendEvents(root, source, [event('e1', '2024-03-01T10:00:00Z', { message: 'stored' })])
    const result = await appendEvents(root, source, [
      event('e1', '2024-03-01T10:00:00Z', { message: 'refetched' }),
      event('e2', '2024-03-01T11:00:00Z'),
      event('e2', '2024-03-01T11:00:00Z')
    ])
    expect(result.added).toBe(1)
    const stored = await readEvents(root, source)
    expect(stored.map((e) => [e.id, e.message])).toEqual([
      ['e1', 'stored'],
      ['e2', undefined]
    ])
  })

  it('changes nothing when the same window is fetched twice', async () => {
    const window = [
      event('a', '2024-05-01T08:00:00Z'),
      event('b', '2024-05-02T09:00:00Z', { details: { z: '1', a: '2' } })
    ]
    await appendEvents(root, source, window)
    const before = [await readFile(day('2024-05-01')), await readFile(day('2024-05-02'))]
    expect(await appendEvents(root, source, [...window].reverse())).toEqual({ changed: [], added: 0 })
    expect([await readFile(day('2024-05-01')), await readFile(day('2024-05-02'))]).toEqual(before)
  })

  it('reads all events in order, and the newest time from the newest day file only', async () => {
    expect(await newestEventTime(root, source)).toBeUndefined()
    await appendEvents(root, source, [
      event('a', '2024-01-01T00:00:00Z'),
      event('c', '2024-02-01T12:00:00Z'),
      event('b', '2024-02-01T06:00:00Z')
    ])
    expect((await readEvents(root, source)).map((e) => e.id)).toEqual(['a', 'b', 'c'])
    expect(await newestEventTime(root, source)).toBe('2024-02-01T12:00:00Z')
    // An older day file is never opened: breaking it does not matter.
    await writeFile(day('2024-01-01'), 'events: [broken')
    expect(await newestEventTime(root, source)).toBe('2024-02-01T12:00:00Z')
    await expect(readEvents(root, source)).rejects.toThrow(/2024-01-01\.yaml:\d+:\d+: invalid YAML/)
  })

  it('lists its days without opening a file, and reads one day at a time', async () => {
    await appendEvents(root, source, [
      event('a', '2024-01-01T00:00:00Z'),
      event('c', '2024-02-01T12:00:00Z'),
      event('b', '2024-02-01T06:00:00Z')
    ])
    await writeFile(day('2024-01-01'), 'events: [broken')
    expect(await eventDays(root, source)).toEqual(['2024-01-01', '2024-02-01'])
    expect((await readEventDay(root, source, '2024-02-01')).map((e) => e.id)).toEqual(['b', 'c'])
    expect(await readEventDay(root, source, '2024-01-15')).toEqual([])
    await expect(readEventDay(root, source, '2024-01-01')).rejects.toThrow(/2024-01-01\.yaml:\d+:\d+: invalid YAML/)
    await expect(readEventDay(root, source, '../2024-01-01')).rejects.toThrow(/not a UTC day/)
  })

  it('is not touched by snapshot writes', async () => {
    await appendEvents(root, source, [event('a', '2024-01-01T00:00:00Z')])
    await writeSnapshot(root, { source, principals: [], roles: [], groups: [], scopes: [], grants: [] })
    expect((await readEvents(root, source)).map((e) => e.id)).toEqual(['a'])
  })
  it('carries the archives of another branch forward: every event kept once, state files ignored', async () => {
    await appendEvents(root, source, [event('e1', '2024-03-01T10:00:00Z', { message: 'stored' })])
    const closedBranch = new Map([
      [
        'octopus/prod/events/2024-03-01.yaml',
        renderEventDay([event('e1', '2024-03-01T10:00:00Z'), event('e2', '2024-03-01T11:00:00Z')])
      ],
      ['octopus/prod/events/2024-03-02.yaml', renderEventDay([event('e3', '2024-03-02T09:00:00Z')])],
      ['opsera/opsera/events/2024-03-02.yaml', renderEventDay([event('o1', '2024-03-02T09:00:00Z')])],
      ['octopus/prod/principals.yaml', 'principals: []\n'],
      ['octopus/prod/events/notes.txt', 'not an archive\n']
    ])
    expect(await carryEvents(root, closedBranch)).toEqual({
      changed: [
        'octopus/prod/events/2024-03-01.yaml',
        'octopus/prod/events/2024-03-02.yaml',
        'opsera/opsera/events/2024-03-02.yaml'
      ],
      added: 3
    })
    expect((await readEvents(root, source)).map((e) => [e.id, e.message])).toEqual([
      ['e1', 'stored'],
      ['e2', undefined],
      ['e3', undefined]
    ])
    expect(await readEvents(root, { type: 'opsera', name: 'opsera' })).toEqual([event('o1', '2024-03-02T09:00:00Z')])
    expect(await readdir(path.join(root, 'octopus/prod'))).toEqual(['events'])
    expect(await carryEvents(root, closedBranch)).toEqual({ changed: [], added: 0 })
  })
})
