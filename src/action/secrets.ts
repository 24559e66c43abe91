import * as core from '@actions/core'
import type { Config } from '../config/load.js'
import { registerSecret } from '../util/secrets.js'

/**
 * Masks every credential the config names (`…-env` keys) before any source
 * runs, so the runner hides them even in a dependency's log line.
 */
export function maskSourceCredentials(config: Config, env: NodeJS.ProcessEnv): void {
  const entries = [...config.sources.map((s) => s.settings as Record<string, unknown>), config.confluence ?? {}]
  for (const settings of entries) {
    for (const [key, value] of Object.entries(settings)) {
      if (!key.endsWith('-env') || typeof value !== 'string') continue
      const secret = env[value]
      if (!secret) continue
      registerSecret(secret)
      // The runner masks line by line: a multi-line secret (a private key) is registered per line too.
      const values = new Set([secret, ...secret.split(/\r?\n/)].map((line) => line.trim()))
      for (const value of values) if (value.length >= 8) core.setSecret(value)
    }
  }
}
