import { generateKeyPairSync } from 'node:crypto'
/** Shared set-up for the GitHub source tests: a generated organization with every inner list overflowing somewhere. */
import { githubSource } from '../../../src/sources/github/index.js'
import { expect } from 'vitest'
import { SourceError, type SourceResult } from '../../../src/sources/types.js'
import type { Logger } from '../../../src/util/log.js'
import { generateOrg, type GeneratedOrg, type Plan } from '../../sim/github/data.js'
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from '../../sim/github/server.js'

/**
 * 300 members, 60 teams and 120 repositories: every chain takes several
 * queries; one team has 130 immediate members, one 105 repositories, one
 * repository 120 direct collaborators, so each inner connection needs follow-ups.
 */
export function testOrg(plan: Plan = 'enterprise', seed = 7): GeneratedOrg {
  const org = generateOrg({ seed, members: 300, teams: 60, repos: 120, plan })
  const memberIds = [...org.members.keys()]
  const [big, wide] = [org.teams[3]!, org.teams[5]!]
  memberIds.slice(0, 130).forEach((id, i) => big.members.set(id, i % 10 === 0 ? 'maintainer' : 'member'))
  org.repos.slice(0, 105).forEach((r) => wide.repos.set(r.id, 'triage'))
  memberIds.slice(100, 220).forEach((id) => org.repos[7]!.collaborators.set(id, 'write'))
  return org
}

/** The SourceError a fetch fails with; neither its message nor its hint may carry the simulator's token. */
export async function expectFailure(promise: Promise<unknown>): Promise<SourceError> {
  const error = await promise.then(
    () => expect.fail('the source returned data'),
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(SourceError)
  const text = `${(error as Error).message} ${(error as SourceError).hint ?? ''}`
  expect(text).not.toContain('ghp_simulated_owner_token')
  return error as SourceError
}

let keys: { privateKey: string; publicKey: string } | undefined

/** An RSA key pair for a simulated GitHub App, made once per test file (it takes a moment). */
export function appKeyPair(): { privateKey: string; publicKey: string } {
  keys ??= generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' }
  })
  return keys
}

export interface Captured extends Logger {
  lines: string[]
}

export function capture(): Captured {
  const lines: string[] = []
  return { lines, info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), debug: () => {} }
}

export async function start(org: GeneratedOrg, options: Partial<GitHubSimOptions> = {}): Promise<GitHubSim> {
  return startGitHubSim({ org, ...options })
}

export function fetchWith(
  github: GitHubSim,
  settings: Record<string, unknown> = {},
  env: Record<string, string> = { GH_TOKEN: github.token },
  log: Logger = capture(),
  window: { since?: Date; until?: Date } = {}
): Promise<SourceResult> {
  const parsed = githubSource.settings.parse({
    organization: github.org.login,
    'api-url': github.url,
    ...(settings['app-id'] === undefined ? { 'token-env': 'GH_TOKEN' } : {}),
    ...settings
  })
  return githubSource.create(parsed, 'acme').fetch({
    log,
    eventsSince: window.since ?? new Date(Date.now() - 86_400_000),
    eventsUntil: window.until ?? new Date(),
    env
  })
}
