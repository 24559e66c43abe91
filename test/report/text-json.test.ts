import { describe, expect, it } from 'vitest'
import { renderJson, renderText, summarize } from '../../src/report/render.js'
import type { Report } from '../../src/report/types.js'
import { events, outcome, today, yesterday } from './fixtures.js'

const failed = {
  source: { type: 'octopus', name: 'prod' },
  status: 'failed' as const,
  error: 'Octopus Deploy: GET /api/users answered 401',
  hint: 'Check the API key in OCTOPUS_API_KEY.',
  notes: [],
  baseline: false,
  events: []
}

const report = (): Report => ({
  outcomes: [
    outcome(yesterday(), today(), {
      events,
      notes: ['audit log skipped: it needs GitHub Enterprise Cloud'],
      files: [
        {
          path: 'github/acme/principals/carol.yaml',
          before: 'id: U3\nname: carol\nkind: user\n',
          after: 'id: U3\nname: carol-renamed\nkind: user\n'
        },
        { path: 'github/acme/principals/ci-bot.yaml', after: 'id: B2\nname: "ci-bot\\e[2J"\nkind: bot\n' }
      ]
    }),
    failed,
    outcome(undefined, { ...yesterday(), source: { type: 'file', name: 'hr' } })
  ],
  massRemovalThreshold: 0.25
})

describe('renderText', () => {
  it('prints the summary, Needs attention with who and when, and the details', () => {
    const text = renderText(report())
    expect(text).toContain(
      '  github/acme: 3 grants added, 2 changed, 3 members changed, 2 principals added, 1 changed, 1 role changed\n'
    )
    expect(text).toContain('  octopus/prod: failed: Octopus Deploy: GET /api/users answered 401\n')
    expect(text).toContain('  file/hr: baseline: 5 principals, 2 groups, 5 roles, 3 scopes, 7 grants\n')
    expect(text).toContain(
      '  [critical] octopus/prod: Octopus Deploy: GET /api/users answered 401. Check the API key in OCTOPUS_API_KEY.'
    )
    expect(text).toContain(
      '  [high] github/acme: bob changed from write to admin on repository api (by alice at 2025-03-02T10:00:00Z)\n'
    )
    expect(text).toContain('  Grants changed (2):\n    bob · repository api · role write → admin\n')
    expect(text).toContain('  Note: audit log skipped: it needs GitHub Enterprise Cloud\n')
    expect(text).not.toContain('---')
  })

  it('adds a compact unified diff of each changed file when verbose', () => {
    const text = renderText(report(), { verbose: true })
    expect(text).toContain(
      [
        '--- a/github/acme/principals/carol.yaml',
        '+++ b/github/acme/principals/carol.yaml',
        '@@ -1,3 +1,3 @@',
        ' id: U3',
        '-name: carol',
        '+name: carol-renamed',
        ' kind: user'
      ].join('\n')
    )
    expect(text).toContain('--- /dev/null\n+++ b/github/acme/principals/ci-bot.yaml')
  })

  it('never writes terminal control characters from a system', () => {
    const after = today()
    after.principals.push({ id: 'E1', name: 'evil\u001b[2J\u001b]0;title\u0007', kind: 'user', external: true })
    const r: Report = {
      outcomes: [
        outcome(yesterday(), after, {
          files: [{ path: 'github/acme/evil\u001b[2J.yaml', after: 'name: "evil\u001b[2J"\n' }]
        })
      ],
      massRemovalThreshold: 0.25
    }
    // eslint-disable-next-line no-control-regex -- looking for control characters
    expect(renderText(r, { verbose: true })).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/)
  })
})

describe('renderJson and summarize', () => {
  it('gives counts per source and kind, statuses and attention items in a stable key order', () => {
    const json = renderJson(report())
    expect(Object.keys(json)).toEqual(['massRemovalThreshold', 'summary', 'sources', 'attention'])
    expect(json.sources.map((s) => [s.source, s.status, s.baseline])).toEqual([
      ['github/acme', 'ok', false],
      ['octopus/prod', 'failed', false],
      ['file/hr', 'ok', true]
    ])
    expect(Object.keys(json.sources[0]!)).toEqual([
      'source',
      'type',
      'name',
      'status',
      'baseline',
      'summary',
      'notes',
      'changes'
    ])
    expect(json.sources[0]!.changes).toEqual({
      principals: { added: 2, removed: 0, changed: 1 },
      groups: { added: 0, removed: 0, changed: 0 },
      roles: { added: 0, removed: 0, changed: 1 },
      scopes: { added: 0, removed: 0, changed: 0 },
      grants: { added: 3, removed: 0, changed: 2 },
      members: 3
    })
    expect(json.sources[1]).toMatchObject({ error: failed.error, hint: failed.hint })
    expect(json.attention[0]).toEqual({
      severity: 'critical',
      rule: 'failed',
      source: 'octopus/prod',
      message:
        'Octopus Deploy: GET /api/users answered 401. Check the API key in OCTOPUS_API_KEY. The snapshot of this source was not updated.'
    })
    expect(json.attention[1]).toMatchObject({
      rule: 'new-admin',
      by: { actor: 'alice', time: '2025-03-02T10:00:00Z', event: 'e1' }
    })
    expect(JSON.stringify(renderJson(report()))).toBe(JSON.stringify(json))
  })

  it('summarizes counts for the action output', () => {
    expect(summarize(report())).toEqual({
      sources: 3,
      changed: 1,
      baseline: 1,
      failed: 1,
      held: 0,
      added: 5,
      removed: 0,
      modified: 7,
      attention: { total: 10, critical: 1, high: 4, medium: 5 }
    })
  })
})
