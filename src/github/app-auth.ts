import { createAppAuth } from '@octokit/auth-app'
import type { Logger } from '../util/log.js'
import { createGitHubClient, type GitHubClient } from './octokit.js'

export interface GitHubAppCredentials {
  appId: number | string
  privateKey: string
  /** Found from the organization when absent (`GET /orgs/{org}/installation`). */
  installationId?: number
}

/**
 * A client authenticated as a GitHub App installation. @octokit/auth-app mints
 * the installation token from the App's JWT and mints a new one before the
 * one-hour expiry (it caches tokens for 59 minutes), so long runs keep working.
 */
export async function createAppClient(options: {
  app: GitHubAppCredentials
  organization: string
  baseUrl?: string
  log: Logger
  signal?: AbortSignal
}): Promise<GitHubClient> {
  const { app, organization, baseUrl, log, signal } = options
  let installationId = app.installationId
  if (installationId === undefined) {
    const asApp = createGitHubClient({
      authStrategy: createAppAuth,
      auth: { appId: app.appId, privateKey: app.privateKey },
      baseUrl,
      log,
      signal
    })
    const { data } = await asApp.request('GET /orgs/{org}/installation', { org: organization })
    installationId = data.id
  }
  return createGitHubClient({
    authStrategy: createAppAuth,
    auth: { appId: app.appId, privateKey: app.privateKey, installationId },
    baseUrl,
    log,
    signal
  })
}
