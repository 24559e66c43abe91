import yaml from 'js-yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { publishToConfluence, storageContent, type ConfluenceSettings } from '../../src/confluence/publish.js'
import type { Snapshot } from '../../src/model/types.js'
import { prepareState, type State } from '../../src/pages/pages.js'
import { silentLogger } from '../../src/util/log.js'
import { cli } from '../cli/cli.js'
import { financeDay1, workspace, type Workspace } from '../pipeline/workspace.js'
import { ConfluenceSim, type SimPage } from '../sim/confluence/server.js'

const HOSTILE = `<ac:structured-macro ac:name="html"><ac:plain-text-body><![CDATA[<script>alert(1)</script>]]></ac:plain-text-body></ac:structured-macro> & O'Brien "q"`

function state(extra = ''): State {
  const snapshot: Snapshot = {
    source: { type: 'github', name: 'acme' },
    principals: [
      { id: 'u1', name: 'alice', kind: 'user', email: 'alice@corp.example' },
      { id: 'u2', name: `${HOSTILE}${extra}`, kind: 'bot' }
    ],
    groups: [
      {
        id: 'T1',
        name: `Team ${HOSTILE}`,
        members: [
          { id: 'u1', role: 'maintainer' },
          { id: 'u2', role: 'member' }
        ]
      }
    ],
    roles: [{ id: 'write', name: 'write', permissions: ['push'], privilege: 'write' }],
    scopes: [{ id: 'R1', type: 'repository', name: `repo ${HOSTILE}` }],
    grants: [{ subject: { type: 'group', id: 'T1' }, role: 'write', scope: 'R1' }]
  }
  return prepareState([snapshot])
}

const ENV = { CONF_USER: 'bot@example.com', CONF_TOKEN: 'atl-token-1' }

describe('Confluence publisher against the Confluence Cloud v2 simulator', () => {
  let sim: ConfluenceSim
  let space: string
  let page: SimPage
  beforeEach(async () => {
    sim = new ConfluenceSim()
    await sim.start()
    space = sim.addSpace('SEC', 'Security')
    page = sim.addPage(space, 'Access: GitHub acme')
  })
  afterEach(() => sim.stop())

  const settings = (pages: ConfluenceSettings['pages']): ConfluenceSettings => ({
    url: `${sim.url}/wiki/`,
    'user-env': 'CONF_USER',
    'token-env': 'CONF_TOKEN',
    pages
  })
  const publish = (pages: ConfluenceSettings['pages'], s = state(), env: NodeJS.ProcessEnv = ENV) =>
    publishToConfluence(settings(pages), s, env, silentLogger)

  it('updates a page by id: the next version, the title kept, the state page in storage format', async () => {
    const [result] = await publish([{ 'page-id': page.id, source: 'github/acme' }])
    expect(result).toEqual({
      content: 'github/acme',
      pageId: page.id,
      title: 'Access: GitHub acme',
      outcome: 'updated',
      version: 2
    })
    expect(page.title).toBe('Access: GitHub acme')
    expect(page.version.number).toBe(2)
    expect(page.body).toContain('<h1>github/acme</h1>')
    expect(page.body).toContain('<h2>Effective access by person</h2>')
    expect(page.body).toContain('<td>write</td>')
    const put = sim.server.requests.filter((r) => r.method === 'PUT')
    expect(put.map((r) => r.path)).toEqual([`/wiki/api/v2/pages/${page.id}`])
  })

  it('escapes hostile names in storage format: no macro, no element, no entity comes from data', async () => {
    await publish([{ 'page-id': page.id, source: 'github/acme' }])
    // The simulator rejects a body that is not well-formed and records every non-XHTML element it sees.
    expect(sim.foreignElements).toEqual([])
    expect(page.body).not.toContain('<ac:')
    expect(page.body).not.toContain('<script')
    expect(page.body).not.toContain('<![CDATA[')
    expect(page.body).toContain('&lt;ac:structured-macro ac:name=&quot;html&quot;&gt;')
    expect(page.body).toContain('&amp; O')
    // And the overview page (index and people) too.
    const overview = sim.addPage(space, 'Access: everything')
    await publish([{ 'page-id': overview.id }])
    expect(sim.foreignElements).toEqual([])
    expect(overview.body).toContain('<h1>People across systems</h1>')
  })

  it('does not rewrite an unchanged page, though Confluence stores it normalised; rewrites it after a hand edit', async () => {
    await publish([{ 'page-id': page.id, source: 'github/acme' }])
    // Confluence rewrote &#39; as an apostrophe: byte comparison alone would rewrite the page every day.
    expect(page.body).not.toBe(storageContent(state(), 'github/acme'))
    const [again] = await publish([{ 'page-id': page.id, source: 'github/acme' }])
    expect(again!.outcome).toBe('unchanged')
    expect(page.version.number).toBe(2)
    expect(sim.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1)

    sim.editByHand(page, '<p>edited in the browser</p>')
    const [restored] = await publish([{ 'page-id': page.id, source: 'github/acme' }])
    expect(restored).toMatchObject({ outcome: 'updated', version: 4 })

    // A real change of state is written.
    const [changed] = await publish([{ 'page-id': page.id, source: 'github/acme' }], state(' renamed'))
    expect(changed).toMatchObject({ outcome: 'updated', version: 5 })
    expect(page.history).toHaveLength(5)
  })

  it('reads the page again when someone saved it between our read and our write (409), and gives up after twice', async () => {
    let edits = 1
    sim.beforeUpdate = (p) => {
      if (edits-- > 0) sim.editByHand(p, '<p>concurrent edit</p>')
    }
    const [result] = await publish([{ 'page-id': page.id, source: 'github/acme' }])
    expect(result).toMatchObject({ outcome: 'updated', version: 3 })
    expect(sim.server.requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([409, 200])

    sim.beforeUpdate = (p) => sim.editByHand(p, '<p>busy page</p>')
    await expect(publish([{ 'page-id': page.id, source: 'github/acme' }], state(' changed'))).rejects.toThrow(
      `Confluence: page ${page.id} was edited again while it was being written`
    )
  })

  it('fails on a wrong token with a line naming the variables, never the token', async () => {
    const error = await publish([{ 'page-id': page.id }], state(), { ...ENV, CONF_TOKEN: 'wrong-secret-token' }).catch(
      (e: Error) => e
    )
    expect(error).toBeInstanceOf(Error)
    const message = (error as Error).message
    expect(message).toMatch(new RegExp(`^Confluence: GET /wiki/api/v2/pages/${page.id} answered 401`))
    expect(message).toContain('Check CONF_USER')
    expect(message).toContain('CONF_TOKEN')
    expect(message).not.toContain('wrong-secret-token')
    expect(message).not.toContain('\n')
    expect(page.version.number).toBe(1)
  })

  it('fails before any request when the credentials are not set, and on an account that may not edit', async () => {
    await expect(publish([{ 'page-id': page.id }], state(), {})).rejects.toThrow(
      /^Confluence: CONF_USER and CONF_TOKEN not set/
    )
    expect(sim.server.requests).toHaveLength(0)
    sim.accounts.push({ email: 'reader@example.com', token: 'atl-read', readOnly: true })
    await expect(
      publish([{ 'page-id': page.id }], state(), { CONF_USER: 'reader@example.com', CONF_TOKEN: 'atl-read' })
    ).rejects.toThrow(/answered 403.*may not edit this page/)
  })

  it('finds a page by title in a space, or creates it there', async () => {
    const [found] = await publish([{ space: 'SEC', title: 'Access: GitHub acme', source: 'github/acme' }])
    expect(found).toMatchObject({ pageId: page.id, outcome: 'updated', version: 2 })
    const [created] = await publish([{ space: 'SEC' }])
    expect(created).toMatchObject({ title: 'Permissions: all systems', outcome: 'created', version: 1 })
    // A created page carries no version message to mark it as ours: the next run marks it, once.
    expect((await publish([{ space: 'SEC' }]))[0]).toMatchObject({ pageId: created!.pageId, outcome: 'updated' })
    expect((await publish([{ space: 'SEC' }]))[0]).toMatchObject({ pageId: created!.pageId, outcome: 'unchanged' })
    await expect(publish([{ space: 'NOPE' }])).rejects.toThrow('Confluence: no space with the key "NOPE"')
  })
})

describe('permission-snapshot publish-pages', () => {
  let sim: ConfluenceSim
  let ws: Workspace
  beforeEach(async () => {
    sim = new ConfluenceSim()
    await sim.start()
    ws = await workspace()
    Object.assign(process.env, ENV)
  })
  afterEach(async () => {
    delete process.env.CONF_USER
    delete process.env.CONF_TOKEN
    await Promise.all([sim.stop(), ws.remove()])
  })

  it('publishes the stored state to the pages the config names, and nothing when it is unchanged', async () => {
    const space = sim.addSpace('SEC')
    const page = sim.addPage(space, 'Finance access')
    await ws.writeExport('finance', financeDay1())
    await ws.write(
      '.github/permission-snapshot.yml',
      yaml.dump({
        sources: [{ type: 'file', name: 'finance', path: 'exports/finance.yaml' }],
        confluence: {
          url: sim.url,
          'user-env': 'CONF_USER',
          'token-env': 'CONF_TOKEN',
          pages: [{ 'page-id': page.id, source: 'file/finance' }, { space: 'SEC' }]
        }
      })
    )
    expect((await cli(ws.dir, 'run')).code).toBe(0)
    const first = await cli(ws.dir, 'publish-pages')
    expect(first.stderr).toContain(`Confluence: file/finance → page ${page.id} "Finance access": updated (version 2)`)
    expect(first).toMatchObject({ code: 0 })
    expect(first.stdout).toMatch(
      /^file\/finance: page \d+ updated \(version 2\)\noverview: page \d+ created \(version 1\)\n$/
    )
    expect(page.body).toContain('<h1>file/finance</h1>')
    await cli(ws.dir, 'publish-pages')
    const third = await cli(ws.dir, 'publish-pages')
    expect(third.stdout).toMatch(/^file\/finance: page \d+ unchanged \(version 2\)\noverview: page \d+ unchanged/)

    delete process.env.CONF_TOKEN
    const missing = await cli(ws.dir, 'publish-pages')
    expect(missing).toMatchObject({ code: 1, stdout: '' })
    expect(missing.stderr).toMatch(/^permission-snapshot publish-pages: Confluence: CONF_TOKEN not set/)
  })
})
