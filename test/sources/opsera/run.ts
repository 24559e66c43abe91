import type { AuditEvent } from '../../../src/model/types.js'
import { opseraSource } from '../../../src/sources/opsera/index.js'
import type { SourceResult } from '../../../src/sources/types.js'
import type { Logger } from '../../../src/util/log.js'
import { DAY_MS, TOOL_TOKEN } from '../../sim/opsera/data.js'

export const TOKEN_ENV = 'OPSERA_TEST_TOKEN'

export interface RunOptions {
  settings?: Record<string, unknown>
  env?: NodeJS.ProcessEnv
  since?: Date
  until?: Date
  stored?: AuditEvent[]
}

/** Runs the source as the pipeline does: settings through its schema, a real context, credentials from env. */
export async function runOpsera(url: string, options: RunOptions = {}): Promise<SourceResult & { log: string[] }> {
  const lines: string[] = []
  const log: Logger = { info: (m) => lines.push(m), warn: (m) => lines.push(`warning: ${m}`), debug: () => {} }
  const settings = opseraSource.settings.parse({ url, 'token-env': TOKEN_ENV, ...options.settings })
  const until = options.until ?? new Date()
  const result = await opseraSource.create(settings, 'opsera').fetch({
    log,
    eventsSince: options.since ?? new Date(until.getTime() - 7 * DAY_MS),
    eventsUntil: until,
    storedEvents: async () => options.stored ?? [],
    env: options.env ?? { [TOKEN_ENV]: TOOL_TOKEN }
  })
  return { ...result, log: lines }
}
