import { generateKeyPairSync } from 'node:crypto'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAppClient } from '../../../src/github/app-auth.js'
import { silentLogger } from '../../../src/util/log.js'
import type { GitHubSim } from '../../sim/github/server.js'
import { canonical, expectedSnapshot } from './ground-truth.js'
import { appKeyPair, fetchWith, start, testOrg } from './harness.js'

const APP_ID = 4242
const INSTALLATION_ID = 777
const { privateKey, publicKey } = appKeyPair()

describe('GitHub source with GitHub App credentials', () => {
  let github: GitHubSim | undefined
  afterEach(async () => {
    vi.useRealTimers()
    await github?.stop()
  })

  it('finds the installation, mints an installation token and reads the organization', async () => {
    const org = testOrg('team')
    github = await start(org, { app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey } })
    // One-line secrets often carry the key's line breaks as literal "\n".
    const env = { APP_KEY: privateKey.replace(/\n/g, '\\n') }
    const result = await fetchWith(github, { 'app-id': APP_ID, 'private-key-env': 'APP_KEY' }, env)
    expect(canonical(result.snapshot)).toEqual(canonical(expectedSnapshot(org, 'acme')))
    expect(github.mintedTokens).toHaveLength(1)
    expect(github.sim.count(/^\/orgs\/acme\/installation$/)).toBe(1)
  })

  it('uses a configured installation id without looking it up', async () => {
    github = await start(testOrg('team'), { app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey } })
    const settings = { 'app-id': APP_ID, 'private-key-env': 'APP_KEY', 'installation-id': INSTALLATION_ID }
    await fetchWith(github, settings, { APP_KEY: privateKey })
    expect(github.sim.count(/\/installation$/)).toBe(0)
    expect(github.mintedTokens).toHaveLength(1)
  })

  it('refuses a wrong private key with a hint about the App credentials', async () => {
    github = await start(testOrg('team'), { app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey } })
    const other = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' }
    })
    const failure = await fetchWith(
      github,
      { 'app-id': APP_ID, 'private-key-env': 'APP_KEY' },
      { APP_KEY: other.privateKey }
    ).catch((e: Error & { hint?: string }) => e)
    expect(failure).toBeInstanceOf(Error)
    expect((failure as Error).message).toContain('answered 401: A JSON web token could not be decoded')
    expect((failure as { hint?: string }).hint).toContain('check app-id, the private key and installation-id')
    expect((failure as Error).message).not.toContain('PRIVATE KEY')
  })

  it('mints a new installation token before the old one expires after an hour', async () => {
    github = await start(testOrg('team'), { app: { appId: APP_ID, installationId: INSTALLATION_ID, publicKey } })
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() })
    const client = await createAppClient({
      app: { appId: APP_ID, privateKey, installationId: INSTALLATION_ID },
      organization: 'acme',
      baseUrl: github.url,
      log: silentLogger
    })
    await client.request('GET /orgs/{org}', { org: 'acme' })
    vi.setSystemTime(Date.now() + 61 * 60_000)
    const { status } = await client.request('GET /orgs/{org}', { org: 'acme' })
    expect(status).toBe(200)
    expect(github.mintedTokens).toHaveLength(2)
  })
})
