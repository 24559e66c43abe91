import { octopusSource } from '../../../src/sources/octopus/index.js'
import type { SourceResult } from '../../../src/sources/types.js'
import type { Logger } from '../../../src/util/log.js'
import { ADMIN_KEY } from '../../sim/octopus/data.js'

export const KEY_ENV = 'OCTO_TEST_KEY'

export interface RunOptions {
  settings?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  since?: Date
  until?: Date
}

/** Runs the source as the pipeline does: settings through its schema, a real context, credentials from env. */
export async function runOctopus(url: string, options: RunOptions = {}): Promise<SourceResult & { log: string[] }> {
  const lines: string[] = []
  const log: Logger = {
    info: (m) => lines.push(m),
    warn: (m) => lines.push(`warning: ${m}`),
    debug: () => {}
  }
  const settings = octopusSource.settings.parse({ url, 'api-key-env': KEY_ENV, ...options.settings })
  const result = await octopusSource.create(settings, 'octo').fetch({
    log,
    eventsSince: options.since ?? new Date(Date.now() - 7 * 86_400_000),
    eventsUntil: options.until ?? new Date(),
    storedEvents: async () => [],
    env: options.env ?? { [KEY_ENV]: ADMIN_KEY }
  })
  return { ...result, log: lines }
}
