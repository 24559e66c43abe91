import { registerSecret } from '../util/secrets.js'
import { SourceError } from './types.js'

/**
 * Reads a credential from the environment variable the config names, and
 * registers it for redaction before anything can print it.
 */
export function readSecret(env: NodeJS.ProcessEnv, variable: string, what: string, source: string): string {
  const value = env[variable]
  if (!value) {
    throw new SourceError(
      `${what} for source '${source}' is missing: environment variable ${variable} is not set or empty`,
      `Set ${variable} in the workflow step's env (from a repository or organization secret), or change the variable name in the config.`
    )
  }
  registerSecret(value)
  return value
}
