import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { HELP } from '../../src/cli/usage.js'
import { financeDay1, workspace, type Workspace } from '../pipeline/workspace.js'
import { cli } from './cli.js'

/** Names a spreadsheet would run as formulas, or that break naive CSV. */
const FORMULA = '=HYPERLINK("http://evil.example","click")'
const QUOTED = 'Doe, "Jr"\nsecond line'

describe('permission-snapshot show', () => {
  let ws: Workspace
  beforeAll(async () => {
    ws = await workspace()
    await ws.writeExport('finance', financeDay1())
    await ws.writeExport('hr', {
      principals: [
        { id: 'p1', name: 'dave', email: 'dave@example.com' },
        { id: 'p2', name: FORMULA },
        { id: 'p3', name: QUOTED },
        { id: 'p4', name: '-2+3', kind: 'service-account' },
        { id: 'p5', name: 'a-lice', active: false }
      ],
      roles: [{ id: 'viewer', name: '@SUM(1)', privilege: 'read' }],
      grants: [
        { principal: 'p1', role: 'viewer', scope: 'payroll' },
        { principal: 'p2', role: 'viewer', scope: 'payroll' },
        { principal: 'p3', role: 'viewer', scope: 'payroll' },
        { principal: 'p4', role: 'viewer', scope: 'payroll' },
        { principal: 'p5', role: 'viewer', scope: 'payroll' }
      ]
    })
    await ws.write(
      '.github/permission-snapshot.yml',
      yaml.dump({
        sources: [
          { type: 'file', name: 'finance', path: 'exports/finance.yaml' },
          { type: 'file', name: 'hr', path: 'exports/hr.yaml' }
        ],
        // alice is a-lice in HR: no shared address, so only the map can say so.
        identities: { 'Alice@Example.com': { 'file/hr': 'a-lice' } }
      })
    )
    const run = await cli(ws.dir, 'run')
    expect(run.code, run.stderr).toBe(0)
  })
  afterAll(() => ws.remove())

  it('prints one person across every system, joined by the identities map, with each account’s access', async () => {
    const [text, markdown, byLogin] = await Promise.all([
      cli(ws.dir, 'show', '--who', 'alice@example.com'),
      cli(ws.dir, 'show', '--who', 'Alice@Example.com', '--format', 'markdown'),
      cli(ws.dir, 'show', '--who', 'a-lice')
    ])
    expect(text.code, text.stderr).toBe(0)
    expect(text.stdout).toContain('Alice@Example.com\n=================')
    expect(text.stdout).toMatch(/file\/finance\s+alice\s+admin/)
    expect(text.stdout).toMatch(/file\/hr\s+a-lice \(inactive\)\s+read/)
    expect(text.stdout).toMatch(/admin\s+Administrator\s+ledger ledger-EU\s+group Finance Admins/)
    expect(byLogin.stdout).toBe(text.stdout)
    // An email address mentions nobody: its `@` is escaped (no mailto link), with no zero-width space.
    expect(markdown.stdout).toMatch(/^# Alice\\@Example\.com\n/)
    expect(markdown.stdout).toContain('| admin | Administrator | ledger ledger-EU | group Finance Admins |')
  })

  it('prints a source, a scope, and the index with the people page', async () => {
    const [source, scope, all] = await Promise.all([
      cli(ws.dir, 'show', '--source', 'file/finance', '--format', 'markdown'),
      cli(ws.dir, 'show', '--scope', 'LEDGER-eu'),
      cli(ws.dir, 'show', '--format', 'markdown')
    ])
    const page = await readFile(path.join(ws.dir, 'snapshots/file/finance/README.md'), 'utf8')
    // The same view as the committed page.
    expect(source.stdout).toBe(page)
    expect(scope.stdout).toMatch(/^file\/finance\n-+\n\nledger ledger-EU\n\nParent: none\.\n\n/)
    expect(scope.stdout).toMatch(/group Finance Admins\s+Administrator\s+admin/)
    expect(all.stdout).toContain('# Permission snapshots')
    expect(all.stdout).toContain('# People across systems')
  })

  it('writes CSV with one row per effective grant, RFC 4180 quoting and formulas defused', async () => {
    const csv = await cli(ws.dir, 'show', '--source', 'file/hr', '--format', 'csv')
    expect(csv.code, csv.stderr).toBe(0)
    const lines = csv.stdout.split('\r\n')
    expect(lines[0]).toBe('person,source,account,scope,role,privilege,via,restrictions')
    expect(csv.stdout.endsWith('\r\n')).toBe(true)
    expect(csv.stdout).toContain(
      `"'=HYPERLINK(""http://evil.example"",""click"")",file/hr,"'=HYPERLINK(""http://evil.example"",""click"")",scope payroll,'@SUM(1),read,direct,\r\n`
    )
    expect(csv.stdout).toContain(`'-2+3,file/hr,'-2+3,scope payroll,'@SUM(1),read,direct,\r\n`)
    expect(csv.stdout).toContain(`"Doe, ""Jr""\nsecond line",file/hr,"Doe, ""Jr""\nsecond line",scope payroll,`)
    expect(csv.stdout).toContain(`Alice@Example.com,file/hr,a-lice,scope payroll,'@SUM(1),read,direct,\r\n`)
    // Five grants, a header, and the empty string after the last line end; the quoted line break is inside a field.
    expect(parseCsv(csv.stdout)).toHaveLength(6)
  })

  it('writes JSON rows with ids beside names', async () => {
    const json = await cli(ws.dir, 'show', '--who', 'dave', '--format', 'json')
    expect(JSON.parse(json.stdout)).toEqual({
      grants: [
        {
          person: 'dave@example.com',
          source: 'file/hr',
          account: 'dave',
          accountId: 'p1',
          scope: 'scope payroll',
          scopeId: 'payroll',
          role: '@SUM(1)',
          roleId: 'viewer',
          privilege: 'read',
          via: 'direct',
          restrictions: ''
        }
      ]
    })
  })

  it('says when nothing matches, and when the folder holds no snapshot', async () => {
    const [nobody, noScope, badSource, empty, badFormat, help] = await Promise.all([
      cli(ws.dir, 'show', '--who', 'mallory'),
      cli(ws.dir, 'show', '--scope', 'nowhere'),
      cli(ws.dir, 'show', '--source', 'github/acme'),
      cli(ws.dir, 'show', '--dir', 'exports'),
      cli(ws.dir, 'show', '--format', 'xml'),
      cli(ws.dir, 'show', '--help')
    ])
    expect(nobody).toEqual({
      code: 1,
      stdout: '',
      stderr: 'permission-snapshot show: nobody matches --who "mallory"\n'
    })
    expect(noScope).toEqual({ code: 1, stdout: '', stderr: 'permission-snapshot show: no scope is named "nowhere"\n' })
    expect(badSource.code).toBe(2)
    expect(badSource.stderr).toContain(
      '--source github/acme: not stored under snapshots; stored: file/finance, file/hr'
    )
    expect(empty.code).toBe(2)
    expect(empty.stderr).toContain('no stored snapshot under exports')
    expect(badFormat.code).toBe(2)
    expect(help).toEqual({ code: 0, stdout: HELP.show, stderr: '' })
  })
})

/** A strict RFC 4180 reader: records split on CRLF outside quotes. */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (c === '"') quoted = false
      else field += c
    } else if (c === '"') quoted = true
    else if (c === ',') {
      record.push(field)
      field = ''
    } else if (c === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += c
  }
  return records
}
