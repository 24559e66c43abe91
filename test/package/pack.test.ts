/**
 * The CLI installed the way a user installs it, outside the checkout: `npm
 * pack` of this repository (the bundled dist/, so `npm run build` first), then
 * `npm install` of the tarball into an empty folder with no network, and the
 * installed `permission-snapshot` run from there.
 */
import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HELP } from '../../src/cli/usage.js'

const exec = promisify(execFile)
const REPO = path.resolve(import.meta.dirname, '../..')

describe('the npm package', () => {
  let scratch: string
  let tarball: string
  let files: string[]
  beforeAll(async () => {
    scratch = await mkdtemp(path.join(tmpdir(), 'permission-snapshot-pack-'))
    const packed = await exec('npm', ['pack', '--json', '--pack-destination', scratch], { cwd: REPO })
    const [info] = JSON.parse(packed.stdout) as [{ filename: string; files: { path: string }[] }]
    tarball = path.join(scratch, info.filename)
    files = info.files.map((f) => f.path).sort()
  }, 120_000)
  afterAll(() => rm(scratch, { recursive: true, force: true }))

  it('holds the bundles, the entry point and the action, and no sources or tests', () => {
    expect(files).toEqual([
      'LICENSE',
      'README.md',
      'action.yml',
      'bin/permission-snapshot.js',
      'dist/cli.js',
      'dist/index.js',
      'package.json'
    ])
  })

  it('installs into an empty folder without the network, and its permission-snapshot runs there', async () => {
    const project = path.join(scratch, 'empty')
    // Offline, with a cache of its own: the bundle needs nothing from the registry.
    await exec(
      'npm',
      [
        'install',
        '--offline',
        '--no-audit',
        '--no-fund',
        '--cache',
        path.join(scratch, 'cache'),
        '--prefix',
        project,
        tarball
      ],
      { cwd: scratch }
    )
    const installed = JSON.parse(
      await readFile(path.join(project, 'node_modules', 'permission-snapshot', 'package.json'), 'utf8')
    ) as { version: string; dependencies?: Record<string, string> }
    expect(installed.dependencies).toBeUndefined()
    const bin = path.join(project, 'node_modules', '.bin', 'permission-snapshot')
    const help = await exec(bin, ['--help'], { cwd: project })
    expect(help).toEqual({ stdout: HELP.main, stderr: '' })
    const version = await exec(bin, ['--version'], { cwd: project })
    expect(version.stdout).toBe(`${installed.version}\n`)
    // A command that needs no config or network behaves there as in the checkout.
    const usage = await exec(bin, ['diff', '--help'], { cwd: project })
    expect(usage.stdout).toBe(HELP.diff)
  }, 120_000)
})
