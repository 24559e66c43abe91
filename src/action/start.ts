/**
 * The state a publishing run starts from, read from the commits it builds on
 * and never from the workspace: the checkout may be another commit (a
 * `workflow_dispatch` from another branch, a `base` input other than the
 * checked-out ref, a merge that landed after the checkout), and a report or a
 * mass-removal guard measured from the wrong state is a wrong answer that
 * looks right.
 */
import { branchCommits, readSnapshotAt, type PublishState, type PublishTarget } from '../publish/index.js'
import { EVENT_DAY_FILE } from '../store/events-files.js'
import { sourceFiles } from '../store/folder.js'

export interface StartingPoint {
  /** The base branch's snapshot folder at `state.baseSha`: relative path → content. */
  base: Map<string, string>
  /** What the run continues from: the open pull request's head, else the base. */
  start: Map<string, string>
  /**
   * What everything awaiting review is measured from: the base, except for
   * sources it holds no snapshot of, whose first snapshot on the branch
   * (their baseline, not merged yet) stands in, so later changes are flagged.
   */
  reviewFrom: Map<string, string>
  /** Sources (`<type>/<name>`) whose baseline is not merged, with the branch commit that holds it. */
  unmergedBaselines: { folder: string; commit: string }[]
  /** Events archived only on an unmerged branch this run replaces, and where they come from. */
  carry?: { files: Map<string, string>; sha: string; pull?: number }
}

export async function startingPoint(
  target: PublishTarget,
  state: PublishState,
  path: string,
  workspace: ReadonlyMap<string, string>
): Promise<StartingPoint> {
  const base = await readSnapshotAt(target, { commit: state.baseSha, path, known: workspace })
  if (!sameFiles(base, workspace))
    target.log.info(
      `The checked-out ${path}/ is not ${state.base} at ${state.baseSha}; starting from ${state.base} (the commit this run builds on)`
    )
  const carry = state.unmerged && {
    ...state.unmerged,
    files: await readSnapshotAt(target, {
      commit: state.unmerged.sha,
      path,
      known: base,
      only: (file) => EVENT_DAY_FILE.test(file.split('/').slice(2).join('/'))
    })
  }
  if (!state.openPull)
    return { base, start: base, reviewFrom: base, unmergedBaselines: [], ...(carry ? { carry } : {}) }

  const head = state.openPull.branchHeadSha
  target.log.info(`Pull request #${state.openPull.number} is open; continuing from its head ${head}`)
  const start = await readSnapshotAt(target, { commit: head, path, known: new Map([...workspace, ...base]) })
  const reviewFrom = new Map(base)
  const unmergedBaselines: StartingPoint['unmergedBaselines'] = []
  let missing = [...stateFolders(start)].filter((folder) => !stateFolders(base).has(folder)).sort()
  // Oldest first, reading commits only until every such source is found: usually just the first one.
  for (const commit of missing.length > 0 ? await branchCommits(target, state.baseSha, head) : []) {
    const files = commit === head ? start : await readSnapshotAt(target, { commit, path, known: start })
    const held = stateFolders(files)
    for (const folder of missing.filter((f) => held.has(f))) {
      for (const [file, text] of sourceFiles(files, folder)) reviewFrom.set(`${folder}/${file}`, text)
      unmergedBaselines.push({ folder, commit })
    }
    missing = missing.filter((f) => !held.has(f))
    if (missing.length === 0) break
  }
  return { base, start, reviewFrom, unmergedBaselines }
}

/** The source folders (`<type>/<name>`) of a snapshot folder that hold a stored state, not only events. */
function stateFolders(files: ReadonlyMap<string, string>): Set<string> {
  const folders = new Set<string>()
  for (const file of files.keys()) {
    const [type, name, ...rest] = file.split('/')
    if (type && name && rest.length > 0 && rest[0] !== 'events') folders.add(`${type}/${name}`)
  }
  return folders
}

function sameFiles(a: ReadonlyMap<string, string>, b: ReadonlyMap<string, string>): boolean {
  return a.size === b.size && [...a].every(([file, text]) => b.get(file) === text)
}

/** The notices of the pull request body about where the comparison starts and what was carried. */
export function startNotices(start: StartingPoint, carried: number): string[] {
  const notices: string[] = []
  const baselines = start.unmergedBaselines
  if (baselines.length > 0) {
    const commits = [...new Set(baselines.map((b) => b.commit))]
    const sources = commits
      .map((commit) => {
        const folders = baselines.filter((b) => b.commit === commit).map((b) => b.folder)
        return `${[folders.slice(0, -1).join(', '), folders.at(-1)].filter(Boolean).join(' and ')} (commit ${commit.slice(0, 7)})`
      })
      .join('; ')
    const one = baselines.length === 1
    notices.push(
      `The ${one ? 'baseline' : 'baselines'} of ${sources} ${one ? 'is' : 'are'} not merged yet: everything awaiting review is compared with ${one ? 'that first snapshot' : 'those first snapshots'} on this branch, so later changes are still flagged. Merge this pull request to accept the ${one ? 'baseline' : 'baselines'} and start reviewing day-to-day changes.`
    )
  }
  if (start.carry && carried > 0) {
    const from = start.carry.pull
      ? `the closed pull request #${start.carry.pull}`
      : `the branch's last commit ${start.carry.sha.slice(0, 7)}, which had no pull request`
    notices.push(
      `Carried ${carried} archived ${carried === 1 ? 'event' : 'events'} from ${from}: it was not merged, this branch replaces it, and the systems may no longer return ${carried === 1 ? 'it' : 'them'}.`
    )
  }
  return notices
}
