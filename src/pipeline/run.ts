import { massRemovalPolicy, type Config, type ConfiguredSource } from '../config/load.js'
import { diffSnapshots } from '../diff/diff.js'
import { withActivity } from '../http/activity.js'
import { applyEmailPolicy, applyEmailPolicyToEvents, emailMasker } from '../model/emails.js'
import { filterScopes } from '../model/filter.js'
import { compareSources } from '../model/keys.js'
import type { Snapshot, SourceRef } from '../model/types.js'
import { validateSnapshot } from '../model/validate.js'
import type { Report, SourceOutcome } from '../report/types.js'
import { ATTRIBUTES_FILE, writeAttributes } from '../store/attributes.js'
import { eventDays, newestEventTime, readEventDay, readSnapshot, writeSource } from '../store/disk.js'
import { stateOf } from '../store/folder.js'
import { sourceFolder } from '../store/paths.js'
import { renderSnapshot } from '../store/snapshot-files.js'
import { readSecret } from '../sources/credentials.js'
import { SourceError, type EventArchive } from '../sources/types.js'
import { DEFAULT_TIMEOUT_MINUTES } from '../config/defaults.js'
import { unlessAborted } from '../util/concurrency.js'
import { prefixed, type Logger } from '../util/log.js'
import { counted } from '../util/plural.js'
import { redact } from '../util/secrets.js'
import { changedFiles } from './changed-files.js'
import { heldBack } from './mass-removal.js'
import { writeStatePages } from './pages.js'
import { FetchProgress, type ProgressOptions } from './progress.js'

export interface RunOptions {
  config: Config
  /** The snapshot folder (`snapshots`): read for the previous state, written with the new one. */
  root: string
  /** Fetch and report, but write nothing. */
  dryRun?: boolean
  /** Write a source even when it removes more principals, memberships or grants than the guard allows. */
  allowMassRemoval?: boolean
  /**
   * The snapshot folder (relative path → content) that an open pull request
   * is reviewed against, when `root` holds its head rather than that state:
   * the mass-removal guard compares with it as well, so removals spread over
   * several runs that were not merged still count.
   */
  base?: ReadonlyMap<string, string>
  /**
   * Per source folder (`<type>/<name>`), the first UTC day of the events put
   * into its archive since its state was written (carried from a pull request
   * closed without merging): a source that folds its window onto its previous
   * state folds those days too.
   */
  carriedSince?: ReadonlyMap<string, string>
  /** Put the old and new content of every changed file in the report, for unified diffs. */
  fileDiffs?: boolean
  /** The run's instant (the end of the event window). */
  now?: Date
  env?: NodeJS.ProcessEnv
  log: Logger
  /** How often a long fetch reports progress (through `log.progress`). */
  progress?: ProgressOptions
  signal?: AbortSignal
}

export interface RunResult {
  report: Report
  /** Files written or removed, relative to `root`. */
  changed: string[]
  /** True when any source failed or was held back. */
  failed: boolean
}

/**
 * The daily job, shared by the action and the CLI: fetch every source
 * concurrently, each isolated from the others' failures; diff each against
 * its stored snapshot; write what succeeded; report everything.
 */
export async function runSnapshot(options: RunOptions): Promise<RunResult> {
  const { config, log } = options
  const now = options.now ?? new Date()
  log.info(`Reading ${counted(config.sources.length, 'source')} from ${config.file}`)
  const results = await Promise.all(config.sources.map((source) => runSource(source, { ...options, now })))
  return finishRun(
    options,
    results.map((r) => r.outcome),
    results.flatMap((r) => r.changed)
  )
}

/**
 * What a run does once every source is written (or, in an assemble job, put
 * in place): the state pages of the whole folder, read from what was stored,
 * and the folder's .gitattributes with its first change, never as one.
 * Returns the run's result, the sources in their report order.
 */
export async function finishRun(
  options: Pick<RunOptions, 'root' | 'config' | 'dryRun' | 'env'>,
  outcomes: SourceOutcome[],
  sourceFiles: string[]
): Promise<RunResult> {
  const { config } = options
  const sorted = [...outcomes].sort((a, b) => compareSources(a.source, b.source))
  const pages = options.dryRun ? [] : await writeStatePages(options.root, config, sorted, options.env)
  const changed = [...sourceFiles, ...pages].sort()
  if (changed.length > 0 && (await writeAttributes(options.root))) changed.unshift(ATTRIBUTES_FILE)
  return {
    report: {
      outcomes: sorted,
      massRemovalThreshold: config.massRemovalThreshold,
      ...(options.dryRun ? { dryRun: true } : {})
    },
    changed,
    failed: sorted.some((o) => o.status !== 'ok')
  }
}

async function runSource(
  configured: ConfiguredSource,
  options: RunOptions & { now: Date }
): Promise<{ outcome: SourceOutcome; changed: string[] }> {
  const ref: SourceRef = { type: configured.type, name: configured.name }
  const label = `${ref.type}/${ref.name}`
  const log = prefixed(options.log, `[${label}]`)
  const started = Date.now()
  const minutes = configured.timeoutMinutes ?? DEFAULT_TIMEOUT_MINUTES
  const deadline = AbortSignal.timeout(minutes * 60_000)
  const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline
  let before: Awaited<ReturnType<typeof readSnapshot>>
  try {
    before = await readSnapshot(options.root, ref)
    const since = await eventWindowStart(options, ref)
    log.info(`fetching (events since ${since.toISOString()})`)
    const source = configured.definition.create(configured.settings, configured.name)
    const emailsKey = fingerprintKey(options, configured)
    const context = {
      log,
      eventsSince: since,
      eventsUntil: options.now,
      archive: {
        days: () => eventDays(options.root, ref),
        day: (day: string) => readEventDay(options.root, ref, day),
        ...foldable(configured, before, since, options.carriedSince?.get(sourceFolder(ref)))
      },
      previous: before && filterScopes(before, configured.include, configured.exclude),
      env: options.env ?? process.env,
      signal,
      maskEmails: emailMasker(configured.emails, emailsKey)
    }
    // Requests and pages made on the source's behalf reach its progress line through the shared clients.
    const fetching = withActivity(new FetchProgress(log, options.progress), () => source.fetch(context))
    // The signal stops the source's requests; the race bounds a source that does not listen to it.
    const result = await unlessAborted(fetching, signal)
    const events = applyEmailPolicyToEvents(result.events, configured.emails, emailsKey)
    const problems = validateSnapshot(result.snapshot)
    if (problems.length > 0) {
      throw new SourceError(
        `the ${ref.type} source returned inconsistent data (${problems.slice(0, 3).join('; ')}${problems.length > 3 ? `; and ${problems.length - 3} more` : ''})`,
        // The file source passes an export through as it is: there the fix is in the export, not in this tool.
        configured.type === 'file'
          ? 'Correct the export: every member, parent and grant must refer to an entry the export lists.'
          : 'This is a bug in permission-snapshot: please report it with the log.'
      )
    }
    const after = applyEmailPolicy(
      filterScopes({ ...result.snapshot, source: ref }, configured.include, configured.exclude),
      configured.emails,
      emailsKey
    )
    const changes = diffSnapshots(before, after)
    // Rendering both states again only pays off when someone reads the file diffs (`run --verbose`).
    const files = options.fileDiffs
      ? changedFiles(before ? renderSnapshot(before) : new Map(), renderSnapshot(after), label)
      : undefined
    const seconds = ((Date.now() - started) / 1000).toFixed(1)
    const counts = [
      counted(after.principals.length, 'principal'),
      counted(after.groups.length, 'group'),
      counted(after.roles.length, 'role'),
      counted(after.scopes.length, 'scope'),
      counted(after.grants.length, 'grant'),
      counted(events.length, 'event')
    ]
    const requests = result.stats ? `, ${counted(result.stats.requests, 'request')}` : ''
    log.info(`${counts.join(', ')} in ${seconds} s${requests}`)
    const massRemoval = massRemovalPolicy(options.config, ref)
    const outcome: SourceOutcome = {
      source: ref,
      status: 'ok',
      notes: result.notes,
      baseline: before === undefined,
      before,
      after,
      changes,
      massRemoval,
      events,
      files
    }
    const base = options.base && stateOf(options.base, ref)
    // Scopes the source saw vanish without a deletion, or removals beyond the policy: both are what
    // credentials that lost sight of part of a system return, and both are accepted the same way.
    const removal = heldBack(before, changes, after, base, massRemoval)
    const held = result.vanished
      ? {
          error: `${result.vanished.message}; the previous snapshot was kept`,
          hint: `${result.vanished.hint} If they were really deleted, ${ALLOW_REMOVAL}.`
        }
      : removal && {
          error: removal,
          hint: `If the removal is real, ${ALLOW_REMOVAL}; otherwise check the credentials can still see everything.`
        }
    if (held && !options.allowMassRemoval) {
      outcome.status = 'held'
      outcome.error = held.error
      outcome.hint = held.hint
      log.warn(outcome.error)
    }
    // A held source writes nothing, not even its events: the run that accepts the removal must still
    // find them in its window, to say who made the change.
    if (options.dryRun || outcome.status !== 'ok') return { outcome, changed: [] }
    // State and events together or not at all: events without the state they explain would move the
    // next run's event window past changes that were never written.
    return { outcome, changed: await writeSource(options.root, after, events) }
  } catch (caught) {
    const error = deadline.aborted ? pastDeadline(minutes) : caught
    const message = redact(error instanceof Error ? error.message : String(error))
    const hint = error instanceof SourceError && error.hint ? redact(error.hint) : undefined
    log.warn(`failed: ${message}${hint ? `${/[.!?]$/.test(message) ? '' : '.'} ${hint}` : ''}`)
    return { outcome: failedOutcome(ref, message, hint, before), changed: [] }
  }
}

/** A source that delivered nothing: its stored state (`before`) stays as it is, and the report says why. */
export function failedOutcome(
  source: SourceRef,
  error: string,
  hint: string | undefined,
  before: Snapshot | undefined
): SourceOutcome {
  return { source, status: 'failed', error, hint, notes: [], baseline: false, before, events: [] }
}

/** How a held-back removal is accepted. */
const ALLOW_REMOVAL =
  'run again with mass removal allowed (action input `allow-mass-removal: true`, CLI `--allow-mass-removal`)'

function pastDeadline(minutes: number): SourceError {
  const within = minutes >= 1 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.round(minutes * 60)} s`
  return new SourceError(
    `did not finish within ${within} (timeout-minutes: ${minutes})`,
    'Raise `timeout-minutes` for this source (or at the top level) if it needs longer; otherwise the log shows what was slow (throttling waits, retries).'
  )
}

/** The HMAC key of email fingerprints, for a source that does not keep addresses. */
function fingerprintKey(options: RunOptions, configured: ConfiguredSource): string | undefined {
  if (configured.emails === 'keep') return undefined
  const variable = options.config.emailsKeyEnv!
  const key = readSecret(options.env ?? process.env, variable, 'The key of email fingerprints', configured.name)
  if (key.length < 16) {
    throw new SourceError(
      `the key of email fingerprints in ${variable} is shorter than 16 characters`,
      `Put a long random secret in ${variable} (e.g. from \`openssl rand -hex 32\`); a short key is guessed as easily as the addresses.`
    )
  }
  return key
}

/**
 * The stored state as the base a source may fold the window's events onto,
 * when it is the whole state the previous run derived: not while include or
 * exclude leaves scopes out of what is stored (their grants were never
 * written, so only the whole archive still knows them).
 */
function foldable(
  configured: ConfiguredSource,
  before: Snapshot | undefined,
  since: Date,
  carried: string | undefined
): Pick<EventArchive, 'foldable'> {
  if (!before || configured.include?.length || configured.exclude?.length) return {}
  const first = since.toISOString().slice(0, 10)
  return { foldable: { state: before, from: carried && carried < first ? carried : first } }
}

/** The newest stored event minus the overlap, or the lookback on the first run. */
async function eventWindowStart(options: RunOptions & { now: Date }, ref: SourceRef): Promise<Date> {
  const newest = await newestEventTime(options.root, ref)
  if (newest) return new Date(Date.parse(newest) - options.config.eventsOverlapMinutes * 60_000)
  return new Date(options.now.getTime() - options.config.eventsLookbackDays * 86_400_000)
}
