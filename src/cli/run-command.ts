import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { loadConfig } from '../config/load.js'
import { DEFAULT_CONFIG_PATH, DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { runSnapshot } from '../pipeline/run.js'
import { renderJson, renderMarkdown, renderText } from '../report/render.js'
import { stderrLogger } from '../util/log.js'
import { checkOutputFile, checkOutputFolder, STDOUT } from './paths.js'
import { selectSources } from './select-sources.js'
import { ArgumentError, HELP, parseOptions } from './usage.js'

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    config: { type: 'string', default: DEFAULT_CONFIG_PATH },
    out: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
    source: { type: 'string', multiple: true, default: [] },
    'dry-run': { type: 'boolean', default: false },
    report: { type: 'string' },
    json: { type: 'string' },
    'allow-mass-removal': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false }
  })
  if (values.help) {
    process.stdout.write(HELP.run)
    return 0
  }
  const out = values.out as string
  const dryRun = values['dry-run'] as boolean
  const report = values.report as string | undefined
  const json = values.json as string | undefined
  if (report === STDOUT && json === STDOUT) throw new ArgumentError('--report and --json cannot both write to stdout')
  await checkOutputFolder('--out', out, !dryRun)
  if (report !== undefined) await checkOutputFile('--report', report)
  if (json !== undefined) await checkOutputFile('--json', json)
  const config = selectSources(await loadConfig(values.config as string), values.source as string[])
  const result = await runSnapshot({
    config,
    root: out,
    dryRun,
    allowMassRemoval: values['allow-mass-removal'] as boolean,
    fileDiffs: values.verbose as boolean,
    log: stderrLogger({ verbose: values.verbose as boolean, quiet: values.quiet as boolean })
  })
  // A report sent to stdout takes the text's place there, so it can be piped.
  if (report !== STDOUT && json !== STDOUT)
    process.stdout.write(renderText(result.report, { verbose: values.verbose as boolean }))
  if (report !== undefined) await writeOutput(report, renderMarkdown(result.report))
  if (json !== undefined) await writeOutput(json, `${JSON.stringify(renderJson(result.report), null, 2)}\n`)
  return result.failed ? 1 : 0
}

async function writeOutput(file: string, content: string): Promise<void> {
  if (file === STDOUT) {
    process.stdout.write(content)
    return
  }
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, content)
}
