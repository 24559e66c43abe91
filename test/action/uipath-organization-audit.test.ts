/**
 * The bundled action (dist/index.js under Node 24) with a UiPath source: the
 * demo organization's simulator supplies the tenant and its organization
 * audit, the GitHub simulator receives the pull request. Day 2's new
 * Organization Administrator reaches the pull request body with the audit
 * record's actor; a third run over the same window commits nothing.
 */
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import yaml from 'js-yaml'
import { afterEach, describe, expect, it } from 'vitest'
import { escapeMarkdown } from '../../src/report/markdown-escape.js'
import { runAction } from '../sim/action-runner.js'
import { generateOrg } from '../sim/github/data.js'
import { mountRepository, type SimRepository } from '../sim/github/repository.js'
import { startGitHubSim, type GitHubSim } from '../sim/github/server.js'
import type { SimulatedSystem } from '../sim/system.js'
import { startUipathDemo } from '../sim/uipath/demo.js'

const PUBLISH_TOKEN = 'ghs_uipathE2ePublishToken0123456789'

describe('the bundled action with a UiPath organization', () => {
  let gh: GitHubSim
  let repo: SimRepository
  let uipath: SimulatedSystem
  const clones: string[] = []
  afterEach(async () => {
    await Promise.all([gh.stop(), uipath.stop(), repo.remove()])
    await Promise.all(clones.splice(0).map((dir) => rm(dirname(dir), { recursive: true, force: true })))
  })

  it('puts the Organization Administrator made on day 2 in the pull request with who made them', async () => {
    uipath = await startUipathDemo()
    gh = await startGitHubSim({ org: generateOrg({ seed: 3, login: 'acme', members: 2, teams: 1, repos: 1 }) })
    gh.addToken(PUBLISH_TOKEN)
    const name = String(uipath.source.name)
    const config = yaml.dump({ sources: [uipath.source] })
    repo = await mountRepository(gh.rest, {
      owner: 'acme',
      name: 'permissions',
      files: { 'README.md': '# Permissions\n', '.github/permission-snapshot.yml': config }
    })
    const run = async () => {
      const workspace = await repo.clone()
      clones.push(workspace)
      return runAction({
        workspace,
        repository: 'acme/permissions',
        apiUrl: gh.url,
        graphqlUrl: gh.graphqlUrl,
        inputs: { token: PUBLISH_TOKEN },
        env: uipath.env
      })
    }

    const day1 = await run()
    expect(day1.errors).toEqual([])
    expect(day1.outputs).toMatchObject({ changed: 'true', 'pull-request-operation': 'created' })

    const described = uipath.day2().find((line) => line.includes('Organization Administrator'))!
    const [, actor, promoted] = /^UiPath: (.+) made (\S+) Organization Administrator/.exec(described)!
    const day2 = await run()
    expect(day2.errors).toEqual([])
    expect(day2.outputs).toMatchObject({ changed: 'true', 'pull-request-operation': 'updated' })
    const body = repo.pulls.get(1)!.body!
    const escapedLogin = escapeMarkdown(promoted!).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    expect(body).toMatch(
      new RegExp(`🔴 \\*\\*Critical\\*\\* uipath/${name}: ${escapedLogin} joined Administrators: .* \\(by ${actor} at `)
    )

    const day3 = await run()
    expect(day3.errors).toEqual([])
    expect(day3.outputs).toMatchObject({ changed: 'false' })
    expect(day3.outputs['commit-sha'] ?? '').toBe('')
  }, 90_000)
})
