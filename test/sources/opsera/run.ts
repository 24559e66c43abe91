import type { AuditEvent } from '../../../src/model/types.js'
import { opseraSource } from '../../../src/sources/opsera/index.js'
import type { SourceResult } from '../../../src/sources/types.js'
import { TOOL_TOKEN } from '../../sim/opsera/data.js'
import { runSource } from '../run-source.js'

export const TOKEN_ENV = 'OPSERA_TEST_TOKEN'

export interface RunOptions {
  settings?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  since?: Date
  until?: Date
  stored?: AuditEvent[]
}

/** Runs the source as the pipeline does: settings through its schema, a real context, credentials from env. */
export function runOpsera(url: string, options: RunOptions = {}): Promise<SourceResult & { log: string[] }> {
  return runSource(opseraSource, {
    settings: { url, 'token-env': TOKEN_ENV, ...options.settings },
    env: options.env ?? { [TOKEN_ENV]: TOOL_TOKEN },
    instance: 'opsera',
    since: options.since,
    until: options.until,
    stored: options.stored
  })
}
