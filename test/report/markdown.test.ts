import { describe, expect, it } from 'vitest'
import type { Grant, Snapshot } from '../../src/model/types.js'
import { renderMarkdown } from '../../src/report/render.js'
import type { Report } from '../../src/report/types.js'
import { events, outcome, today, yesterday } from './fixtures.js'
import { renderGfm, tagsOf, textOf } from './gfm.js'

const report = (outcomes: Report['outcomes']): Report => ({ outcomes, massRemovalThreshold: 0.25 })

describe('renderMarkdown', () => {
  it('starts with a line per source, then Needs attention, then details with names', () => {
    const md = renderMarkdown(
      report([
        outcome(yesterday(), today(), { events }),
        outcome(undefined, { ...yesterday(), source: { type: 'file', name: 'hr' } }),
        outcome(yesterday(), yesterday(), { source: { type: 'github', name: 'quiet' } })
      ])
    )
    const lines = md.split('\n')
    expect(lines.slice(0, 6)).toEqual([
      '## Permission changes',
      '',
      '- **github/acme**: 3 grants added, 2 changed, 3 members changed, 2 principals added, 1 changed, 1 role changed',
      '- **file/hr**: baseline: 5 principals, 2 groups, 5 roles, 3 scopes, 7 grants',
      '- **github/quiet**: no changes',
      ''
    ])
    expect(md.indexOf('### Needs attention')).toBeLessThan(md.indexOf('### Details'))
    expect(md).toContain(
      '- 🟠 **High** github/acme: bob changed from write to admin on repository api (by alice at 2025-03-02T10:00:00Z)'
    )
    // Every grant of the table is direct: no Via column saying so on every row.
    expect(md).toContain(
      '| Subject | Scope | Change |\n| --- | --- | --- |\n| bob | repository api | role write → admin |'
    )
    // Ids appear only to prove a rename.
    expect(md).toContain('| carol-renamed | renamed carol → carol-renamed (id U3) |')
    expect(md).not.toMatch(/\bU2\b/)
    // A baseline is summarized, not listed.
    expect(md).toContain('First snapshot of this source')
    expect(md.match(/\*\*Grants added/g)).toHaveLength(1)
  })

  it('marks each severity so the levels tell apart without reading the word, in the text too', () => {
    const after = yesterday()
    after.grants.push(
      { subject: { type: 'principal', id: 'U3' }, role: 'owner', scope: 'O1' },
      { subject: { type: 'principal', id: 'B1' }, role: 'admin', scope: 'P2' }
    )
    after.principals.push({ id: 'X2', name: 'contractor', kind: 'user', external: true })
    after.grants.push({ subject: { type: 'principal', id: 'X2' }, role: 'read', scope: 'P2' })
    const items = renderMarkdown(report([outcome(yesterday(), after)]))
      .split('\n')
      .filter((line) => line.startsWith('- ') && line.includes('github/acme:'))
    expect(items.map((line) => line.slice(0, 4))).toEqual(['- 🔴', '- 🟠', '- 🟡'])
    expect(items.map((line) => /\*\*(\w+)\*\*/.exec(line)![1])).toEqual(['Critical', 'High', 'Medium'])
    // Rendered, the marker and the level read together.
    expect(textOf(renderGfm(items.join('\n')))).toContain('🔴 Critical github/acme: carol granted owner')
  })

  it('shows a column only when some row has something to say in it', () => {
    const plain = yesterday()
    plain.grants.push({ subject: { type: 'principal', id: 'U3' }, role: 'write', scope: 'P2' })
    const header = (md: string) => md.split('\n')[md.split('\n').indexOf('**Grants added (1)**') + 2]
    expect(header(renderMarkdown(report([outcome(yesterday(), plain)])))).toBe('| Subject | Role | Scope |')
    const inherited = yesterday()
    inherited.grants.push({
      subject: { type: 'principal', id: 'U3' },
      role: 'write',
      scope: 'P2',
      via: 'team:T1',
      restrictions: { environments: ['Production'] }
    })
    const md = renderMarkdown(report([outcome(yesterday(), inherited)]))
    expect(header(md)).toBe('| Subject | Role | Scope | Via | Restrictions |')
    expect(md).toContain('| carol | write | repository web | group devs | environments: Production |')
  })

  it('says a dry run wrote nothing, and never that it recorded a baseline', () => {
    const dry = { ...report([outcome(undefined, yesterday())]), dryRun: true }
    const md = renderMarkdown(dry)
    expect(md).toContain('**Note:** Dry run: nothing was written.')
    expect(md).toContain('a run would record it as the baseline')
    expect(md).not.toMatch(/recorded/)
    expect(renderMarkdown(report([outcome(undefined, yesterday())]))).toContain('recorded as the baseline')
  })

  it('says so when nothing needs attention', () => {
    expect(renderMarkdown(report([outcome(yesterday(), yesterday())]))).toContain('_Nothing needs attention._')
  })

  it('leads a rolling PR with one Needs attention over everything awaiting review, marking what is new', () => {
    // Day 2 (the previous run, not merged): carol made an owner. Day 3 (today): a new outside collaborator.
    const day2 = yesterday()
    day2.grants.push({ subject: { type: 'principal', id: 'U3' }, role: 'owner', scope: 'O1' })
    const day3 = structuredClone(day2)
    day3.principals.push({ id: 'X2', name: 'contractor', kind: 'user', external: true })
    day3.grants.push({ subject: { type: 'principal', id: 'X2' }, role: 'write', scope: 'P2' })
    const md = renderMarkdown(report([outcome(day2, day3)]), {
      title: 'Daily permission snapshot',
      awaiting: report([outcome(yesterday(), day3)]),
      previouslyAwaiting: report([outcome(yesterday(), day2)]),
      notices: ['The baseline of github/acme is not merged yet.']
    })
    expect(
      md.startsWith('## Daily permission snapshot\n\n**Note:** The baseline of github/acme is not merged yet.\n')
    ).toBe(true)
    expect(md.match(/### Needs attention/g)).toHaveLength(1)
    const attention = md.indexOf('### Needs attention')
    const newSince = md.indexOf('## New since the last run')
    const awaiting = md.indexOf('## All changes awaiting review')
    expect(attention).toBeLessThan(newSince)
    expect(newSince).toBeLessThan(awaiting)
    const first = md.slice(attention, newSince)
    expect(first).toContain('everything merging this pull request would accept')
    // Yesterday's critical change is still waiting: it leads, unmarked; today's item is marked.
    expect(first).toContain('- 🔴 **Critical** github/acme: carol granted owner on organization acme\n')
    expect(first).toContain(
      '- 🟡 **Medium** github/acme: new outside collaborator contractor with write on repository web — *new since the last run*\n'
    )
    expect(first.indexOf('**Critical**')).toBeLessThan(first.indexOf('**Medium**'))
    // Each section keeps its own summary line and details.
    expect(md.slice(newSince, awaiting)).toContain('- **github/acme**: 1 grant added, 1 principal added')
    expect(md.slice(awaiting)).toContain('- **github/acme**: 2 grants added, 1 principal added')
  })

  it('keeps every critical and high item of a rolling PR within the length limit', () => {
    const before: Snapshot = { ...yesterday(), grants: [] }
    const after: Snapshot = { ...yesterday(), grants: [] }
    for (let i = 0; i < 3000; i++) {
      const id = `U${1000 + i}`
      before.principals.push({ id, name: `user-${i}`, kind: 'user' })
      after.principals.push({ id, name: `user-${i}-renamed`, kind: 'user' })
      after.grants.push({ subject: { type: 'principal', id }, role: i < 5 ? 'owner' : 'read', scope: 'O1' })
    }
    const big = report([outcome(before, after)])
    const md = renderMarkdown(big, { awaiting: big, previouslyAwaiting: report([outcome(before, before)]) })
    expect(md.length).toBeLessThanOrEqual(65_536)
    for (let i = 0; i < 5; i++)
      expect(md).toContain(
        `- 🔴 **Critical** github/acme: user-${i}-renamed granted owner on organization acme — *new since`
      )
    expect(md.indexOf('**Critical**')).toBeLessThan(md.indexOf('## New since the last run'))
  })

  it('escapes hostile names everywhere and mentions nobody', () => {
    const hostile = '<img src=x onerror=alert(1)>[x](javascript:alert(1)) @everyone | a | b | ``` <!--'
    const after = today()
    after.principals.push({ id: 'H1', name: hostile, kind: 'bot', displayName: '@acme/admins' })
    after.groups.push({ id: 'H2', name: `${hostile}\n# heading`, members: [{ id: 'H1', role: 'member' }] })
    after.scopes.push({ id: 'H3', type: 'repository', name: hostile })
    after.roles.push({ id: 'H4', name: hostile, permissions: [hostile], privilege: 'admin' })
    after.grants.push({
      subject: { type: 'principal', id: 'H1' },
      role: 'H4',
      scope: 'H3',
      restrictions: { [hostile]: [hostile] }
    })
    const md = renderMarkdown(
      report([
        outcome(yesterday(), after, {
          notes: [hostile],
          events: [
            {
              id: 'h',
              time: hostile,
              actor: { name: hostile },
              action: 'x',
              target: { name: hostile },
              details: { r: hostile }
            }
          ]
        })
      ])
    )
    // A mention only where GitHub would read one: every `@` that starts a word carries a zero-width space.
    expect(md).toContain('@\u200beveryone')
    expect(md).not.toMatch(/(?<![A-Za-z0-9_\\])@(?!\u200b)/)
    // Rendered, the body holds only the report's own elements: no link, image, HTML, code or heading from a name.
    const html = renderGfm(md)
    const own = ['h2', 'h3', 'h4', 'p', 'ul', 'li', 'strong', 'em', 'table', 'thead', 'tbody', 'tr', 'th', 'td']
    expect(tagsOf(html).filter((tag) => !own.includes(tag))).toEqual([])
    expect(textOf(html)).toContain('<img src=x onerror=alert(1)>[x](javascript:alert(1))')
    expect(md).not.toMatch(/^# heading/m)
    // Table rows keep their column count: every `|` inside a cell is escaped.
    const pipes = (line: string) => line.replace(/\\\|/g, '').split('|').length
    let columns = 0
    for (const [i, line] of md.split('\n').entries()) {
      if (!line.startsWith('| ')) continue
      if (md.split('\n')[i + 1]?.startsWith('| ---')) columns = pipes(line)
      else expect(pipes(line)).toBe(columns)
    }
    expect(md).toContain('onerror')
  })

  it('stays under the length limit with a huge change set, saying what it left out and where', () => {
    const before: Snapshot = { ...yesterday(), grants: [] }
    const after: Snapshot = { ...yesterday(), grants: [] }
    for (let i = 0; i < 3000; i++) {
      const id = `U${1000 + i}`
      before.principals.push({ id, name: `user-${i}`, kind: i % 50 === 0 ? 'bot' : 'user' })
      after.principals.push({ id, name: `user-${i}-renamed`, kind: i % 50 === 0 ? 'bot' : 'user' })
      const grant: Grant = { subject: { type: 'principal', id }, role: 'read', scope: 'P1' }
      before.grants.push({ ...grant, scope: 'P2' })
      after.grants.push(grant, { ...grant, role: i % 10 === 0 ? 'admin' : 'write', scope: 'O1' })
    }
    const big = report([outcome(before, after)])
    expect(renderMarkdown(big).length).toBeLessThanOrEqual(65_536)
    const md = renderMarkdown(big, { maxLength: 60_000 })
    expect(md.length).toBeLessThanOrEqual(60_000)
    expect(md).toContain('## Permission changes')
    expect(md).toContain('### Needs attention')
    // The most dangerous things stay.
    expect(md).toContain('**High** github/acme: bot user-0-renamed granted admin on organization acme')
    expect(md).toContain('| user-10-renamed | admin | organization acme |')
    // The least dangerous section goes first, replaced by a line that says what and where.
    expect(md).toContain(
      '_Principal changes (3000) left out to fit the length limit: see the Files changed tab: snapshots/github/acme/_'
    )
    expect(md).not.toContain('renamed user-0 → user-0-renamed')

    // Even the attention list is cut when it alone is too long, keeping the most dangerous items.
    const tight = renderMarkdown(big, { maxLength: 5_000 })
    expect(tight.length).toBeLessThanOrEqual(5_000)
    expect(tight).toContain('- 🟠 **High** github/acme: 3000 of 3000 grants')
    expect(tight).toMatch(
      /_\d+ less severe items needing attention left out to fit the length limit: see the Files changed tab \(snapshots\/\)\._/
    )
    expect(renderMarkdown(big, { maxLength: 500 }).length).toBeLessThanOrEqual(500)
  })

  it('cuts long tables to a fixed number of rows, pointing at the files', () => {
    const after = yesterday()
    for (let i = 0; i < 250; i++) after.principals.push({ id: `N${i}`, name: `new-${i}`, kind: 'user' })
    const md = renderMarkdown(report([outcome(yesterday(), after)]))
    expect(md).toContain('**Principals added (250)**')
    expect(md).toContain('_50 more rows: see the Files changed tab: snapshots/github/acme/_')
  })

  it('is the same for the same changes in any input order', () => {
    const shuffled = today()
    shuffled.grants.reverse()
    shuffled.principals.reverse()
    shuffled.groups[0]!.members.reverse()
    const a = renderMarkdown(report([outcome(yesterday(), today(), { events })]))
    const b = renderMarkdown(report([outcome(yesterday(), shuffled, { events: [...events].reverse() })]))
    expect(b).toBe(a)
  })
})
