import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { ADMIN_KEY, generateOctopus } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import { generateOrg } from '../sim/github/data.js'
import { startGitHubSim, type GitHubSim } from '../sim/github/server.js'
import type { SimServer } from '../sim/server.js'
import { captureLog } from '../sources/run-source.js'
import { financeDay1, readTree, workspace, type Workspace } from './workspace.js'

describe('each source runs against a deadline', () => {
  let ws: Workspace
  let octopus: SimServer
  let github: GitHubSim
  beforeEach(async () => {
    ws = await workspace()
    octopus = octopusServer(generateOctopus(3))
    await octopus.start()
    github = await startGitHubSim({ org: generateOrg({ seed: 3, members: 6, teams: 2, repos: 3 }) })
  })
  afterEach(async () => {
    await Promise.all([octopus.stop(), github.stop()])
    await ws.remove()
  })

  it('a source past its timeout-minutes fails naming the setting, keeps its files; the others are written', async () => {
    const finance = await ws.writeExport('finance', financeDay1())
    // Answers that take longer than the deadline (and shorter than the per-request timeout).
    octopus.inject({ path: '/api/users/all', delayMs: 5_000, times: Infinity })
    github.sim.inject({ path: `/orgs/${github.org.login}`, delayMs: 5_000, times: Infinity })
    const config = parseConfig(
      {
        'timeout-minutes': 0.01,
        sources: [
          { type: 'octopus', name: 'prod', url: octopus.url, 'api-key-env': 'OCTOPUS_KEY' },
          {
            type: 'github',
            name: 'acme',
            organization: github.org.login,
            'token-env': 'GH_TOKEN',
            'api-url': github.url
          },
          { type: 'file', name: 'finance', path: finance, 'timeout-minutes': 5 }
        ]
      },
      path.join(ws.dir, 'permission-snapshot.yml')
    )
    expect(config.sources.map((s) => s.timeoutMinutes)).toEqual([0.01, 0.01, 5])
    const root = path.join(ws.dir, 'snapshots')
    const result = await runSnapshot({
      config,
      root,
      env: { OCTOPUS_KEY: ADMIN_KEY, GH_TOKEN: github.token },
      log: captureLog()
    })
    expect(result.failed).toBe(true)
    // Reports list sources by type/name.
    const [file, acme, prod] = result.report.outcomes
    expect([file, acme, prod].map((o) => o!.source.name)).toEqual(['finance', 'acme', 'prod'])
    for (const outcome of [prod!, acme!]) {
      expect(outcome).toMatchObject({ status: 'failed', error: 'did not finish within 1 s (timeout-minutes: 0.01)' })
      expect(outcome.hint).toMatch(/^Raise `timeout-minutes`/)
    }
    expect(file).toMatchObject({ status: 'ok' })
    // Only the source that finished was stored (the index and people pages list just that one), with
    // the folder's .gitattributes.
    const stored = [...(await readTree(root)).keys()].filter(
      (f) => f !== 'README.md' && f !== 'people.md' && f !== '.gitattributes'
    )
    expect(stored.every((f) => f.startsWith('file/finance/'))).toBe(true)
  })

  it('defaults to 60 minutes, and is checked', () => {
    const file = { type: 'file', name: 'f', path: 'f.yaml' }
    expect(parseConfig({ sources: [file] }, 'c.yml').sources[0]!.timeoutMinutes).toBe(60)
    expect(() => parseConfig({ 'timeout-minutes': 0, sources: [file] }, 'c.yml')).toThrow(
      'c.yml: timeout-minutes: Too small: expected number to be >0'
    )
  })
})
