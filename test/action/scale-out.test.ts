/**
 * The bundled action split across jobs, as the README's matrix workflow runs
 * it: one `mode: collect` job per source (each in a checkout of its own,
 * its collected folder handed on as an artifact) and one `mode: assemble`
 * job that downloads them all. The same days are run the ordinary way on a
 * twin repository of the same simulated GitHub, reading the same
 * organization: the commits and pull requests must come out the same.
 */
import { cp } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { filesAt } from '../publish/harness.js'
import type { ActionRun } from '../sim/action-runner.js'
import { addCollaborator, setOrgRole } from '../sim/github/mutations.js'
import { runGit } from '../sim/github/repository-git.js'
import { BRANCH, expectNoSecrets, REVOKED_TOKEN, startWorld, stopWorlds, type Repository } from './world.js'

afterEach(stopWorlds)

const SOURCES = { acme: 'ACME_GITHUB_TOKEN', 'acme-mirror': 'MIRROR_GITHUB_TOKEN' }
/** The folder `actions/upload-artifact` uploads from and `actions/download-artifact` downloads into. */
const COLLECTED = 'permission-snapshot-collected'

/**
 * The collect jobs of a matrix (one per source), then the assemble job with every artifact downloaded:
 * into one folder each, as download-artifact does by default, or all into one (`merge-multiple: true`).
 */
async function splitRun(
  repository: Repository,
  sources: string[],
  env: Record<string, string> = {},
  layout: 'per-artifact' | 'merged' = 'per-artifact'
): Promise<{ collects: ActionRun[]; assemble: ActionRun }> {
  const collects = []
  for (const source of sources) collects.push(await repository.run({ mode: 'collect', sources: source }, env))
  const workspace = await repository.clone()
  for (const [i, collect] of collects.entries()) {
    const artifact = layout === 'merged' ? '' : `permission-snapshot-${i}`
    await cp(join(collect.workspace, COLLECTED), join(workspace, COLLECTED, artifact), { recursive: true })
  }
  // The assemble job reads no system: it gets no source credentials.
  return { collects, assemble: await repository.runIn(workspace, { mode: 'assemble' }) }
}

async function treeOf(repository: Repository, sha: string): Promise<string> {
  const clone = await repository.clone()
  return (await runGit(undefined, ['-C', clone, 'rev-parse', `${sha}^{tree}`])).toString('utf8').trim()
}

describe('a matrix of collect jobs and one assemble job', () => {
  it('make the same commits and pull requests as single runs over both sources, day after day', async () => {
    const w = await startWorld(SOURCES)
    const split = await w.repository('permissions-split')
    const sources = ['github/acme', 'github/acme-mirror']
    const expectSame = async (single: ActionRun, assembled: ActionRun) => {
      expect(assembled.exitCode).toBe(single.exitCode)
      expect(assembled.errors).toEqual(single.errors)
      for (const output of ['changed', 'pull-request-operation', 'pull-request-number', 'summary'])
        expect(assembled.outputs[output], output).toBe(single.outputs[output])
      expect(await treeOf(split, assembled.outputs['commit-sha']!)).toBe(await treeOf(w, single.outputs['commit-sha']!))
      const number = Number(single.outputs['pull-request-number'])
      expect(split.repo.pulls.get(number)!.body).toBe(w.repo.pulls.get(number)!.body)
      expect(assembled.summary).toBe(single.summary)
    }

    // Day 1: the baselines.
    const day1 = await w.run()
    const split1 = await splitRun(split, sources)
    expect(split1.collects.map((c) => [c.exitCode, c.outputs['pull-request-operation']])).toEqual([
      [0, 'none'],
      [0, 'none']
    ])
    // A collect job publishes nothing.
    expect(split1.collects.every((c) => c.outputs['commit-sha'] === '')).toBe(true)
    expect(split1.assemble.outputs['pull-request-operation']).toBe('created')
    await expectSame(day1, split1.assemble)
    expect(split1.assemble.log).toContain('[github/acme] ok, collected in permission-snapshot-0/github/acme')
    for (const run of [...split1.collects, split1.assemble]) expectNoSecrets(split, run)
    await w.repo.pulls.merge(1, { method: 'squash' })
    await split.repo.pulls.merge(1, { method: 'squash' })

    // Day 2: a new owner and an outside collaborator, each in the audit log: a fresh pull request.
    const [promoted] = w.members
    setOrgRole(w.org, w.owner, promoted!, 'admin')
    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const day2 = await w.run()
    const split2 = await splitRun(split, sources, {}, 'merged')
    expect(split2.assemble.outputs['pull-request-operation']).toBe('created')
    await expectSame(day2, split2.assemble)
    expect(w.repo.pulls.get(2)!.body).toContain('new outside collaborator external-auditor')

    // Day 3, not merged: one more change, and the mirror's token revoked. The rolling body (new since the
    // last run, everything awaiting review) and the failed source's kept files come out the same.
    addCollaborator(w.org, w.owner, w.org.repos[1]!.name, 'day3-contractor', 'write')
    const revoked = { MIRROR_GITHUB_TOKEN: REVOKED_TOKEN }
    const day3 = await w.run({}, revoked)
    const split3 = await splitRun(split, sources, revoked)
    expect(split3.collects.map((c) => c.exitCode)).toEqual([0, 1])
    expect(split3.collects[1]!.errors.join('\n')).toMatch(/github\/acme-mirror failed: .*Bad credentials/)
    expect(day3.outputs['pull-request-operation']).toBe('updated')
    await expectSame(day3, split3.assemble)
    const body = split.repo.pulls.get(2)!.body!
    expect(body).toContain('## New since the last run')
    expect(body).toMatch(/\*\*Critical\*\* github\/acme-mirror: .*Bad credentials/)
    expect(body).toContain('new outside collaborator day3-contractor')
    const clone = await split.clone()
    expect(await filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme-mirror')).toEqual(
      await filesAt(clone, split2.assemble.outputs['commit-sha']!, 'snapshots/github/acme-mirror')
    )
    for (const run of [...split3.collects, split3.assemble]) expectNoSecrets(split, run)
  }, 240_000)

  it('keeps the previous files of a source whose collect job left no result, and says why', async () => {
    const w = await startWorld(SOURCES)
    const day1 = await splitRun(w, ['github/acme', 'github/acme-mirror'])
    expect(day1.assemble.exitCode).toBe(0)
    const day1Sha = day1.assemble.outputs['commit-sha']!

    // The mirror's collect job failed before writing anything (its runner died): only acme's artifact exists.
    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const day2 = await splitRun(w, ['github/acme'])
    expect(day2.assemble.exitCode).toBe(1)
    expect(day2.assemble.errors.join('\n')).toContain('github/acme-mirror failed: no collected result')
    expect(day2.assemble.outputs['pull-request-operation']).toBe('updated')
    const clone = await w.clone()
    const mirrorBefore = await filesAt(clone, day1Sha, 'snapshots/github/acme-mirror')
    expect(mirrorBefore.size).toBeGreaterThan(0)
    expect(await filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme-mirror')).toEqual(mirrorBefore)
    expect((await filesAt(clone, `origin/${BRANCH}`, 'snapshots/github/acme')).get('principals.yaml')).toContain(
      'name: external-auditor\n'
    )
    const body = w.repo.pulls.get(1)!.body!
    expect(body).toMatch(/\*\*Critical\*\* github\/acme-mirror: no collected result/)
    expect(body).toContain('new outside collaborator external-auditor')
  }, 120_000)

  it('takes only configured sources, and the sources input only in collect mode', async () => {
    const w = await startWorld(SOURCES)
    const unknown = await w.run({ mode: 'collect', sources: 'github/acme, github/other' })
    expect(unknown.exitCode).toBe(1)
    expect(unknown.errors.join('\n')).toMatch(
      /^Input 'sources' names 'github\/other', which \S+\/\.github\/permission-snapshot\.yml does not configure; expected type\/name entries among github\/acme, github\/acme-mirror\.$/
    )
    const misplaced = await w.run({ sources: 'github/acme' })
    expect(misplaced.errors).toEqual(["Input 'sources' is read only by mode: collect (the mode is 'pull-request')."])
    expect(w.repo.pulls.all).toEqual([])
  }, 60_000)

  it('refuses results collected from another starting point than the one it builds on', async () => {
    const w = await startWorld(SOURCES)
    await w.run()
    addCollaborator(w.org, w.owner, w.org.repos[0]!.name, 'external-auditor', 'read')
    const collects = [await w.run({ mode: 'collect', sources: 'github/acme' })]
    // Meanwhile another run updated the pull request: what the collect job compared with is gone.
    const moved = await w.run()
    expect(moved.outputs['pull-request-operation']).toBe('updated')
    const workspace = await w.clone()
    await cp(join(collects[0]!.workspace, COLLECTED), join(workspace, COLLECTED), { recursive: true })
    const assemble = await w.runIn(workspace, { mode: 'assemble' })
    expect(assemble.exitCode).toBe(1)
    expect(assemble.errors.join('\n')).toContain('github/acme failed: collected from another starting point')
    expect(assemble.outputs).toMatchObject({ changed: 'false', 'commit-sha': '' })
    expect(await w.repo.headOf(BRANCH)).toBe(moved.outputs['commit-sha'])
  }, 120_000)
})
