/**
 * The action end to end, as a scheduled workflow runs it: the BUNDLED
 * dist/index.js under Node 24 (test/sim/action-runner.ts), a fresh checkout of
 * the base branch as the workspace every day, and one GitHub simulator serving
 * both the organization the source reads and the repository the snapshot is
 * published to (real git objects, cloned and inspected here).
 */
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { ATTRIBUTES } from '../../src/store/attributes.js'
import { readFolder } from '../../src/store/folder.js'
import { filesAt, history } from '../publish/harness.js'
import { addCollaborator, removeTeamMember, setOrgRole } from '../sim/github/mutations.js'
import { runGit } from '../sim/github/repository-git.js'
import {
  BRANCH,
  expectNoSecrets,
  PUBLISH_TOKEN,
  REVOKED_TOKEN,
  SOURCE_TOKEN,
  startWorld,
  stopWorlds,
  TODAY
} from './world.js'

afterEach(stopWorlds)

/** Matches an `@` GitHub would read as a mention: one that starts a word without the zero-width space after it. */
const NO_MENTION = /(?<![A-Za-z0-9_\\])@(?!\u200b)/

/** A rolling pull request's body: the leading Needs attention, the run's section, the awaiting section. */
function sections(body: string) {
  const newSince = body.indexOf('## New since the last run')
  const awaiting = body.indexOf('## All changes awaiting review')
  expect(body.match(/### Needs attention/g)).toHaveLength(1)
  expect(newSince).toBeGreaterThan(body.indexOf('### Needs attention'))
  expect(awaiting).toBeGreaterThan(newSince)
  return {
    attention: body.slice(0, newSince),
    newSince: body.slice(newSince, awaiting),
    awaiting: body.slice(awaiting)
  }
}

const commitLine = (clone: string, sha: string, format: string) =>
  runGit(undefined, ['-C', clone, 'show', '-s', `--format=${format}`, sha]).then((b) => b.toString('utf8').trim())

describe('the bundled action, days of a scheduled workflow', () => {
  it('opens the pull request, updates it while the baseline is not merged, and opens a fresh one after the merge', async () => {
    const w = await startWorld()
    const team = w.org.teams.find((t) => [...t.members.keys()].some((id) => w.org.members.get(id) === 'member'))!
    const removed = w.org.users.get([...team.members.keys()].find((id) => w.org.members.get(id) === 'member')!)!.login
    const promoted = w.members.find((login) => login !== removed)!

    // Day 1: the baseline. The branch is created from the base and the pull request opened.
    const day1 = await w.run()
    expect(day1.stderr).toBe('')
    expect(day1.exitCode).toBe(0)
    expect(day1.outputs).toMatchObject({
      changed: 'true',
      'pull-request-operation': 'created',
      'pull-request-number': '1',
      'pull-request-url': 'https://github.com/acme/permissions/pull/1'
    })
    const day1Sha = day1.outputs['commit-sha']!
    expect(await w.repo.headOf(BRANCH)).toBe(day1Sha)
    // No custom author or committer: GitHub signs the commit as the App, and the action logs it.
    expect(w.repo.verifications.get(day1Sha)).toEqual({ verified: true, reason: 'valid' })
    expect(day1.log).toContain(`commit ${day1Sha}: verified signature (valid)`)
    expect(day1.masks).toEqual(expect.arrayContaining([PUBLISH_TOKEN, SOURCE_TOKEN]))

    let clone = await w.clone()
    expect(await commitLine(clone, day1Sha, '%an|%cn|%P|%s')).toBe(
      `permission-snapshot[bot]|GitHub|${await w.repo.headOf('main')}|Permission snapshot ${TODAY()}`
    )
    const day1Files = await filesAt(clone, `origin/${BRANCH}`, 'snapshots')
    expect([...day1Files.keys()]).toEqual(
      expect.arrayContaining([
        'github/acme/principals.yaml',
        'github/acme/roles.yaml',
        'github/acme/scopes/organization/acme.yaml',
        ...w.org.repos.map((r) => `github/acme/scopes/repository/${r.name}.yaml`)
      ])
    )
    expect([...day1Files.keys()].filter((path) => path.startsWith('github/acme/groups/'))).toHaveLength(
      w.org.teams.length
    )
    // What was committed is exactly what the action wrote into the workspace.
    expect(day1Files).toEqual(await readFolder(join(day1.workspace, 'snapshots')))
    const principals = day1Files.get('github/acme/principals.yaml')!
    for (const login of [w.owner, ...w.members]) expect(principals).toContain(`name: ${login}\n`)
    expect(day1Files.get('github/acme/scopes/organization/acme.yaml')).toMatch(
      new RegExp(`principal: ${w.owner}\\n\\s+principal-id: \\S+\\n\\s+role: owner\\n`)
    )
    const pr1 = w.repo.pulls.get(1)!
    expect(pr1).toMatchObject({
      title: `Permission changes ${TODAY()}`,
      head: BRANCH,
      base: 'main',
      state: 'open',
      labels: ['permissions']
    })
    expect(pr1.body).toContain('**github/acme**: baseline')
    expect(pr1.body).not.toContain('New since the last run')
    // The same Markdown is the job summary and the report file the `report-path` output names.
    expect(day1.summary).toContain(pr1.body!)
    expect(day1.report).toBe(pr1.body)
    expect(JSON.parse(day1.outputs.summary!)).toMatchObject({ sources: 1, baseline: 1, failed: 0 })
    expectNoSecrets(w, day1)

    // Day 2: an owner made, a team member removed, an outside collaborator added, each in the audit log.
    setOrgRole(w.org, w.owner, promoted, 'admin')
    removeTeamMember(w.org, w.owner, team.slug, removed)
    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const day2 = await w.run()
    expect(day2.exitCode).toBe(0)
    expect(day2.outputs).toMatchObject({
      changed: 'true',
      'pull-request-operation': 'updated',
      'pull-request-number': '1'
    })
    const day2Sha = day2.outputs['commit-sha']!
    expect(day2.log).toContain(`Pull request #1 is open; continuing from its head ${day1Sha}`)
    clone = await w.clone()
    // History accumulates on the branch: today's commit sits on yesterday's.
    expect((await history(clone, `origin/${BRANCH}`)).slice(0, 2)).toEqual([
      { sha: day2Sha, parents: [day1Sha] },
      { sha: day1Sha, parents: [expect.any(String)] }
    ])
    expect(w.repo.verifications.get(day2Sha)?.verified).toBe(true)
    const day2Files = await filesAt(clone, `origin/${BRANCH}`, 'snapshots')
    expect(day2Files.get('github/acme/principals.yaml')).toContain('name: external-auditor\n')
    expect([...day2Files.keys()]).toContain(`github/acme/events/${TODAY()}.yaml`)
    // The committed folder carries its .gitattributes: GitHub collapses the event archives, not the state.
    expect(day2Files.get('.gitattributes')).toBe(ATTRIBUTES)
    await runGit(undefined, ['-C', clone, 'checkout', '--quiet', `origin/${BRANCH}`])
    const attributes = await runGit(undefined, [
      '-C',
      clone,
      'check-attr',
      'linguist-generated',
      '--',
      `snapshots/github/acme/events/${TODAY()}.yaml`,
      'snapshots/github/acme/principals.yaml'
    ])
    expect(attributes.toString('utf8')).toBe(
      `snapshots/github/acme/events/${TODAY()}.yaml: linguist-generated: true\nsnapshots/github/acme/principals.yaml: linguist-generated: unspecified\n`
    )

    expect(w.repo.pulls.all).toHaveLength(1)
    const body2 = w.repo.pulls.get(1)!.body!
    const { attention: attention2, newSince } = sections(body2)
    // One Needs attention leads, over everything the merge would accept, today's items marked as new.
    expect(attention2).toContain(`${promoted} changed from member (read) to owner on organization acme (by ${w.owner}`)
    expect(attention2).toContain('new outside collaborator external-auditor')
    expect(attention2).toContain('— *new since the last run*')
    expect(newSince).toContain(`removed ${removed}`)
    // The baseline is not merged: the comparison starts at the branch's first snapshot, and the body says so.
    expect(body2).toContain(`**Note:** The baseline of github/acme (commit ${day1Sha.slice(0, 7)}) is not merged yet`)
    expect(body2).not.toMatch(NO_MENTION)
    expect(day2.summary).toContain('## New since the last run')
    expectNoSecrets(w, day2)

    // Day 3, still not merged: a small change. Yesterday's owner is still waiting and still leads.
    addCollaborator(w.org, w.owner, w.org.repos[2]!.name, 'day3-reader', 'read')
    const day3 = await w.run()
    expect(day3.outputs).toMatchObject({ 'pull-request-operation': 'updated', 'pull-request-number': '1' })
    const body3 = sections(w.repo.pulls.get(1)!.body!)
    const line = (text: string, part: string) => text.split('\n').find((l) => l.includes(part))
    expect(line(body3.attention, 'to owner on organization acme')).toMatch(/^- 🔴 \*\*Critical\*\* github\/acme: /)
    expect(line(body3.attention, 'to owner on organization acme')).not.toContain('new since the last run')
    expect(line(body3.attention, 'new outside collaborator day3-reader')).toContain('— *new since the last run*')
    expect(body3.newSince).not.toContain('to owner')
    expect(w.repo.pulls.get(1)!.body).toContain('The baseline of github/acme')
    const day3Sha = day3.outputs['commit-sha']!

    // Day 4: the pull request was squash-merged; tomorrow's checkout of main holds the snapshot.
    const merged = await w.repo.pulls.merge(1, { method: 'squash' })
    addCollaborator(w.org, w.owner, w.org.repos[1]!.name, 'day4-contractor', 'write')
    const day4 = await w.run()
    expect(day4.exitCode).toBe(0)
    expect(day4.outputs).toMatchObject({
      changed: 'true',
      'pull-request-operation': 'created',
      'pull-request-number': '2'
    })
    const day4Sha = day4.outputs['commit-sha']!
    expect(day4.log).toContain(`deleted branch ${BRANCH} (was ${day3Sha})`)
    clone = await w.clone()
    expect((await history(clone, `origin/${BRANCH}`))[0]).toEqual({ sha: day4Sha, parents: [merged] })
    const pr2 = w.repo.pulls.get(2)!
    expect(pr2).toMatchObject({ state: 'open', head: BRANCH, base: 'main' })
    expect(pr2.body).not.toContain('New since the last run')
    expect(pr2.body).toContain('new outside collaborator day4-contractor')
    for (const old of ['external-auditor', 'day3-reader', `removed ${removed}`, 'to owner', 'baseline'])
      expect(pr2.body).not.toContain(old)
    expect(pr2.body).not.toMatch(NO_MENTION)
    expectNoSecrets(w, day4)

    // The same day again, nothing changed: no commit, and the open pull request stays as it is.
    const again = await w.run()
    expect(again.exitCode).toBe(0)
    expect(again.outputs).toMatchObject({ changed: 'false', 'pull-request-operation': 'none', 'commit-sha': '' })
    expect(await w.repo.headOf(BRANCH)).toBe(day4Sha)
    expect(w.repo.pulls.all.map((p) => [p.number, p.state])).toEqual([
      [1, 'closed'],
      [2, 'open']
    ])
  }, 90_000)
})

describe('the bundled action tells the whole truth about what the merge would accept', () => {
  it('three days without merging: the critical day-2 change leads the first Needs attention on day 3', async () => {
    const w = await startWorld()
    const day1 = await w.run()
    await w.repo.pulls.merge(Number(day1.outputs['pull-request-number']), { method: 'squash' })
    const [promoted] = w.members
    setOrgRole(w.org, w.owner, promoted!, 'admin')
    const day2 = await w.run()
    expect(day2.outputs).toMatchObject({ 'pull-request-operation': 'created', 'pull-request-number': '2' })

    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'day3-contractor', 'write')
    const day3 = await w.run()
    expect(day3.exitCode).toBe(0)
    expect(day3.outputs).toMatchObject({ 'pull-request-operation': 'updated', 'pull-request-number': '2' })
    const body = w.repo.pulls.get(2)!.body!
    const { attention, newSince, awaiting } = sections(body)
    const owner = attention.split('\n').find((l) => l.includes(`${promoted} changed from member`))
    expect(owner).toMatch(/^- 🔴 \*\*Critical\*\* github\/acme: .* to owner on organization acme/)
    expect(owner).not.toContain('new since the last run')
    expect(attention).toMatch(
      /new outside collaborator day3-contractor with write on repository \S+ .*— \*new since the last run\*\n/
    )
    expect(attention.indexOf('**Critical**')).toBeLessThan(attention.indexOf('day3-contractor'))
    expect(newSince).not.toContain('to owner')
    expect(awaiting).toContain('**github/acme**: 1 grant added, 1 changed, 1 principal added')
    expect(body).not.toContain('baseline')
    expectNoSecrets(w, day3)
  }, 60_000)

  it('a stale checkout with a failing source: starts from the base, keeps the failed folder, flags the change', async () => {
    const w = await startWorld({ acme: 'ACME_GITHUB_TOKEN', 'acme-mirror': 'MIRROR_GITHUB_TOKEN' })
    const beforeSnapshots = await w.repo.headOf('main')
    const day1 = await w.run()
    await w.repo.pulls.merge(Number(day1.outputs['pull-request-number']), { method: 'squash' })
    const main = await w.repo.headOf('main')

    // Dispatched from a branch cut before the baseline was merged: its checkout holds no snapshot at all.
    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const day2 = await w.run({}, { MIRROR_GITHUB_TOKEN: REVOKED_TOKEN }, beforeSnapshots)
    expect(day2.exitCode).toBe(1)
    expect(day2.errors.join('\n')).toMatch(/github\/acme-mirror failed: .*Bad credentials/)
    expect(day2.outputs).toMatchObject({ 'pull-request-operation': 'created', 'pull-request-number': '2' })

    const clone = await w.clone()
    const mirror = await filesAt(clone, 'origin/main', 'snapshots/github/acme-mirror')
    expect(mirror.size).toBeGreaterThan(0)
    expect(await filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme-mirror')).toEqual(mirror)
    // The pull request's diff is exactly the change the body reports, and the pages that show it
    // (the failed mirror's page is unchanged, as its files are).
    const changed = await runGit(undefined, ['-C', clone, 'diff', '--name-only', 'origin/main', `origin/${BRANCH}`])
    expect(changed.toString('utf8').trim().split('\n')).toEqual([
      'snapshots/README.md',
      'snapshots/github/acme/README.md',
      `snapshots/github/acme/events/${TODAY()}.yaml`,
      'snapshots/github/acme/principals.yaml',
      `snapshots/github/acme/scopes/repository/${w.org.repos[0]!.name}.yaml`,
      'snapshots/people.md'
    ])
    const body = w.repo.pulls.get(2)!.body!
    expect(body).not.toContain('baseline')
    expect(body).toContain('new outside collaborator external-auditor')
    expect(body).toMatch(/\*\*Critical\*\* github\/acme-mirror: .*Bad credentials/)
    expect(day2.log).toContain(`The checked-out snapshots/ is not main at ${main}`)
    expectNoSecrets(w, day2)
  }, 60_000)

  it('a pull request closed without merging: its archived events are carried into the next branch', async () => {
    const w = await startWorld()
    const day1 = await w.run()
    await w.repo.pulls.merge(Number(day1.outputs['pull-request-number']), { method: 'squash' })
    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const day2 = await w.run()
    expect(day2.outputs['pull-request-number']).toBe('2')
    let clone = await w.clone()
    const archived = await filesAt(clone, day2.outputs['commit-sha']!, 'snapshots/github/acme/events')
    const ids = [...archived.values()].flatMap((text) => [...text.matchAll(/^ {2}- id: (.+)$/gm)].map((m) => m[1]))
    expect(ids.length).toBeGreaterThan(0)

    // Closed without merging, its branch deleted; the audit log no longer returns those events.
    await w.repo.pulls.close(2, { deleteBranch: true })
    w.org.auditLog.splice(0)
    const day3 = await w.run()
    expect(day3.exitCode).toBe(0)
    expect(day3.outputs).toMatchObject({ 'pull-request-operation': 'created', 'pull-request-number': '3' })
    clone = await w.clone()
    const carried = [...(await filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme/events')).values()].join('')
    for (const id of ids) expect(carried).toContain(`- id: ${id}\n`)
    expect(w.repo.pulls.get(3)!.body).toContain(
      `**Note:** Carried ${ids.length} archived event${ids.length === 1 ? '' : 's'} from the closed pull request #2`
    )
    expectNoSecrets(w, day3)
  }, 60_000)
})

describe('the bundled action when something goes wrong, and in dry-run mode', () => {
  it('publishes the sources that worked, keeps a failed one’s files, says why, and fails the step', async () => {
    const w = await startWorld({ acme: 'ACME_GITHUB_TOKEN', 'acme-mirror': 'MIRROR_GITHUB_TOKEN' })
    const day1 = await w.run()
    expect(day1.exitCode).toBe(0)
    const day1Sha = day1.outputs['commit-sha']!

    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const day2 = await w.run({}, { MIRROR_GITHUB_TOKEN: REVOKED_TOKEN })
    expect(day2.exitCode).toBe(1)
    expect(day2.errors.join('\n')).toMatch(/github\/acme-mirror failed: .*Bad credentials/)
    expect(day2.outputs['pull-request-operation']).toBe('updated')
    expect(day2.masks).toContain(REVOKED_TOKEN)

    const clone = await w.clone()
    const [before, after] = await Promise.all([
      filesAt(clone, day1Sha, 'snapshots/github/acme-mirror'),
      filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme-mirror')
    ])
    expect(before.size).toBeGreaterThan(0)
    expect(after).toEqual(before)
    expect((await filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme')).get('principals.yaml')).toContain(
      'name: external-auditor\n'
    )

    const body = w.repo.pulls.get(1)!.body!
    expect(body).toMatch(/\*\*Critical\*\* github\/acme-mirror: .*Bad credentials/)
    expect(body).toContain('new outside collaborator external-auditor')
    expectNoSecrets(w, day2)
  }, 60_000)

  it('dry-run fetches and reports but writes nothing to GitHub or the workspace', async () => {
    const w = await startWorld()
    const run = await w.run({ mode: 'dry-run' })
    expect(run.exitCode).toBe(0)
    expect(run.outputs).toMatchObject({ changed: 'true', 'pull-request-operation': 'none', 'commit-sha': '' })
    expect(run.summary).toContain('**github/acme**: baseline')
    expect(w.gh.sim.requests.filter((r) => r.path.startsWith('/repos/acme/permissions'))).toEqual([])
    expect(w.repo.pulls.all).toEqual([])
    expect(await w.repo.headOf(BRANCH)).toBeUndefined()
    expect(await readFolder(join(run.workspace, 'snapshots'))).toEqual(new Map())
    expectNoSecrets(w, run)
  }, 60_000)
})
