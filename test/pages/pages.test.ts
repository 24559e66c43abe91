import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Snapshot } from '../../src/model/types.js'
import { createFormat } from '../../src/pages/format.js'
import { prepareState, renderPages } from '../../src/pages/pages.js'
import { isPage } from '../../src/store/page-files.js'
import { parseSnapshot, renderSnapshot } from '../../src/store/snapshot-files.js'
import { renderGfm, tagsOf, textOf } from '../report/gfm.js'
import { Random } from '../sim/random.js'
import { HOSTILE_STRINGS, shuffleDeep, snapshotArb } from '../store/arbitraries.js'

/** Two or three sources with distinct names, as a snapshot folder holds them. */
const folderArb = fc
  .array(snapshotArb, { minLength: 1, maxLength: 3 })
  .map((snapshots) =>
    snapshots.map((s, i) => ({ ...s, source: { type: i === 2 ? 'file' : 'github', name: `src-${i}` } }))
  )

const pages = (snapshots: readonly Snapshot[]) => renderPages(prepareState(snapshots))

/** A nested organization, with members of both parent and child, a base permission and hostile names. */
function org(): Snapshot {
  const hostile = '<img src=x onerror=alert(1)> | @everyone [x](javascript:alert(1)) **b** `c` \n# h'
  return {
    source: { type: 'github', name: 'acme' },
    principals: [
      { id: 'u1', name: 'alice', kind: 'user', email: 'alice@corp.example' },
      { id: 'u2', name: hostile, kind: 'user', active: false },
      { id: 'u3', name: 'deploy-bot', kind: 'bot' },
      { id: 'u4', name: 'newbie', kind: 'user', pending: true }
    ],
    groups: [
      { id: 'T1', name: 'Platform', members: [{ id: 'u1', role: 'maintainer' }] },
      {
        id: 'T2',
        name: `Payments ${hostile}`,
        parent: 'T1',
        members: [
          { id: 'u2', role: 'member' },
          { id: 'u1', role: 'member' }
        ]
      },
      { id: 'T3', name: 'Cycle A', parent: 'T4', members: [{ id: 'u3', role: 'member' }] },
      { id: 'T4', name: 'Cycle B', parent: 'T3', members: [] }
    ],
    roles: [
      { id: 'organization:owner', name: 'owner', permissions: [], privilege: 'owner' },
      { id: 'organization:member', name: 'member', permissions: [], privilege: 'read' },
      { id: 'repository:read', name: 'read', permissions: [], privilege: 'read', builtIn: true },
      { id: 'repository:write', name: 'write', permissions: [hostile], privilege: 'write', builtIn: true }
    ],
    scopes: [
      { id: 'O1', type: 'organization', name: 'acme', attributes: { 'members-privilege': 'read' } },
      { id: 'R1', type: 'repository', name: 'api', parent: 'O1' },
      { id: 'R2', type: 'repository', name: hostile, parent: 'O1' }
    ],
    grants: [
      { subject: { type: 'principal', id: 'u1' }, role: 'organization:owner', scope: 'O1' },
      { subject: { type: 'principal', id: 'u2' }, role: 'organization:member', scope: 'O1' },
      { subject: { type: 'principal', id: 'u3' }, role: 'organization:member', scope: 'O1' },
      { subject: { type: 'principal', id: 'u4' }, role: 'organization:member', scope: 'O1' },
      { subject: { type: 'group', id: 'T1' }, role: 'repository:write', scope: 'R1' },
      {
        subject: { type: 'group', id: 'T3' },
        role: 'repository:write',
        scope: 'R2',
        restrictions: { environments: [hostile] }
      }
    ]
  }
}

/** Every relative link of every page names a page of the set. */
function expectLinksResolve(files: Map<string, string>): void {
  for (const [path, text] of files) {
    const dir = path.split('/').slice(0, -1)
    for (const [, href] of renderGfm(text).matchAll(/<a href="([^"#]+)(?:#[^"]*)?"/g)) {
      const target = [...dir]
      for (const part of decodeURI(href!).split('/')) {
        if (part === '..') target.pop()
        else target.push(part)
      }
      expect(files.has(target.join('/')), `${path} links to ${href}`).toBe(true)
    }
  }
}

describe('state pages', () => {
  it('are the same bytes for the same state in any order (lists and keys shuffled)', () => {
    fc.assert(
      fc.property(folderArb, fc.integer(), (snapshots, seed) => {
        const random = new Random(seed)
        const shuffled = random.shuffle(snapshots.map((s) => shuffleDeep(s, random)))
        expect(pages(shuffled)).toEqual(pages(snapshots))
      }),
      { numRuns: 60 }
    )
  })

  it('read the same from the stored files as from the snapshot in memory', () => {
    fc.assert(
      fc.property(folderArb, (snapshots) => {
        const stored = snapshots.map((s) => parseSnapshot(renderSnapshot(s), s.source))
        expect(pages(stored)).toEqual(pages(snapshots))
      }),
      { numRuns: 40 }
    )
  })

  it('are written only to page paths, each a valid UTF-8 Markdown file ending in one newline', () => {
    fc.assert(
      fc.property(folderArb, (snapshots) => {
        for (const [path, text] of pages(snapshots)) {
          expect(isPage(path), path).toBe(true)
          expect(text.endsWith('\n') && !text.endsWith('\n\n'), path).toBe(true)
        }
      }),
      { numRuns: 40 }
    )
  })

  it('escape every system string: no HTML, no link, no mention, no broken table row', () => {
    // Checked on what GitHub shows (a GFM renderer), not on the raw text: the Markdown escapes only
    // what the renderer would misread, so `\\<img` may stand in the source and render as text.
    for (const [path, page] of pages([org()])) {
      const html = renderGfm(page)
      const tags = new Set(tagsOf(html))
      for (const tag of ['img', 'script', 'iframe', 'svg']) expect(tags.has(tag), `${path}: <${tag}>`).toBe(false)
      for (const [, href] of html.matchAll(/<a href="([^"]*)"/g))
        expect(href, path).not.toMatch(/^(javascript|https?):/i)
      expect(textOf(html), path).not.toContain('@everyone')
      // A hostile name cannot add a column or end a row: every rendered row has its header's cells.
      for (const table of html.split('<table>').slice(1)) {
        const rows = table.split('</table>')[0]!.split('<tr>').slice(1)
        const cells = rows.map((row) => (row.match(/<t[hd][ >]/g) ?? []).length)
        expect(new Set(cells).size, `${path}: ${cells.join(',')}`).toBe(1)
      }
    }
    const text = [...pages([org()]).values()].join('\n')
    expect(text).toContain('@\u200beveryone')
    // A hostile heading stays one heading.
    expect(text).not.toMatch(/^# h/m)
  })

  it('escape for plain text and Confluence storage too', () => {
    const state = prepareState([org()])
    const view = state.views[0]!
    const name = view.principal('u2')!.name
    const text = createFormat('text').paragraph(name)
    expect(text).not.toMatch(/\n.*\n\n/)
    const xhtml = createFormat('storage').paragraph([name, 'lone \ud800 surrogate', "it's"])
    expect(xhtml).toContain('&lt;img src=x onerror=alert(1)&gt;')
    expect(xhtml).not.toMatch(/<img/)
    expect(xhtml).toContain('\ufffd')
    expect(xhtml).toContain('&#39;')
  })

  it('show nested teams, the base permission, inherited and restricted grants, and mark accounts to review', () => {
    const page = pages([org()]).get('github/acme/README.md')!
    expect(page).toContain('| write | write | repository api | group Payments')
    expect(page).toContain('→ group Platform |')
    expect(page).toContain('| read | read | every repository under organization acme | base permission |')
    expect(page).toContain('Base permission: every member (3) holds read on every repository under it.')
    expect(page).toContain('| every member of organization acme, base permission | read | read |')
    expect(page).toContain('### deploy-bot (bot)')
    expect(page).toContain('Still holds access: review.')
    expect(page).toMatch(
      /Accounts to review: 1 inactive account and 1 active service account, bot or app still hold access/
    )
    // The pending invitation gets no base permission; the parent cycle ends.
    expect(page).toMatch(/### newbie \(pending invitation\)\n\nHighest privilege: read, 1 effective grant\./)
    expect(page).toContain('| write | write | repository')
  })

  it('split a source too large for one page into a page per group, scope and initial, linked both ways', () => {
    const limit = 3_000
    const files = renderPages(prepareState([org()]), limit)
    const people = renderPages(prepareState([org()]), 300)
    expect([...people.keys()]).toEqual(
      expect.arrayContaining(['people.md', 'people/a.md', 'people/d.md', 'people/n.md', 'people/other.md'])
    )
    expect(people.get('people.md')).toContain('- [A](people/a.md): 1 person')
    expect(people.get('people/a.md')).toMatch(
      /^Part of \[People across systems\]\(\.\.\/people\.md\)\.\n\n\| Person \| github\/acme \| Note \|/
    )
    const own = [...files.keys()].filter((p) => p.startsWith('github/acme/'))
    expect(own).toContain('github/acme/README.md')
    expect(own).toContain('github/acme/pages/groups/Platform.md')
    expect(own).toContain('github/acme/pages/scopes/repository/api.md')
    expect(own).toContain('github/acme/pages/people/a.md')
    expect(own.some((p) => p.startsWith('github/acme/pages/people/other'))).toBe(true)
    expectLinksResolve(files)
    expectLinksResolve(people)
    expect(files.get('github/acme/README.md')).toContain('[Platform](pages/groups/Platform.md)')
    expect(files.get('github/acme/pages/groups/Platform.md')).toMatch(
      /^Part of the page of \[github\/acme\]\(\.\.\/\.\.\/README\.md\)/
    )
  })

  it('write nothing when no source is stored', () => {
    expect(pages([])).toEqual(new Map())
  })

  it('name hostile sources and scopes only by their slugged file names', () => {
    for (const name of HOSTILE_STRINGS.slice(0, 40)) {
      const snapshot = { ...org(), scopes: org().scopes.map((s) => (s.id === 'R1' ? { ...s, name } : s)) }
      for (const path of renderPages(prepareState([snapshot]), 3_000).keys()) {
        expect(
          path.split('/').every((segment) => segment !== '..' && !segment.startsWith('.')),
          path
        ).toBe(true)
      }
    }
  })
})
