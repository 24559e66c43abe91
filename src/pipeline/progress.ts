import type { Activity } from '../http/activity.js'
import type { Logger } from '../util/log.js'
import { counted } from '../util/plural.js'

/** How often a long fetch says how it is getting on. */
export const PROGRESS_INTERVAL_MS = 5_000

export interface ProgressOptions {
  /** Quiet time before the first line and between lines. */
  intervalMs?: number
  now?: () => number
}

/**
 * One source's fetch as it goes: requests made, and pages left in the
 * collections whose size the system announced. Says so through the logger's
 * progress channel once the fetch has run `intervalMs`, then at most every
 * `intervalMs`, checked as requests and pages complete (no timer keeps a run
 * alive or fires after it).
 */
export class FetchProgress implements Activity {
  private requests = 0
  private readonly open = new Map<string, number | undefined>()
  private readonly intervalMs: number
  private readonly now: () => number
  private readonly started: number
  private last: number

  constructor(
    private readonly log: Logger,
    options: ProgressOptions = {}
  ) {
    this.intervalMs = options.intervalMs ?? PROGRESS_INTERVAL_MS
    this.now = options.now ?? Date.now
    this.started = this.now()
    this.last = this.started
  }

  request(): void {
    this.requests++
    this.report()
  }

  paged(what: string, pagesLeft: number | undefined): void {
    if (pagesLeft === 0) this.open.delete(what)
    else this.open.set(what, pagesLeft)
    this.report()
  }

  /** The progress line as it stands. */
  line(): string {
    const seconds = Math.round((this.now() - this.started) / 1000)
    const parts = [`${counted(this.requests, 'request')} in ${seconds} s`]
    const known = [...this.open].filter((entry): entry is [string, number] => entry[1] !== undefined)
    if (known.length > 0) {
      const left = known.reduce((sum, [, n]) => sum + n, 0)
      const [what] = known.reduce((a, b) => (b[1] > a[1] ? b : a))
      parts.push(`${counted(left, 'page')} left${known.length > 1 ? `, most in ${what}` : ` in ${what}`}`)
    }
    return `still fetching: ${parts.join('; ')}`
  }

  private report(): void {
    if (!this.log.progress) return
    const now = this.now()
    if (now - this.last < this.intervalMs) return
    this.last = now
    this.log.progress(this.line())
  }
}
