import { mkdir, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { loadConfig } from '../config/load.js'
import { DEFAULT_CONFIG_PATH, DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { runSnapshot } from '../pipeline/run.js'
import { renderJson, renderMarkdown, renderText } from '../report/render.js'
import { stderrLogger } from '../util/log.js'
import { HELP, parseOptions } from './usage.js'

export async function runCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    config: { type: 'string', default: DEFAULT_CONFIG_PATH },
    out: { type: 'string', default: DEFAULT_SNAPSHOT_DIR },
    'dry-run': { type: 'boolean', default: false },
    report: { type: 'string' },
    json: { type: 'string' },
    'allow-mass-removal': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false }
  })
  if (values.help) {
    process.stdout.write(HELP.run)
    return 0
  }
  const config = await loadConfig(values.config as string)
  const result = await runSnapshot({
    config,
    root: values.out as string,
    dryRun: values['dry-run'] as boolean,
    allowMassRemoval: values['allow-mass-removal'] as boolean,
    fileDiffs: values.verbose as boolean,
    log: stderrLogger(values.verbose as boolean)
  })
  process.stdout.write(renderText(result.report, { verbose: values.verbose as boolean }))
  if (values.report) await writeOutput(values.report as string, renderMarkdown(result.report))
  if (values.json) await writeOutput(values.json as string, `${JSON.stringify(renderJson(result.report), null, 2)}\n`)
  return result.failed ? 1 : 0
}

async function writeOutput(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true })
  await writeFile(file, content)
}
