import { redact } from './secrets.js'

export interface Logger {
  info(message: string): void
  warn(message: string): void
  debug(message: string): void
  /**
   * How a long fetch is getting on: a line that the next one replaces. A
   * terminal shows one updating line; the Actions log and files get plain
   * lines. Optional: loggers without it drop progress.
   */
  progress?(message: string): void
}

/** Prefixes every line, e.g. with the source being fetched, so parallel work stays readable. */
export function prefixed(log: Logger, prefix: string): Logger {
  const progress = log.progress?.bind(log)
  return {
    info: (m) => log.info(`${prefix} ${m}`),
    warn: (m) => log.warn(`${prefix} ${m}`),
    debug: (m) => log.debug(`${prefix} ${m}`),
    ...(progress ? { progress: (m: string) => progress(`${prefix} ${m}`) } : {})
  }
}

export interface StderrLoggerOptions {
  /** Debug lines too. */
  verbose?: boolean
  /** Warnings only: no progress, no informational lines. */
  quiet?: boolean
  /** Where lines go; process.stderr unless a test gives another stream. */
  stream?: Pick<NodeJS.WriteStream, 'write' | 'isTTY'>
}

/**
 * Progress on stderr for the CLI; stdout stays free for the report. On a
 * terminal, progress is one line rewritten in place (and cleared before any
 * other line); elsewhere each progress update is a line of its own.
 */
export function stderrLogger(options: StderrLoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr
  let pending = false
  const clear = () => {
    if (pending) stream.write('\r\u001b[K')
    pending = false
  }
  const write = (m: string) => {
    clear()
    stream.write(`${redact(m)}\n`)
  }
  const quiet = options.quiet ?? false
  return {
    info: (m) => {
      if (!quiet) write(m)
    },
    warn: (m) => write(`warning: ${m}`),
    debug: (m) => {
      if (options.verbose && !quiet) write(`debug: ${m}`)
    },
    progress: (m) => {
      if (quiet) return
      if (!stream.isTTY) return write(m)
      clear()
      // One terminal line: a wrapped line could not be rewritten in place.
      const width = Math.max(20, ((stream as NodeJS.WriteStream).columns ?? 80) - 1)
      const line = redact(m)
      stream.write(line.length > width ? `${line.slice(0, width - 1)}…` : line)
      pending = true
    }
  }
}

export const silentLogger: Logger = { info() {}, warn() {}, debug() {} }
