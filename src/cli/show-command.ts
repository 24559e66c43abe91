import { access } from 'node:fs/promises'
import { DEFAULT_CONFIG_PATH, DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { loadConfig, type Config } from '../config/load.js'
import { readState, joinOptions } from '../pipeline/pages.js'
import { oneNewline } from '../pages/pages.js'
import { accessRows, findPeople, selectedViews, matchingScopes, toCsv, type Selection } from '../pages/rows.js'
import { showDocument } from '../pages/show.js'
import { ArgumentError, HELP, parseOptions, UsageError } from './usage.js'

const FORMATS = ['text', 'markdown', 'csv', 'json']

/** Prints the state pages' views from the snapshot folder: nothing is fetched. */
export async function showCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    dir: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
    source: { type: 'string' },
    who: { type: 'string' },
    scope: { type: 'string' },
    format: { type: 'string', default: 'text' },
    config: { type: 'string' }
  })
  if (values.help) {
    process.stdout.write(HELP.show)
    return 0
  }
  const format = values.format as string
  if (!FORMATS.includes(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`)
  const dir = values.dir as string
  const config = await configFor(values.config as string | undefined)
  const state = await readState(dir, config)
  if (state.views.length === 0)
    throw new ArgumentError(`no stored snapshot under ${dir}: run 'permission-snapshot run' first, or pass --dir`)
  const selection: Selection = {
    source: values.source as string | undefined,
    scope: values.scope as string | undefined
  }
  if (selection.source !== undefined && selectedViews(state, selection).length === 0) {
    throw new ArgumentError(
      `--source ${selection.source}: not stored under ${dir}; stored: ${state.views.map((v) => v.key).join(', ')}`
    )
  }
  if (values.who !== undefined) {
    const storedAs = joinOptions(config).storedAs
    selection.people = findPeople(state.people, values.who as string, storedAs).filter(
      (p) =>
        selection.source === undefined ||
        p.accounts.some((a) => `${a.source.type}/${a.source.name}` === selection.source)
    )
    if (selection.people.length === 0) return notFound(`nobody matches --who ${JSON.stringify(values.who)}`)
  }
  if (
    selection.scope !== undefined &&
    selectedViews(state, selection).every((v) => matchingScopes(v, selection.scope!).length === 0)
  ) {
    return notFound(`no scope is named ${JSON.stringify(selection.scope)}`)
  }
  if (format === 'csv') process.stdout.write(toCsv(accessRows(state, selection)))
  else if (format === 'json')
    process.stdout.write(`${JSON.stringify({ grants: accessRows(state, selection) }, null, 2)}\n`)
  else process.stdout.write(oneNewline(showDocument(state, selection, format as 'text' | 'markdown')))
  return 0
}

/** `--config` when given; else the default config when there is one (for `identities`); else none. */
async function configFor(file: string | undefined): Promise<Config | undefined> {
  if (file !== undefined) return loadConfig(file)
  const present = await access(DEFAULT_CONFIG_PATH).then(
    () => true,
    () => false
  )
  return present ? loadConfig(DEFAULT_CONFIG_PATH) : undefined
}

function notFound(message: string): number {
  process.stderr.write(`permission-snapshot show: ${message}\n`)
  return 1
}
