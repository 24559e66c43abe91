/** The Opsera HttpClient: bearer personal access token, and hints naming the scope and site role the logs need. */
import { HttpClient } from '../../http/client.js'
import type { Logger } from '../../util/log.js'

export const SYSTEM = 'Opsera'

export function hint(tokenEnv: string) {
  return (status: number): string | undefined => {
    if (status === 401)
      return `The personal access token in ${tokenEnv} was refused: it may have expired or been revoked. Create a new one in Opsera under Profile > Access Tokens and update the secret.`
    if (status === 403)
      return `The audit logs need a token with the "API Access" (api) or "Security Logs (Read Only)" scope, owned by a Site Administrator or Power User. Create such a token and put it in ${tokenEnv}; a changed site role takes effect only after the owner logs out and in again.`
    if (status === 404)
      return "Check 'url': the Opsera API server (https://app.opsera.io, or the address Opsera gave your own instance), without a path."
    return undefined
  }
}

export function createOpseraHttp(options: {
  url: string
  token: string
  tokenEnv: string
  log: Logger
  signal?: AbortSignal
}): HttpClient {
  return new HttpClient({
    system: SYSTEM,
    baseUrl: `${options.url.replace(/\/+$/, '').replace(/\/api(\/v1)?$/i, '')}/api/v1/`,
    auth: () => ({ authorization: `Bearer ${options.token}` }),
    hint: hint(options.tokenEnv),
    log: options.log,
    signal: options.signal
  })
}
