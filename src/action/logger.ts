import * as core from '@actions/core'
import type { Logger } from '../util/log.js'
import { redact } from '../util/secrets.js'

/** Log lines through the runner's workflow commands, redacted even before the runner's own masking. */
export const actionLogger: Logger = {
  info: (m) => core.info(redact(m)),
  // The Actions log cannot rewrite a line: each progress update is a line of its own.
  progress: (m) => core.info(redact(m)),
  warn: (m) => core.warning(redact(m)),
  debug: (m) => core.debug(redact(m))
}
