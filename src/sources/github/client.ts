/**
 * The GitHub client for one source instance: a token from the environment,
 * or GitHub App credentials from which installation tokens are minted and
 * refreshed; `api-url` for GitHub Enterprise Server (`https://host/api/v3`,
 * GraphQL then at `https://host/api/graphql`).
 */
import { createAppClient } from '../../github/app-auth.js'
import { createGitHubClient, type GitHubClient } from '../../github/octokit.js'
import type { Logger } from '../../util/log.js'
import { readSecret } from '../credentials.js'
import type { GitHubSettings } from './settings.js'

export async function connect(
  settings: GitHubSettings,
  env: NodeJS.ProcessEnv,
  log: Logger,
  instance: string,
  signal?: AbortSignal
): Promise<GitHubClient> {
  const baseUrl = (settings['api-url'] ?? 'https://api.github.com').replace(/\/+$/, '')
  if (settings['token-env']) {
    const token = readSecret(env, settings['token-env'], 'GitHub token', instance)
    return createGitHubClient({ auth: token, baseUrl, log, signal })
  }
  // Private keys stored in one-line secrets often carry literal "\n" for line breaks.
  const privateKey = readSecret(env, settings['private-key-env']!, 'GitHub App private key', instance).replace(
    /\\n/g,
    '\n'
  )
  return createAppClient({
    app: { appId: settings['app-id']!, privateKey, installationId: settings['installation-id'] },
    organization: settings.organization,
    baseUrl,
    log,
    signal
  })
}
