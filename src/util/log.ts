import { redact } from './secrets.js'

export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
}

/** Prefixes every line, e.g. with the source being fetched, so parallel work stays readable. */
export function prefixed(log: Logger, prefix: string): Logger {
  return {
    info: (m) => log.info(`${prefix} ${m}`),
    warn: (m) => log.warn(`${prefix} ${m}`),
    debug: (m) => log.debug(`${prefix} ${m}`)
  }
}

/** Progress on stderr for the CLI; stdout stays free for the report. */
export function stderrLogger(verbose = false): Logger {
  const write = (m: string) => process.stderr.write(`${redact(m)}\n`)
  return {
    info: write,
    warn: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (verbose) write(`debug: ${m}`)
    }
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} }
