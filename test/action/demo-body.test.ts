/**
 * The offline demo as a new user runs it (`npm run demo`: every simulator, two
 * days, the bundled action publishing to a simulated GitHub), and the day-2
 * pull request body it ends with, rendered by a GitHub-flavoured Markdown
 * renderer: what a reviewer reads must carry no stray escape characters and
 * no invisible characters inside email addresses.
 */
import { execFile } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'
import { beforeAll, describe, expect, it } from 'vitest'
import { renderGfm, tagsOf, textOf } from '../report/gfm.js'

const exec = promisify(execFile)
const REPO = path.resolve(import.meta.dirname, '../..')

describe('the demo’s day-2 pull request', () => {
  let stderr: string
  let body: string
  let text: string
  beforeAll(async () => {
    const demo = await exec(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: REPO,
      maxBuffer: 64 << 20,
      timeout: 240_000
    })
    stderr = demo.stderr
    const received = demo.stdout.split('\n== The pull request the simulated GitHub received: ')
    expect(received).toHaveLength(2)
    // Title line, blank line, then the body to the end.
    body = received[1]!.split('\n').slice(3).join('\n')
    text = textOf(renderGfm(body))
  }, 300_000)

  it('reads without a stray escape character', () => {
    expect(body).toContain('## New since the last run')
    // A backslash before punctuation is an escape the renderer did not consume.
    expect(text).not.toMatch(/\\[!-/:-@[-`{-~]/)
    expect(text).toContain(
      'frances-thompson-3 changed from member (read) to owner on organization acme (by ken-hopper-0 at '
    )
  })

  it('shows email addresses whole: no zero-width character in them, and no mail link', () => {
    const emails = text.match(/[\w.+-]+@[\u200b-\u200d\u2060\ufeff]*[\w-]+(?:\.[\w-]+)+/g) ?? []
    for (const email of [
      'hana.silva@acme.example',
      'nina.newadmin@example.com',
      'ivan@example.com',
      'ben@acme.example'
    ])
      expect(emails).toContain(email)
    expect(emails.filter((email) => /[\u200b-\u200d\u2060\ufeff]/.test(email))).toEqual([])
    expect(tagsOf(renderGfm(body))).not.toContain('a')
  })

  it('marks severity at a glance and has no column that is empty in every row', () => {
    expect(body).toMatch(/^- 🔴 \*\*Critical\*\* /m)
    expect(body).toMatch(/^- 🟠 \*\*High\*\* /m)
    expect(body).toMatch(/^- 🟡 \*\*Medium\*\* /m)
    const html = renderGfm(body)
    for (const table of html.match(/<table>[\s\S]*?<\/table>/g) ?? []) {
      const rows = (table.match(/<tbody>[\s\S]*<\/tbody>/)?.[0].match(/<tr>[\s\S]*?<\/tr>/g) ?? []).map((row) =>
        (row.match(/<td[^>]*>([\s\S]*?)<\/td>/g) ?? []).map((cell) => textOf(cell).trim())
      )
      const columns = rows[0]?.length ?? 0
      for (let i = 0; i < columns; i++) expect(rows.some((row) => row[i] !== '')).toBe(true)
    }
  })

  it('logs counts in the right number', () => {
    expect(stderr).toContain('Reading 6 sources from')
    expect(stderr).not.toMatch(
      /\b1 (principals|groups|roles|scopes|grants|events|requests|sources|queries|points)\b|\(s\)/
    )
  })
})
