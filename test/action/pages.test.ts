/**
 * The bundled action with the state pages: they are committed with the
 * snapshot (so the pull request shows them), and with a `confluence` block
 * the page in Confluence is updated after the run, its token masked.
 */
import { rm } from 'node:fs/promises'
import { dirname } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { filesAt } from '../publish/harness.js'
import { runAction } from '../sim/action-runner.js'
import { ConfluenceSim } from '../sim/confluence/server.js'
import { generateOrg } from '../sim/github/data.js'
import { mountRepository, type SimRepository } from '../sim/github/repository.js'
import { startGitHubSim, type GitHubSim } from '../sim/github/server.js'

const PUBLISH_TOKEN = 'ghs_pagesPublishInstallationToken01'
const SOURCE_TOKEN = 'ghp_pagesSourceOrgReadToken456789ab'
const CONFLUENCE_TOKEN = 'ATATT3xConfluenceApiToken0123456789'
const BRANCH = 'permission-snapshot/daily'

describe('the bundled action and the state pages', () => {
  const cleanup: Array<() => Promise<unknown>> = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  it('commits the pages with the snapshot and publishes the source page to Confluence, once per change', async () => {
    const org = generateOrg({ seed: 5, login: 'acme', members: 6, teams: 3, repos: 3, plan: 'enterprise' })
    const gh: GitHubSim = await startGitHubSim({ org })
    cleanup.push(() => gh.stop())
    gh.addToken(PUBLISH_TOKEN)
    gh.addToken(SOURCE_TOKEN)
    const confluence = new ConfluenceSim([{ email: 'snapshot-bot@acme.example', token: CONFLUENCE_TOKEN }])
    await confluence.start()
    cleanup.push(() => confluence.stop())
    const page = confluence.addPage(confluence.addSpace('SEC'), 'GitHub access')
    const config = [
      'sources:',
      '  - type: github',
      '    name: acme',
      '    organization: acme',
      '    token-env: ACME_GITHUB_TOKEN',
      `    api-url: ${gh.url}`,
      'confluence:',
      `  url: ${confluence.url}`,
      '  user-env: CONFLUENCE_USER',
      '  token-env: CONFLUENCE_TOKEN',
      '  pages:',
      `    - page-id: '${page.id}'`,
      '      source: github/acme',
      ''
    ].join('\n')
    const repo: SimRepository = await mountRepository(gh.rest, {
      owner: 'acme',
      name: 'permissions',
      files: { 'README.md': '# Permissions\n', '.github/permission-snapshot.yml': config }
    })
    cleanup.push(() => repo.remove())
    const clone = async () => {
      const dir = await repo.clone()
      cleanup.push(() => rm(dirname(dir), { recursive: true, force: true }))
      return dir
    }
    const run = async () =>
      runAction({
        workspace: await clone(),
        repository: 'acme/permissions',
        apiUrl: gh.url,
        graphqlUrl: gh.graphqlUrl,
        inputs: { token: PUBLISH_TOKEN },
        env: {
          ACME_GITHUB_TOKEN: SOURCE_TOKEN,
          CONFLUENCE_USER: 'snapshot-bot@acme.example',
          CONFLUENCE_TOKEN
        }
      })

    const day1 = await run()
    expect(day1.errors).toEqual([])
    expect(day1.exitCode).toBe(0)
    const files = await filesAt(await clone(), `origin/${BRANCH}`, 'snapshots')
    expect([...files.keys()]).toEqual(expect.arrayContaining(['README.md', 'people.md', 'github/acme/README.md']))
    expect(files.get('github/acme/README.md')).toMatch(/^# github\/acme\n/)
    expect(page.version.number).toBe(2)
    expect(page.title).toBe('GitHub access')
    expect(page.body).toContain('<h1>github/acme</h1>')
    expect(day1.log).toContain(`Confluence: github/acme → page ${page.id} "GitHub access": updated (version 2)`)
    expect(day1.masks).toContain(CONFLUENCE_TOKEN)
    for (const text of [day1.log, day1.stderr, day1.summary]) expect(text).not.toContain(CONFLUENCE_TOKEN)

    // Nothing changed: neither a new version nor a rewrite.
    const day2 = await run()
    expect(day2.exitCode).toBe(0)
    expect(day2.log).toContain(`page ${page.id} "GitHub access": unchanged (version 2)`)
    expect(confluence.server.requests.filter((r) => r.method === 'PUT')).toHaveLength(1)

    // A Confluence that refuses fails the step, after the snapshot was published.
    confluence.accounts[0]!.token = 'rotated'
    const day3 = await run()
    expect(day3.exitCode).toBe(1)
    expect(day3.errors.join('\n')).toMatch(
      /Confluence: GET \/wiki\/api\/v2\/pages\/\d+ answered 401.*Check CONFLUENCE_USER/
    )
    expect(day3.outputs['pull-request-operation']).toBeDefined()
  })
})
