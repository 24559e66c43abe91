import { DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { parentOf, readTreeAt } from '../git/read-tree.js'
import { compareSnapshotTrees } from '../pipeline/compare-trees.js'
import { renderJson, renderMarkdown, renderText } from '../report/render.js'
import { stderrLogger } from '../util/log.js'
import { ArgumentError, HELP, parseOptions, UsageError } from './usage.js'

const FORMATS = ['text', 'markdown', 'json']

export async function diffCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    from: { type: 'string' },
    to: { type: 'string', default: 'HEAD' },
    dir: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
    format: { type: 'string', default: 'text' },
    verbose: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false }
  })
  if (values.help) {
    process.stdout.write(HELP.diff)
    return 0
  }
  const format = values.format as string
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
  const log = stderrLogger({ quiet: values.quiet as boolean })
  const dir = values.dir as string
  const to = values.to as string
  // A revision that does not exist is bad usage (exit 2), not a failed source.
  const argument = (error: Error) => {
    throw new ArgumentError(error.message)
  }
  const read = (rev: string) => readTreeAt(process.cwd(), rev, dir).catch(argument)
  // By default the commit before --to; the first commit of a repository is compared with the empty tree.
  const asked = values.from as string | undefined
  const from = asked ?? (await parentOf(process.cwd(), to).catch(argument))
  const fromLabel = asked ?? `${to}~1`
  const [before, after] = await Promise.all([from === undefined ? new Map<string, string>() : read(from), read(to)])
  // git has no empty folders: nothing at either revision means the folder is named wrong, not "no changes".
  if (before.size === 0 && after.size === 0) {
    const where = from === undefined ? `at ${to}` : `at ${fromLabel} or at ${to}`
    throw new ArgumentError(`--dir ${dir}: no such folder ${where}; name the snapshot folder (--dir)`)
  }
  if (from === undefined) log.info(`${to} is the first commit: comparing it with the empty tree`)
  else if (before.size === 0)
    log.info(`${dir}/ does not exist at ${fromLabel}: every source at ${to} is reported as a first snapshot`)
  else if (after.size === 0)
    log.warn(`${dir}/ does not exist at ${to} (removed or moved since ${fromLabel}): there is nothing to report`)
  // The threshold only matters for the attention rule; history has no config to read it from.
  const report = compareSnapshotTrees(before, after, 0.25)
  if (format === 'json') process.stdout.write(`${JSON.stringify(renderJson(report), null, 2)}\n`)
  else if (format === 'markdown') process.stdout.write(renderMarkdown(report))
  else process.stdout.write(renderText(report, { verbose: values.verbose as boolean }))
  return 0
}
