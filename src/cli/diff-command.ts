import { DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { readTreeAt } from '../git/read-tree.js'
import { compareSnapshotTrees } from '../pipeline/compare-trees.js'
import { renderJson, renderMarkdown, renderText } from '../report/render.js'
import { ArgumentError, HELP, parseOptions, UsageError } from './usage.js'

const FORMATS = ['text', 'markdown', 'json']

export async function diffCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    from: { type: 'string', default: 'HEAD~1' },
    to: { type: 'string', default: 'HEAD' },
    dir: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
    format: { type: 'string', default: 'text' },
    verbose: { type: 'boolean', default: false }
  })
  if (values.help) {
    process.stdout.write(HELP.diff)
    return 0
  }
  const format = values.format as string
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
  const dir = values.dir as string
  const [from, to] = [values.from as string, values.to as string]
  // A revision that does not exist is bad usage (exit 2), not a failed source.
  const read = (rev: string) =>
    readTreeAt(process.cwd(), rev, dir).catch((error: Error) => {
      throw new ArgumentError(error.message)
    })
  const [before, after] = await Promise.all([read(from), read(to)])
  // git has no empty folders: nothing at either revision means the folder is named wrong, not "no changes".
  if (before.size === 0 && after.size === 0)
    throw new ArgumentError(`--dir ${dir}: no such folder at ${from} or at ${to}; name the snapshot folder (--dir)`)
  // The threshold only matters for the attention rule; history has no config to read it from.
  const report = compareSnapshotTrees(before, after, 0.25)
  if (format === 'json') process.stdout.write(`${JSON.stringify(renderJson(report), null, 2)}\n`)
  else if (format === 'markdown') process.stdout.write(renderMarkdown(report))
  else process.stdout.write(renderText(report, { verbose: values.verbose as boolean }))
  return 0
}
