/**
 * The CLI end to end against the UiPath demo organization (simulator on
 * loopback): the organization audit is archived on day 1, day 2's new
 * Organization Administrator is attributed to the record that made them, and
 * a third run over the same window changes nothing.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { afterEach, describe, expect, it } from 'vitest'
import type { JsonReport } from '../../src/report/json.js'
import { readTree, workspace, type Workspace } from '../pipeline/workspace.js'
import { startUipathDemo } from '../sim/uipath/demo.js'
import type { SimulatedSystem } from '../sim/system.js'
import { cliWithEnv, git } from './cli.js'

describe('the CLI with a UiPath organization (tenant and organization audit)', () => {
  let ws: Workspace
  let demo: SimulatedSystem
  afterEach(async () => {
    await demo.stop()
    await ws.remove()
  })

  it('archives the organization audit, attributes a new Organization Administrator, and reads the same window again without a change', async () => {
    demo = await startUipathDemo()
    ws = await workspace()
    await git(ws.dir, 'init', '--quiet')
    await ws.write('.github/permission-snapshot.yml', yaml.dump({ sources: [demo.source] }))
    const run = (...args: string[]) => cliWithEnv(ws.dir, demo.env, 'run', ...args)
    const folder = `uipath/${String(demo.source.name)}`
    const archive = async () => {
      const tree = await readTree(path.join(ws.dir, 'snapshots'))
      const files = [...tree].filter(([file]) => file.startsWith(`${folder}/events/`))
      return files.flatMap(([, text]) => (yaml.load(text) as { events: { id: string }[] }).events)
    }

    const day1 = await run()
    expect(day1.stderr).not.toContain('warning')
    expect(day1.code).toBe(0)
    const first = await archive()
    const organization = first.filter((e) => e.id.startsWith('org-audit-'))
    expect(organization.length).toBeGreaterThan(5)
    expect(new Set(first.map((e) => e.id)).size).toBe(first.length)
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 1')

    const described = demo.day2().find((line) => line.includes('Organization Administrator'))!
    const [, actor, promoted] = /^UiPath: (.+) made (\S+) Organization Administrator/.exec(described)!
    const day2 = await run('--json', 'day2.json', '--report', 'day2.md')
    expect(day2.code).toBe(0)
    const report = JSON.parse(await readFile(path.join(ws.dir, 'day2.json'), 'utf8')) as JsonReport
    const item = report.attention.find((a) => a.message.startsWith(`${promoted} joined Administrators:`))!
    expect(item).toMatchObject({ severity: 'critical', rule: 'new-admin', by: { actor } })
    expect(item.by!.event).toMatch(/^org-audit-/)
    expect(await readFile(path.join(ws.dir, 'day2.md'), 'utf8')).toContain(`(by ${actor} at `)
    expect(day2.stdout).toContain(`(by ${actor} at `)
    const second = await archive()
    expect(second.filter((e) => e.id === item.by!.event)).toHaveLength(1)
    expect(second.length).toBeGreaterThan(first.length)
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 2')

    // The window overlaps the archive: every record is read again, and none is written twice.
    const day3 = await run()
    expect(day3.code).toBe(0)
    expect(await git(ws.dir, 'status', '--porcelain', '--', 'snapshots')).toBe('')
    expect(await archive()).toEqual(second)
  }, 60_000)
})
