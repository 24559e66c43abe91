/**
 * The state pages of a run: generated from the stored snapshots after every
 * source was written, so they are committed with the snapshot and appear in
 * the pull request. A source that failed or was held back keeps its stored
 * snapshot, so its page comes out byte-identical.
 */
import type { Config } from '../config/load.js'
import type { EmailPolicy } from '../config/schema.js'
import { emailMasker } from '../model/emails.js'
import { sourceKey, type JoinOptions } from '../model/people.js'
import type { Snapshot } from '../model/types.js'
import { prepareState, renderPages, type State } from '../pages/pages.js'
import type { SourceOutcome } from '../report/types.js'
import { canonicalSnapshot } from '../store/canonical.js'
import { listSources, readSnapshot } from '../store/disk.js'
import { writePages } from '../store/pages-disk.js'
import { mapLimit } from '../util/concurrency.js'

/**
 * Writes the pages of every source stored under `root` (configured or not:
 * the folder is the truth), reusing the snapshots this run already holds in
 * memory. Returns the page files written or removed, relative to `root`.
 */
export async function writeStatePages(
  root: string,
  config: Config,
  outcomes: readonly SourceOutcome[],
  env: NodeJS.ProcessEnv = process.env
): Promise<string[]> {
  // What this run wrote is in memory; a source that failed or was held keeps its files, read from there.
  const known = new Map<string, Snapshot>()
  for (const outcome of outcomes) {
    if (outcome.status === 'ok' && outcome.after) known.set(sourceKey(outcome.source), outcome.after)
  }
  const snapshots = await storedSnapshots(root, known)
  return writePages(root, renderPages(prepareState(snapshots, joinOptions(config, env))))
}

/** Every stored snapshot under `root`, for `show` and the Confluence publisher. */
export async function readState(root: string, config?: Config, env: NodeJS.ProcessEnv = process.env): Promise<State> {
  return prepareState(await storedSnapshots(root, new Map()), joinOptions(config, env))
}

async function storedSnapshots(root: string, known: Map<string, Snapshot>): Promise<Snapshot[]> {
  const sources = await listSources(root)
  const snapshots = await mapLimit(sources, 4, async (source) => {
    const held = known.get(sourceKey(source))
    // What the run wrote reads back as exactly its canonical form: no need to parse the files again.
    return held ? canonicalSnapshot(held, `snapshot ${sourceKey(source)}:`) : readSnapshot(root, source)
  })
  return snapshots.filter((s): s is Snapshot => s !== undefined)
}

/**
 * How people are joined under the config: the identities map, matched with
 * each source's stored emails through that source's `emails` policy (under
 * the fingerprint key, when the environment holds it), and labelled through
 * the top-level one: the pages never show an address the snapshot would not.
 */
export function joinOptions(config: Config | undefined, env: NodeJS.ProcessEnv = process.env): JoinOptions {
  if (!config) return {}
  const key = config.emailsKeyEnv ? env[config.emailsKeyEnv] : undefined
  const mask = (policy: EmailPolicy) => (policy === 'keep' || !key ? (text: string) => text : emailMasker(policy, key))
  const policies = new Map(config.sources.map((s) => [sourceKey(s), s.emails]))
  const top = config.emails ?? 'keep'
  return {
    identities: config.identities,
    storedAs: (source, text) => mask(policies.get(sourceKey(source)) ?? top)(text),
    label: (email) => mask(top)(email)
  }
}
