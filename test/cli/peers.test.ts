import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ATTRIBUTES } from '../../src/store/attributes.js'
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

/** The real CLI entry point as a user's shell runs it: the flags and behaviour its peers have. */
describe('the CLI, like its peers', () => {
  let ws: Workspace
  beforeEach(async () => {
    ws = await workspace()
    // Listed hr first: reports still give sources in one order, by type/name.
    await ws.write(
      '.github/permission-snapshot.yml',
      yaml.dump({
        sources: [
          { type: 'file', name: 'hr', path: 'exports/hr.yaml' },
          { type: 'file', name: 'finance', path: 'exports/finance.yaml' }
        ]
      })
    )
    await ws.writeExport('finance', financeDay1())
    await ws.writeExport('hr', hrExport())
  })
  afterEach(() => ws.remove())

  const sourceLines = (stdout: string) => stdout.split('\n').filter((line) => /^ {2}file\//.test(line))

  it('prints its version, the one package.json gives', async () => {
    const pkg = JSON.parse(await readFile(path.resolve(import.meta.dirname, '../../package.json'), 'utf8')) as {
      version: string
    }
    expect(await cli(ws.dir, '--version')).toEqual({ code: 0, stdout: `${pkg.version}\n`, stderr: '' })
  })

  it('with --quiet prints warnings and errors only, and the report as always', async () => {
    await ws.write('exports/hr.yaml', '{ principals: ')
    const quiet = await cli(ws.dir, 'run', '--quiet')
    expect(quiet.code).toBe(1)
    expect(quiet.stderr).toMatch(/^warning: \[file\/hr\] failed: exports\/hr\.yaml is neither valid YAML nor JSON/)
    expect(quiet.stderr).not.toContain('Reading')
    expect(quiet.stderr).not.toContain('[file/finance]')
    expect(quiet.stdout).toContain('  file/finance: baseline: 4 principals, 2 groups, 3 roles, 3 scopes, 5 grants\n')
    const loud = await cli(ws.dir, 'run', '--dry-run')
    expect(loud.stderr).toContain('Reading 2 sources from .github/permission-snapshot.yml')
    expect(loud.stderr).toMatch(/\[file\/finance\] 4 principals, 2 groups, 3 roles, 3 scopes, 5 grants, 0 events in/)
  })

  it('fetches only the sources --source names, leaving the others byte for byte as they were', async () => {
    expect((await cli(ws.dir, 'run')).code).toBe(0)
    const snapshots = path.join(ws.dir, 'snapshots')
    const before = await readTree(snapshots)
    // Both systems change; only finance is asked for.
    await ws.writeExport('finance', financeDay2())
    await ws.writeExport('hr', {
      ...hrExport(),
      principals: [
        { id: 'p1', name: 'dave' },
        { id: 'p2', name: 'erin' }
      ]
    })
    const one = await cli(ws.dir, 'run', '--source', 'file/finance')
    expect(one.code).toBe(0)
    expect(sourceLines(one.stdout)).toEqual(['  file/finance: 1 grant added, 1 removed, 1 member changed'])
    expect(one.stderr).toContain('Reading 1 source from')
    const after = await readTree(snapshots)
    expect(sourceFiles(after, 'file/hr')).toEqual(sourceFiles(before, 'file/hr'))
    expect(sourceFiles(after, 'file/finance')).not.toEqual(sourceFiles(before, 'file/finance'))

    // Repeatable; a source the config does not hold is bad usage, and nothing is fetched.
    const both = await cli(ws.dir, 'run', '--dry-run', '--source', 'file/hr', '--source', 'file/finance')
    expect(sourceLines(both.stdout)).toHaveLength(2)
    const unknown = await cli(ws.dir, 'run', '--source', 'file/payroll')
    expect(unknown).toMatchObject({
      code: 2,
      stderr:
        "permission-snapshot run: --source 'file/payroll': not in .github/permission-snapshot.yml; its sources are file/hr, file/finance\n"
    })
    expect(await readTree(snapshots)).toEqual(after)
  })

  it('never says a dry run recorded anything', async () => {
    const dry = await cli(ws.dir, 'run', '--dry-run', '--report', 'out/report.md')
    expect(dry.code).toBe(0)
    expect(dry.stdout).toContain('Dry run: nothing was written.')
    expect(dry.stdout).not.toMatch(/recorded/)
    expect(await readFile(path.join(ws.dir, 'out/report.md'), 'utf8')).not.toMatch(/recorded/)
    expect(await readTree(path.join(ws.dir, 'snapshots'))).toEqual(new Map())
  })

  it('diffs the first commit with the empty tree, and lists sources in the order run does', async () => {
    await git(ws.dir, 'init', '--quiet')
    const run = await cli(ws.dir, 'run')
    expect(run.code).toBe(0)
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 1')
    const first = await cli(ws.dir, 'diff')
    expect(first.code).toBe(0)
    expect(first.stderr).toBe('HEAD is the first commit: comparing it with the empty tree\n')
    expect(first.stdout).toContain('  file/finance: baseline: 4 principals, 2 groups, 3 roles, 3 scopes, 5 grants\n')
    expect(sourceLines(first.stdout)).toEqual(sourceLines(run.stdout))
    expect(sourceLines(run.stdout).map((line) => line.split(':')[0])).toEqual(['  file/finance', '  file/hr'])
    // Quiet: the notice is information, not a warning.
    expect((await cli(ws.dir, 'diff', '--quiet')).stderr).toBe('')
    // Written with the folder, the snapshot's .gitattributes is committed with it.
    expect(await git(ws.dir, 'show', 'HEAD:snapshots/.gitattributes')).toBe(ATTRIBUTES)
  })

  it('says when the snapshot folder does not exist at a revision', async () => {
    await git(ws.dir, 'init', '--quiet')
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'the config, before any snapshot')
    expect((await cli(ws.dir, 'run')).code).toBe(0)
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 1')
    const [since, wrongDir] = await Promise.all([cli(ws.dir, 'diff'), cli(ws.dir, 'diff', '--dir', 'snapshot')])
    expect(since).toMatchObject({
      code: 0,
      stderr: 'snapshots/ does not exist at HEAD~1: every source at HEAD is reported as a first snapshot\n'
    })
    expect(sourceLines(since.stdout)).toHaveLength(2)
    // At neither revision: the folder is named wrong.
    expect(wrongDir).toMatchObject({
      code: 2,
      stderr:
        'permission-snapshot diff: --dir snapshot: no such folder at HEAD~1 or at HEAD; name the snapshot folder (--dir)\n'
    })
    // Deleted at --to: a warning, which --quiet keeps, says why the report is empty.
    await git(ws.dir, 'rm', '-r', '--quiet', 'snapshots')
    await git(ws.dir, 'commit', '--quiet', '-m', 'snapshots moved away')
    const gone = await cli(ws.dir, 'diff', '--quiet')
    expect(gone).toMatchObject({
      code: 0,
      stderr: 'warning: snapshots/ does not exist at HEAD (removed or moved since HEAD~1): there is nothing to report\n'
    })
  })
})
