import { rm } from 'node:fs/promises'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig, type Config } from '../../src/config/load.js'
import { runSnapshot, type RunOptions } from '../../src/pipeline/run.js'
import type { SourceOutcome } from '../../src/report/types.js'
import { captureLog } from '../sources/run-source.js'
import { needsAttention } from '../../src/report/attention.js'
import {
  financeDay1,
  financeDay2,
  hrExport,
  readTree,
  sourceFiles,
  staffExport,
  workspace,
  type Workspace
} from './workspace.js'

const hrGrant = { principal: 'p1', role: 'viewer', scope: 'benefits' }

describe('runSnapshot with file sources', () => {
  let ws: Workspace
  let root: string
  beforeEach(async () => {
    ws = await workspace()
    root = path.join(ws.dir, 'snapshots')
  })
  afterEach(() => ws.remove())

  /** A config read by the real loader; `sources` entries are config entries as a user writes them. */
  const config = (sources: Record<string, unknown>[], top: Record<string, unknown> = {}): Config =>
    parseConfig({ ...top, sources }, path.join(ws.dir, 'permission-snapshot.yml'))

  const run = (options: Partial<RunOptions> & { config: Config }) =>
    runSnapshot({ root, fileDiffs: true, log: captureLog(), ...options })

  const outcome = (outcomes: SourceOutcome[], key: string) =>
    outcomes.find((o) => `${o.source.type}/${o.source.name}` === key)!

  it('writes a baseline first, then reports and writes the next day’s changes', async () => {
    const finance = await ws.writeExport('finance', financeDay1())
    const cfg = config([{ type: 'file', name: 'finance', path: finance }])

    const first = await run({ config: cfg })
    expect(first.failed).toBe(false)
    const [baseline] = first.report.outcomes
    expect(baseline).toMatchObject({ status: 'ok', baseline: true, before: undefined })
    const tree1 = await readTree(root)
    expect(first.changed).toEqual([...tree1.keys()])
    // The state, and the pages generated from it: the index, the source's page, the people page.
    expect([...tree1.keys()]).toEqual([
      '.gitattributes',
      'README.md',
      'file/finance/README.md',
      'file/finance/groups/Finance-Admins.yaml',
      'file/finance/groups/Payables.yaml',
      'file/finance/principals.yaml',
      'file/finance/roles.yaml',
      'file/finance/scopes/ledger/ledger-EU.yaml',
      'file/finance/scopes/ledger/ledger-US.yaml',
      'file/finance/scopes/ledger/sandbox-1.yaml',
      'people.md'
    ])

    // The same export again: nothing to report, nothing rewritten. A folder without its .gitattributes
    // (one written before there was any) gains it with its next change, not as a change of its own.
    await rm(path.join(root, '.gitattributes'))
    const same = await run({ config: cfg })
    expect(same.changed).toEqual([])
    expect(same.report.outcomes[0]).toMatchObject({ status: 'ok', baseline: false, files: [] })
    expect((await readTree(root)).has('.gitattributes')).toBe(false)

    await ws.writeExport('finance', financeDay2())
    const second = await run({ config: cfg })
    expect(second.failed).toBe(false)
    const [day2] = second.report.outcomes
    expect(day2!.baseline).toBe(false)
    expect(day2!.changes!.grants.added).toEqual([
      { subject: { type: 'principal', id: 'svc' }, role: 'r-admin', scope: 'us' }
    ])
    expect(day2!.changes!.grants.removed).toEqual([
      { subject: { type: 'principal', id: 'u3' }, role: 'r-write', scope: 'us' }
    ])
    expect(day2!.changes!.groups.changed[0]!.membersAdded).toEqual([{ id: 'u2', role: 'member' }])
    expect(second.changed).toEqual([
      '.gitattributes',
      'README.md',
      'file/finance/README.md',
      'file/finance/groups/Finance-Admins.yaml',
      'file/finance/scopes/ledger/ledger-US.yaml',
      'people.md'
    ])
    // The file diffs are of the state; the pages follow from it.
    expect(day2!.files!.map((f) => f.path)).toEqual(second.changed.filter((f) => f.endsWith('.yaml')))
    const tree2 = await readTree(root)
    expect(tree2.get('file/finance/scopes/ledger/ledger-US.yaml')).toContain('principal: ledger-sync')
    expect(tree2.get('file/finance/scopes/ledger/ledger-US.yaml')).not.toContain('carol')
  })

  it('keeps a failing source’s files byte-identical, writes the other source, and says why it failed', async () => {
    const finance = await ws.writeExport('finance', financeDay1())
    const hr = await ws.writeExport('hr', hrExport())
    const cfg = config([
      { type: 'file', name: 'finance', path: finance },
      { type: 'file', name: 'hr', path: hr }
    ])
    await run({ config: cfg })
    const before = sourceFiles(await readTree(root), 'file/finance')
    expect(before.size).toBeGreaterThan(0)

    // The finance export is now corrupt; HR changes on the same day.
    await ws.write('exports/finance.yaml', 'principals: [unclosed\n')
    await ws.writeExport('hr', {
      ...hrExport(),
      principals: [
        { id: 'p1', name: 'dave' },
        { id: 'p2', name: 'erin' }
      ]
    })
    const log = captureLog()
    const result = await run({ config: cfg, log })

    expect(result.failed).toBe(true)
    const failed = outcome(result.report.outcomes, 'file/finance')
    expect(failed.status).toBe('failed')
    expect(failed.error).toContain(`${finance} is neither valid YAML nor JSON`)
    expect(failed.after).toBeUndefined()
    // The previous state stays available so the report can still resolve names.
    expect(failed.before?.principals.map((p) => p.name)).toContain('alice')
    expect(log.lines.some((l) => l.startsWith('warning: [file/finance] failed:'))).toBe(true)
    expect(outcome(result.report.outcomes, 'file/hr').status).toBe('ok')
    // The failed source's page is unchanged (its snapshot is); the index and people pages list HR's new principal.
    expect(result.changed).toEqual(['README.md', 'file/hr/README.md', 'file/hr/principals.yaml', 'people.md'])

    const after = await readTree(root)
    expect(sourceFiles(after, 'file/finance')).toEqual(before)
    expect(after.get('file/hr/principals.yaml')).toContain('erin')
  })

  it('fails a source whose export file is missing, with the path and what to check', async () => {
    const missing = path.join(ws.dir, 'exports', 'nowhere.yaml')
    const result = await run({ config: config([{ type: 'file', name: 'gone', path: missing }]) })
    expect(result.failed).toBe(true)
    expect(result.report.outcomes[0]).toMatchObject({
      status: 'failed',
      error: `cannot read ${missing}: ENOENT`,
      hint: "Check the 'path' of file source 'gone'."
    })
    expect(await readTree(root)).toEqual(new Map())
  })

  it('fails a source whose data has a dangling reference, naming it, and writes nothing', async () => {
    const data = financeDay1()
    data.groups![1]!.members!.push({ id: 'u404' })
    data.grants!.push({ principal: 'u1', role: 'r-missing', scope: 'eu' })
    const file = await ws.writeExport('finance', data)
    const result = await run({ config: config([{ type: 'file', name: 'finance', path: file }]) })
    const [failed] = result.report.outcomes
    expect(failed!.status).toBe('failed')
    expect(failed!.error).toContain('the file source returned inconsistent data')
    expect(failed!.error).toContain("group 'g2' has unknown member 'u404'")
    expect(failed!.error).toContain("grant refers to unknown role 'r-missing'")
    expect(failed!.hint).toBe(
      'Correct the export: every member, parent and grant must refer to an entry the export lists.'
    )
    expect(await readTree(root)).toEqual(new Map())
  })

  it('holds back a mass removal (files untouched) unless mass removal is allowed', async () => {
    const file = await ws.writeExport('finance', financeDay1())
    // Five grants in all: a minimum of 1 lets this small export trip the guard.
    const cfg = config([{ type: 'file', name: 'finance', path: file }], { 'mass-removal-minimum': 1 })
    await run({ config: cfg })
    const before = await readTree(root)

    // Four of five grants gone: 80 %, over the default 25 %.
    await ws.writeExport('finance', { ...financeDay1(), grants: financeDay1().grants!.slice(0, 1) })
    const held = await run({ config: cfg })
    expect(held.failed).toBe(true)
    const [outcome] = held.report.outcomes
    expect(outcome!.status).toBe('held')
    expect(outcome!.error).toBe(
      '4 of 5 grants (80%) would be removed, more than the mass-removal threshold of 25% (at least 1 of a kind); the previous snapshot was kept'
    )
    expect(outcome!.hint).toContain('--allow-mass-removal')
    // The reviewer still sees what would have gone.
    expect(outcome!.changes!.grants.removed).toHaveLength(4)
    expect(held.changed).toEqual([])
    expect(await readTree(root)).toEqual(before)

    const allowed = await run({ config: cfg, allowMassRemoval: true })
    expect(allowed.failed).toBe(false)
    expect(allowed.report.outcomes[0]!.status).toBe('ok')
    expect(allowed.changed).toEqual([
      'README.md',
      'file/finance/README.md',
      'file/finance/scopes/ledger/ledger-EU.yaml',
      'file/finance/scopes/ledger/ledger-US.yaml',
      'file/finance/scopes/ledger/sandbox-1.yaml',
      'people.md'
    ])
  })

  it('holds back removals that add up over runs not merged yet: the guard also compares with the base', async () => {
    const grants = (n: number) => ({ ...financeDay1(), grants: financeDay1().grants!.slice(0, n) })
    const file = await ws.writeExport('finance', grants(5))
    // Five grants in all: a minimum of 1 lets this small export trip the guard.
    const cfg = config([{ type: 'file', name: 'finance', path: file }], { 'mass-removal-minimum': 1 })
    await run({ config: cfg })
    // The base branch holds the 5 grants; an open pull request's head has 4 after yesterday's run.
    const base = await readTree(root)
    await ws.writeExport('finance', grants(4))
    expect((await run({ config: cfg, base })).report.outcomes[0]!.status).toBe('ok')
    const yesterday = await readTree(root)

    // Today one more goes: 1 of 4 since the last run (25 %, not over), 2 of 5 since the base (40 %).
    await ws.writeExport('finance', grants(3))
    const held = await run({ config: cfg, base })
    expect(held.report.outcomes[0]).toMatchObject({
      status: 'held',
      error:
        '2 of 5 grants (40%) would be removed compared with the snapshot the open pull request is reviewed against, more than the mass-removal threshold of 25% (at least 1 of a kind); the previous snapshot was kept'
    })
    expect(held.changed).toEqual([])
    expect(await readTree(root)).toEqual(yesterday)

    expect((await run({ config: cfg, base, allowMassRemoval: true })).report.outcomes[0]!.status).toBe('ok')
  })

  it('uses the configured threshold: a removal at or under it is written', async () => {
    const file = await ws.writeExport('finance', financeDay1())
    const cfg = config([{ type: 'file', name: 'finance', path: file }], { 'mass-removal-threshold': 0.4 })
    await run({ config: cfg })
    // Two of five grants: 40 %, not more than the threshold.
    await ws.writeExport('finance', { ...financeDay1(), grants: financeDay1().grants!.slice(0, 3) })
    const result = await run({ config: cfg })
    expect(result.report.outcomes[0]!.status).toBe('ok')
    expect(result.report.massRemovalThreshold).toBe(0.4)
    expect(result.changed.filter((f) => f.endsWith('.yaml'))).toHaveLength(2)
  })

  it('holds back members and principals vanishing in bulk, like grants, and says so in the report', async () => {
    const file = await ws.writeExport('staff', staffExport(10))
    const cfg = config([{ type: 'file', name: 'staff', path: file }])
    await run({ config: cfg })
    const before = await readTree(root)

    // Eight of ten members leave the only group; its one grant stays.
    await ws.writeExport('staff', staffExport(10, 2))
    const members = await run({ config: cfg })
    expect(members.report.outcomes[0]).toMatchObject({
      status: 'held',
      error:
        '8 of 10 memberships (80%) would be removed, more than the mass-removal threshold of 25% (at least 5 of a kind); the previous snapshot was kept'
    })
    expect(needsAttention(members.report)[0]!.message).toMatch(/^Held back, not written: 8 of 10 memberships \(80%\)/)
    expect(await readTree(root)).toEqual(before)

    // Eight of ten people gone from the export altogether.
    await ws.writeExport('staff', { ...staffExport(2), grants: staffExport(10).grants })
    const people = await run({ config: cfg })
    expect(people.report.outcomes[0]!.status).toBe('held')
    expect(people.report.outcomes[0]!.error).toMatch(
      /^8 of 10 principals \(80%\) and 8 of 10 memberships \(80%\) would be removed/
    )
    expect(await readTree(root)).toEqual(before)

    const allowed = await run({ config: cfg, allowMassRemoval: true })
    expect(allowed.report.outcomes[0]!.status).toBe('ok')
    expect(needsAttention(allowed.report).map((i) => `${i.severity} ${i.rule}: ${i.message}`)).toEqual([
      "high mass-removal: 8 of 10 principals (80%) and 8 of 10 memberships (80%) removed, more than the mass-removal threshold of 25% (at least 5 of a kind). Check the source's credentials can still see everything."
    ])
  })

  it('does not call a removal below the minimum count a mass removal: 1 of 2 grants', async () => {
    const file = await ws.writeExport('hr', { ...hrExport(), grants: [...hrExport().grants!, hrGrant] })
    const cfg = config([{ type: 'file', name: 'hr', path: file }])
    await run({ config: cfg })
    await ws.writeExport('hr', hrExport())
    const result = await run({ config: cfg })
    expect(result.report.outcomes[0]!.status).toBe('ok')
    expect(result.changed).toEqual(['README.md', 'file/hr/README.md', 'file/hr/scopes/scope/benefits.yaml'])
    expect(needsAttention(result.report)).toEqual([])
  })

  it('takes a source entry’s own threshold and minimum over the top level’s', async () => {
    const file = await ws.writeExport('staff', staffExport(10))
    const cfg = config(
      [
        { type: 'file', name: 'strict', path: file },
        { type: 'file', name: 'lenient', path: file, 'mass-removal-threshold': 0.9 },
        { type: 'file', name: 'tiny', path: file, 'mass-removal-minimum': 9 }
      ],
      { 'mass-removal-threshold': 0.5 }
    )
    await run({ config: cfg })
    await ws.writeExport('staff', staffExport(10, 2))
    const result = await run({ config: cfg })
    expect(result.report.outcomes.map((o) => [o.source.name, o.status, o.massRemoval])).toEqual([
      ['lenient', 'ok', { threshold: 0.9, minimum: 5 }],
      ['strict', 'held', { threshold: 0.5, minimum: 5 }],
      ['tiny', 'ok', { threshold: 0.5, minimum: 9 }]
    ])
    expect(result.report.massRemovalThreshold).toBe(0.5)
  })

  it('writes nothing in a dry run, yet reports the changes', async () => {
    const file = await ws.writeExport('finance', financeDay1())
    const cfg = config([{ type: 'file', name: 'finance', path: file }])
    const dry = await run({ config: cfg, dryRun: true })
    expect(dry.changed).toEqual([])
    expect(dry.report.outcomes[0]).toMatchObject({ status: 'ok', baseline: true })
    expect(await readTree(root)).toEqual(new Map())

    await run({ config: cfg })
    const before = await readTree(root)
    await ws.writeExport('finance', financeDay2())
    const dry2 = await run({ config: cfg, dryRun: true })
    expect(dry2.changed).toEqual([])
    expect(dry2.report.outcomes[0]!.changes!.grants.added).toHaveLength(1)
    expect(await readTree(root)).toEqual(before)
  })

  it('applies the email policy to the written files: top-level redact, per-source hash, keyed', async () => {
    const file = await ws.writeExport('finance', financeDay1())
    const cfg = config(
      [
        { type: 'file', name: 'redacted', path: file },
        { type: 'file', name: 'hashed', path: file, emails: 'hash' },
        { type: 'file', name: 'kept', path: file, emails: 'keep' }
      ],
      { emails: 'redact', 'emails-key-env': 'FINGERPRINT_KEY' }
    )
    const result = await run({ config: cfg, env: { FINGERPRINT_KEY: 'a-long-random-fingerprint-key' } })
    // Three sources of one type share the `file/` folder: all are written in the same run.
    expect(result.report.outcomes.map((o) => o.status)).toEqual(['ok', 'ok', 'ok'])
    const tree = await readTree(root)
    const redacted = tree.get('file/redacted/principals.yaml')!
    const hashed = tree.get('file/hashed/principals.yaml')!
    expect(redacted).not.toContain('email')
    expect(redacted).not.toContain('example.com')
    expect(hashed).not.toContain('example.com')
    expect(hashed).toMatch(/email: hmac-sha256:[0-9a-f]{16}\n/)
    expect(tree.get('file/kept/principals.yaml')).toContain('email: Alice@Example.com')

    // Without the key (or with a short one) those sources fail and keep their files; `keep` needs none.
    for (const key of [undefined, 'k3y-0123']) {
      const log = captureLog()
      const keyless = await run({ config: cfg, env: key ? { FINGERPRINT_KEY: key } : {}, log })
      // Reports list sources by type/name: hashed, kept, redacted.
      expect(keyless.report.outcomes.map((o) => [o.source.name, o.status])).toEqual([
        ['hashed', 'failed'],
        ['kept', 'ok'],
        ['redacted', 'failed']
      ])
      expect(keyless.report.outcomes[2]!.error).toBe(
        key
          ? 'the key of email fingerprints in FINGERPRINT_KEY is shorter than 16 characters'
          : "The key of email fingerprints for source 'redacted' is missing: environment variable FINGERPRINT_KEY is not set or empty"
      )
      expect(await readTree(root)).toEqual(tree)
    }
  })

  it('keeps only the scopes include selects and drops those exclude names, with their grants', async () => {
    const file = await ws.writeExport('finance', financeDay1())
    const cfg = config([
      { type: 'file', name: 'included', path: file, include: ['LEDGER-*'] },
      { type: 'file', name: 'excluded', path: file, exclude: ['sandbox-?', 'ledger-us'] }
    ])
    const result = await run({ config: cfg })
    const tree = await readTree(root)
    const scopeFiles = (source: string) =>
      [...tree.keys()].filter((f) => f.startsWith(`file/${source}/scopes/`)).map((f) => path.posix.basename(f))
    expect(scopeFiles('included')).toEqual(['ledger-EU.yaml', 'ledger-US.yaml'])
    expect(scopeFiles('excluded')).toEqual(['ledger-EU.yaml'])
    const excluded = outcome(result.report.outcomes, 'file/excluded').after!
    expect(excluded.grants.map((g) => g.scope)).toEqual(['eu', 'eu', 'eu'])
    // Who exists is still recorded.
    expect(excluded.principals).toHaveLength(4)
  })
})
