import { octopusSource } from '../../../src/sources/octopus/index.js'
import type { Snapshot } from '../../../src/model/types.js'
import type { SourceResult } from '../../../src/sources/types.js'
import { ADMIN_KEY } from '../../sim/octopus/data.js'
import { runSource } from '../run-source.js'

export const KEY_ENV = 'OCTO_TEST_KEY'

export interface RunOptions {
  settings?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  since?: Date
  until?: Date
  previous?: Snapshot
}

/** Runs the source as the pipeline does: settings through its schema, a real context, credentials from env. */
export function runOctopus(url: string, options: RunOptions = {}): Promise<SourceResult & { log: string[] }> {
  return runSource(octopusSource, {
    settings: { url, 'api-key-env': KEY_ENV, ...options.settings },
    env: options.env ?? { [KEY_ENV]: ADMIN_KEY },
    instance: 'octo',
    since: options.since,
    until: options.until,
    previous: options.previous
  })
}
