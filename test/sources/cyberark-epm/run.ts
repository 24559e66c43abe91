import { cyberarkEpmSource } from '../../../src/sources/cyberark-epm/index.js'
import type { AuditEvent, Snapshot } from '../../../src/model/types.js'
import type { SourceResult } from '../../../src/sources/types.js'
import { API_PASSWORD, API_USER, DAY_MS } from '../../sim/cyberark-epm/data.js'
import { runSource } from '../run-source.js'

export const USER_ENV = 'EPM_TEST_USER'
export const PASSWORD_ENV = 'EPM_TEST_PASSWORD'

export interface RunOptions {
  settings?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  since?: Date
  until?: Date
  stored?: AuditEvent[]
  previous?: Snapshot
}

/** Runs the source as the pipeline does: settings through its schema, a real context, credentials from env. */
export function runEpm(url: string, options: RunOptions = {}): Promise<SourceResult & { log: string[] }> {
  return runSource(cyberarkEpmSource, {
    settings: {
      url,
      'username-env': USER_ENV,
      'password-env': PASSWORD_ENV,
      // Tests run against a simulator with throttling off unless they switch it on.
      'min-interval-ms': 0,
      'throttle-wait-seconds': 0.01,
      ...options.settings
    },
    env: options.env ?? { [USER_ENV]: API_USER, [PASSWORD_ENV]: API_PASSWORD },
    instance: 'epm',
    since: options.since ?? new Date((options.until ?? new Date()).getTime() - 30 * DAY_MS),
    until: options.until,
    stored: options.stored,
    previous: options.previous
  })
}
