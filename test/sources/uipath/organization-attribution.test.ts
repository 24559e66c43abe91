/**
 * The organization audit through the daily pipeline: a new Organization
 * Administrator (a member added to the Administrators group, which holds the
 * tenant's Administrator role) is attributed to the organization audit record
 * that made it, and that record's hostile strings reach no report unescaped.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../../src/config/load.js'
import { runSnapshot } from '../../../src/pipeline/run.js'
import { escapeMarkdown, plainText } from '../../../src/report/markdown-escape.js'
import { renderGfm, tagsOf } from '../../report/gfm.js'
import { renderJson, renderMarkdown, renderText } from '../../../src/report/render.js'
import { readEvents } from '../../../src/store/disk.js'
import { silentLogger } from '../../../src/util/log.js'
import { addAdministratorsGroup, makeOrganizationAdministrator } from '../../sim/uipath/changes.js'
import { displayName } from '../../sim/uipath/platform-audit.js'
import type { UipathSim } from '../../sim/uipath/server.js'
import { ENV, startSim } from './helpers.js'

/** Markdown, HTML and a mass mention, as a display name may hold them. */
const HOSTILE_NAME = ['@channel <img src=x onerror=alert(1)>', '**[urgent](https://evil.example)** `rm`']

describe('UiPath organization audit: who made an organization-level change', () => {
  let sim: UipathSim
  let root: string
  afterEach(async () => {
    await sim.stop()
    await rm(root, { recursive: true, force: true })
  })

  it('attributes a new Organization Administrator to the actor of the audit record, escaped in every report', async () => {
    sim = await startSim({}, { platformAuditLogs: 20, historyDays: 5 }, (data) => {
      const [orgAdmin] = data.accounts.filter((a) => a.Type === 'DirectoryUser')
      ;[orgAdmin!.Name, orgAdmin!.Surname] = HOSTILE_NAME
      addAdministratorsGroup(data, [orgAdmin!])
    })
    const [orgAdmin, promoted] = sim.data.accounts.filter((a) => a.Type === 'DirectoryUser')
    root = await mkdtemp(join(tmpdir(), 'uipath-org-audit-'))
    const config = parseConfig(
      {
        sources: [
          { type: 'uipath', name: 'acme', url: sim.url, 'client-id-env': 'UIP_ID', 'client-secret-env': 'UIP_SECRET' }
        ]
      },
      'test.yml'
    )
    const run = () => runSnapshot({ config, root, env: ENV, log: silentLogger })
    expect((await run()).failed).toBe(false)
    const archived = (await readEvents(root, { type: 'uipath', name: 'acme' })).filter((e) =>
      e.id.startsWith('org-audit-')
    )
    expect(archived).toHaveLength(sim.data.platformAudit.length)

    const record = makeOrganizationAdministrator(sim.data, orgAdmin!, promoted!)
    const day2 = await run()
    expect(day2.failed).toBe(false)

    const json = renderJson(day2.report)
    const item = json.attention.find((a) => a.message.includes(`${promoted!.UserName} joined Administrators:`))!
    expect(item).toMatchObject({ severity: 'critical', rule: 'new-admin', source: 'uipath/acme' })
    expect(item.message).toContain('Administrator (owner) on tenant')
    const actor = displayName(orgAdmin!)
    expect(record.userName).toBe(actor)
    expect(item.by).toEqual({
      actor: plainText(actor),
      time: new Date(Date.parse(record.createdOn)).toISOString(),
      event: expect.stringMatching(/^org-audit-/)
    })

    const markdown = renderMarkdown(day2.report)
    const line = markdown.split('\n').find((l) => l.includes(`joined Administrators`))!
    expect(line).toContain(`(by ${escapeMarkdown(actor)} at `)
    // Rendered as GitHub would, the actor's name adds no element: no image, no link, no code.
    expect(tagsOf(renderGfm(line))).toEqual(['ul', 'li', 'strong'])
    // No mention: every `@` that starts a word carries a zero-width space (an email's `@` is escaped instead).
    expect(line).not.toMatch(/(?<![A-Za-z0-9_\\])@(?!\u200b)/)
    expect(line).not.toContain('**[urgent]')
    expect(line).not.toContain('`rm`')
    const text = renderText(day2.report)
    expect(text).toContain(`(by ${plainText(actor)} at `)

    // The archive keeps the record with its original time, once, however often the window is read.
    const again = await run()
    expect(again.changed).toEqual([])
    const stored = (await readEvents(root, { type: 'uipath', name: 'acme' })).filter((e) => e.id === item.by!.event)
    expect(stored).toHaveLength(1)
    expect(stored[0]!.details?.['created-on']).toBe(record.createdOn)
    expect(stored[0]!.message).toBe(record.message)
  })
})
