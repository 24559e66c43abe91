import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HELP } from '../../src/cli/usage.js'
import type { JsonReport } from '../../src/report/json.js'
import {
  financeDay1,
  financeDay2,
  hrExport,
  readTree,
  sourceFiles,
  workspace,
  type Workspace
} from '../pipeline/workspace.js'
import { cli, git } from './cli.js'

// Each spawned CLI costs about a second: independent invocations run side by side.
describe('the permission-snapshot CLI', () => {
  let ws: Workspace
  beforeEach(async () => {
    ws = await workspace()
  })
  afterEach(() => ws.remove())

  it('exits 2 on an unknown command, and on a missing or invalid config naming the file and the key', async () => {
    await ws.write('inline.yml', 'sources:\n  - type: github\n    name: acme\n    token: ghp_inline_secret_value\n')
    const [unknown, missing, inline] = await Promise.all([
      cli(ws.dir, 'audit'),
      cli(ws.dir, 'run'),
      cli(ws.dir, 'run', '--config', 'inline.yml')
    ])
    expect(unknown).toEqual({
      code: 2,
      stdout: '',
      stderr: `permission-snapshot: unknown command 'audit'\n\n${HELP.main}`
    })
    expect(missing).toMatchObject({ code: 2, stdout: '' })
    expect(missing.stderr).toBe(
      "permission-snapshot: .github/permission-snapshot.yml: config file not found. Create it (see the README's config reference) or pass another path.\n"
    )
    expect(inline).toMatchObject({ code: 2, stdout: '' })
    expect(inline.stderr).toMatch(
      /^permission-snapshot: inline\.yml: sources\[0\]\.token: credentials are not accepted inline\./
    )
    expect(inline.stderr).toContain("name that variable with 'token-env'")
    expect(inline.stderr).not.toContain('ghp_inline_secret_value')
    expect(await readTree(path.join(ws.dir, 'snapshots'))).toEqual(new Map())
  })

  it('runs day by day in a git repository, and diffs two commits of the snapshot folder', async () => {
    const snapshots = path.join(ws.dir, 'snapshots')
    await git(ws.dir, 'init', '--quiet')
    await ws.write(
      '.github/permission-snapshot.yml',
      yaml.dump({
        sources: [
          { type: 'file', name: 'finance', path: 'exports/finance.yaml' },
          { type: 'file', name: 'hr', path: 'exports/hr.yaml' }
        ]
      })
    )
    await ws.writeExport('finance', financeDay1())
    await ws.writeExport('hr', hrExport())

    // Day 1: the baseline, with both report files (in a folder that does not exist yet).
    const day1 = await cli(ws.dir, 'run', '--report', 'out/report.md', '--json', 'out/report.json')
    expect(day1.stderr).toContain('Reading 2 sources from .github/permission-snapshot.yml')
    expect(day1.code).toBe(0)
    expect(day1.stdout).toContain('  file/finance: baseline: 4 principals, 2 groups, 3 roles, 3 scopes, 5 grants\n')
    expect(day1.stdout).toContain('  file/hr: baseline: 1 principal, 0 groups, 1 role, 1 scope, 1 grant\n')
    const markdown = await readFile(path.join(ws.dir, 'out/report.md'), 'utf8')
    expect(markdown).toMatch(/^## /)
    expect(markdown).toContain('file/finance')
    const json1 = JSON.parse(await readFile(path.join(ws.dir, 'out/report.json'), 'utf8')) as JsonReport
    expect(json1.summary).toMatchObject({ sources: 2, baseline: 2, failed: 0 })
    expect([...(await readTree(snapshots)).keys()]).toContain('file/finance/principals.yaml')
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 1')
    const hrDay1 = sourceFiles(await readTree(snapshots), 'file/hr')

    // Day 2: finance changes, the HR export is corrupt: exit 1, finance still written, HR untouched.
    await ws.writeExport('finance', financeDay2())
    await ws.write('exports/hr.yaml', '{ principals: ')
    const day2 = await cli(ws.dir, 'run', '--json', 'out/day2.json')
    expect(day2.code).toBe(1)
    expect(day2.stdout).toContain('  file/finance: 1 grant added, 1 removed, 1 member changed\n')
    expect(day2.stdout).toContain('  file/hr: failed: exports/hr.yaml is neither valid YAML nor JSON')
    expect(day2.stderr).toContain('warning: [file/hr] failed: exports/hr.yaml is neither valid YAML nor JSON')
    const json2 = JSON.parse(await readFile(path.join(ws.dir, 'out/day2.json'), 'utf8')) as JsonReport
    expect(json2.sources.map((s) => [s.source, s.status])).toEqual([
      ['file/finance', 'ok'],
      ['file/hr', 'failed']
    ])
    expect(sourceFiles(await readTree(snapshots), 'file/hr')).toEqual(hrDay1)
    // The finance state and the pages that show it; HR's page is unchanged, as its files are.
    expect((await git(ws.dir, 'diff', '--name-only', '--', 'snapshots')).split('\n').filter(Boolean)).toEqual([
      'snapshots/README.md',
      'snapshots/file/finance/README.md',
      'snapshots/file/finance/groups/Finance-Admins.yaml',
      'snapshots/file/finance/scopes/ledger/ledger-US.yaml',
      'snapshots/people.md'
    ])
    await git(ws.dir, 'add', 'snapshots')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 2')

    const [text, asJson, asMarkdown, badRevision] = await Promise.all([
      cli(ws.dir, 'diff', '--verbose'),
      cli(ws.dir, 'diff', '--from', 'HEAD~1', '--to', 'HEAD', '--format', 'json'),
      cli(ws.dir, 'diff', '--format', 'markdown'),
      cli(ws.dir, 'diff', '--from', 'HEAD~2')
    ])
    expect(text).toMatchObject({ code: 0, stderr: '' })
    expect(text.stdout).toContain('  file/finance: 1 grant added, 1 removed, 1 member changed\n')
    expect(text.stdout).toContain('  file/hr: no changes\n')
    expect(text.stdout).toMatch(/ledger-sync · Administrator · ledger ledger-US/)
    // --verbose adds the unified diff of each changed file.
    expect(text.stdout).toContain('+++ b/file/finance/scopes/ledger/ledger-US.yaml')

    expect(asJson).toMatchObject({ code: 0, stderr: '' })
    const report = JSON.parse(asJson.stdout) as JsonReport
    expect(report.summary).toMatchObject({ sources: 2, changed: 1, added: 1, removed: 1, modified: 1, failed: 0 })
    expect(report.sources.find((s) => s.source === 'file/finance')!.changes!.grants).toEqual({
      added: 1,
      removed: 1,
      changed: 0
    })

    expect(asMarkdown).toMatchObject({ code: 0, stderr: '' })
    expect(asMarkdown.stdout).toMatch(/^## /)
    expect(asMarkdown.stdout).toContain('ledger-sync')

    // A revision that does not exist is bad usage (exit 2), not a failed source.
    expect(badRevision.code).toBe(2)
    expect(badRevision.stderr).toMatch(/^permission-snapshot diff: cannot read 'snapshots' at git revision 'HEAD~2': /)
  })
})
