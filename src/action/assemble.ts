/**
 * `mode: assemble`: the run a single job would have made, put together from
 * the results of the `mode: collect` jobs. Each configured source takes its
 * collected outcome and folder only when that outcome was computed from
 * exactly what this job starts from (the fingerprint); otherwise, and when no
 * job collected it, the source fails as it would in a single run: its previous
 * files stay and the report says why.
 */
import type { Config } from '../config/load.js'
import type { SourceRef } from '../model/types.js'
import { failedOutcome, finishRun, type RunResult } from '../pipeline/run.js'
import type { SourceOutcome } from '../report/types.js'
import { parseState, readFolder, replaceFolder, stateOf } from '../store/folder.js'
import { sourceFolder } from '../store/paths.js'
import { containedPath } from '../store/safe-fs.js'
import type { Logger } from '../util/log.js'
import { fingerprint, type CollectedSource } from './collected.js'

export interface AssembleOptions {
  config: Config
  /** The snapshot folder, holding what this run starts from; each collected source's folder replaces its own. */
  root: string
  collected: ReadonlyMap<string, CollectedSource[]>
  /** Where the collected results were read, for messages. */
  collectedPath: string
  allowMassRemoval: boolean
  /** What the mass-removal guard compares with besides the start (the base of an open pull request). */
  base?: ReadonlyMap<string, string>
  /** Where the state pages read the key of email fingerprints (they join people by address). */
  env?: NodeJS.ProcessEnv
  log: Logger
}

export async function assembleCollected(options: AssembleOptions): Promise<RunResult> {
  const { config, root, log } = options
  const start = await readFolder(root)
  const outcomes: SourceOutcome[] = []
  const changed: string[] = []
  for (const source of config.sources) {
    const ref: SourceRef = { type: source.type, name: source.name }
    const folder = sourceFolder(ref)
    const expected = fingerprint({ ...options, source, start })
    const fail = (error: string, hint: string) => {
      log.warn(`[${folder}] not assembled: ${error}`)
      outcomes.push(failedOutcome(ref, error, hint, stateOf(start, ref)))
    }
    const found = options.collected.get(folder) ?? []
    const [entry] = found
    if (!entry) {
      fail(
        `no collected result: its collect job failed before writing one, or the artifact holding it was not downloaded into ${options.collectedPath}`,
        `Check the log of the collect job for ${folder}. Every configured source needs one collect job (the \`sources\` input of a matrix entry), and the download step must fetch every artifact of the run.`
      )
    } else if (found.length > 1) {
      fail(
        `collected by ${found.length} jobs (${found.map((f) => f.from).join(', ')}), so which result to publish is not clear`,
        'Give each source to exactly one collect job.'
      )
    } else if ('problem' in entry) {
      fail(entry.problem, 'Run the collect and assemble jobs with the same version of the action.')
    } else if (entry.fingerprint !== expected) {
      fail(
        'collected from another starting point than this job builds on: since the collect job read them, the pull request or the base branch moved, or the config or the inputs differ',
        'Run the workflow again; the collect and assemble jobs of one run must use the same config and inputs.'
      )
    } else if (entry.outcome.status === 'ok' && !readsBack(entry.files, ref)) {
      fail(`${entry.from} holds files that do not read back as a snapshot`, 'Run the workflow again.')
    } else {
      if (entry.outcome.status === 'ok') {
        await replaceFolder(containedPath(root, folder), entry.files)
        for (const file of entry.changed) changed.push(file)
      }
      log.info(`[${folder}] ${entry.outcome.status}, collected in ${entry.from}`)
      outcomes.push(entry.outcome)
    }
  }
  for (const folder of options.collected.keys()) {
    if (!config.sources.some((s) => sourceFolder(s) === folder))
      log.warn(`${folder} was collected but is not in ${config.file}; it is left out`)
  }
  return finishRun(options, outcomes, changed)
}

/** Whether a collected folder holds a state the store can read: nothing else may replace the previous files. */
function readsBack(files: ReadonlyMap<string, string>, ref: SourceRef): boolean {
  try {
    return parseState(files, ref) !== undefined
  } catch {
    return false
  }
}
