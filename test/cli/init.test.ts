import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { loadConfig, parseConfig } from '../../src/config/load.js'
import { workspace, type Workspace } from '../pipeline/workspace.js'
import { cli } from './cli.js'

const CONFIG = '.github/permission-snapshot.yml'
const WORKFLOW = '.github/workflows/permission-snapshot.yml'

interface Step {
  id?: string
  uses?: string
  with?: Record<string, string>
  env?: Record<string, string>
}

/** `permission-snapshot init` in an empty repository folder, checked with the real config loader. */
describe('permission-snapshot init', () => {
  let ws: Workspace
  beforeEach(async () => {
    ws = await workspace()
  })
  afterEach(() => ws.remove())

  const read = (file: string) => readFile(path.join(ws.dir, file), 'utf8')
  const every = [
    ...['--github', 'acme', '--github', 'acme-labs'],
    ...['--octopus', 'https://octopus.example.com'],
    ...['--uipath', 'https://cloud.uipath.com/acme/DefaultTenant/orchestrator_'],
    ...['--cyberark-epm', 'https://login.epm.cyberark.com'],
    ...['--opsera', 'https://app.opsera.io'],
    ...['--file', 'exports/finance.yaml']
  ]

  it('writes a config the loader accepts, with every optional key as a comment that is valid once uncommented', async () => {
    const result = await cli(ws.dir, 'init', ...every)
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`Wrote ${CONFIG} and ${WORKFLOW}. Next:`)
    const config = await loadConfig(path.join(ws.dir, CONFIG))
    expect(config.sources.map((s) => `${s.type}/${s.name}`)).toEqual([
      'github/acme',
      'github/acme-labs',
      'octopus/octopus',
      'uipath/uipath',
      'cyberark-epm/epm',
      'opsera/opsera',
      'file/finance'
    ])
    expect(config.sources[1]!.settings).toMatchObject({ organization: 'acme-labs', 'token-env': 'GH_ORG_READ_TOKEN_2' })

    // The commented keys are real keys with valid values: uncommenting all of them still loads.
    const text = await read(CONFIG)
    const commented = text.split('\n').filter((line) => /^\s*# \s*[a-z-]+:/.test(line))
    expect(commented.length).toBeGreaterThan(20)
    const uncommented = text.replace(/^(\s*)# (\s*[a-z-]+:)/gm, '$1$2')
    const all = parseConfig(yaml.load(uncommented), CONFIG)
    expect(all.massRemovalThreshold).toBe(0.25)
    expect(all.eventsLookbackDays).toBe(7)
    expect(all.sources.find((s) => s.type === 'uipath')!.settings).toMatchObject({ 'platform-audit': 'off' })
    expect(all.sources.find((s) => s.type === 'opsera')!.settings).toMatchObject({ 'include-own-reads': false })
  })

  it('writes a workflow whose env passes exactly the variables the config names', async () => {
    expect((await cli(ws.dir, 'init', ...every)).code).toBe(0)
    const config = await loadConfig(path.join(ws.dir, CONFIG))
    const workflow = yaml.load(await read(WORKFLOW)) as {
      on: Record<string, unknown>
      permissions: Record<string, string>
      jobs: { snapshot: { steps: Step[] } }
    }
    expect(Object.keys(workflow.on)).toEqual(['schedule', 'workflow_dispatch'])
    expect(workflow.permissions).toEqual({ contents: 'write', 'pull-requests': 'write' })
    const steps = workflow.jobs.snapshot.steps
    expect(steps.map((s) => s.uses)).toEqual([
      'actions/create-github-app-token@v3',
      'actions/create-github-app-token@v3',
      'actions/checkout@v5',
      'permission-snapshot/permission-snapshot@v1'
    ])
    // One App token per organization read; the first also publishes.
    expect(steps.slice(0, 2).map((s) => [s.id, s.with!.owner])).toEqual([
      ['app-token', 'acme'],
      ['app-token-2', 'acme-labs']
    ])
    const action = steps[3]!
    expect(action.with!.token).toBe('${{ steps.app-token.outputs.token }}')
    const named = config.sources.flatMap((s) =>
      Object.entries(s.settings as Record<string, unknown>)
        .filter(([key]) => key.endsWith('-env'))
        .map(([, variable]) => variable as string)
    )
    expect(Object.keys(action.env!).sort()).toEqual([...named].sort())
    expect(action.env).toMatchObject({
      GH_ORG_READ_TOKEN: '${{ steps.app-token.outputs.token }}',
      GH_ORG_READ_TOKEN_2: '${{ steps.app-token-2.outputs.token }}',
      OCTOPUS_API_KEY: '${{ secrets.OCTOPUS_API_KEY }}',
      EPM_PASSWORD: '${{ secrets.EPM_PASSWORD }}'
    })
  })

  it('writes no empty env for a config that names no credential', async () => {
    expect((await cli(ws.dir, 'init', '--file', 'exports/hr.json')).code).toBe(0)
    const workflow = yaml.load(await read(WORKFLOW)) as { jobs: { snapshot: { steps: Step[] } } }
    const action = workflow.jobs.snapshot.steps.find((s) => s.uses?.startsWith('permission-snapshot/'))!
    expect(action).not.toHaveProperty('env')
    expect((await loadConfig(path.join(ws.dir, CONFIG))).sources.map((s) => s.name)).toEqual(['hr'])
  })

  it('refuses to overwrite either file, in one line, and writes nothing', async () => {
    await ws.write(WORKFLOW, 'name: mine\n')
    const refused = await cli(ws.dir, 'init', '--github', 'acme')
    expect(refused).toEqual({
      code: 2,
      stdout: '',
      stderr: `permission-snapshot init: ${WORKFLOW} already exists; nothing was written (edit it, or move it away and run init again)\n`
    })
    await expect(read(CONFIG)).rejects.toThrow(/ENOENT/)
    expect(await read(WORKFLOW)).toBe('name: mine\n')
  })

  it('refuses a value the config would reject, and a call without any source', async () => {
    const [bad, none] = await Promise.all([
      cli(ws.dir, 'init', '--octopus', 'octopus.example.com'),
      cli(ws.dir, 'init')
    ])
    expect(bad).toMatchObject({
      code: 2,
      stderr:
        "permission-snapshot init: .github/permission-snapshot.yml: sources[0] (octopus 'octopus').url: must be an http:// or https:// URL\n"
    })
    expect(none.code).toBe(2)
    expect(none.stderr.split('\n')[0]).toBe(
      'permission-snapshot init: name at least one source, e.g. --github acme or --octopus https://octopus.example.com'
    )
    await expect(read(CONFIG)).rejects.toThrow(/ENOENT/)
  })
})
