import { access, mkdir, writeFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { ConfigError, parseConfig } from '../config/load.js'
import { DEFAULT_CONFIG_PATH } from '../config/defaults.js'
import { configText, INIT_TYPES, initSources, workflowText, type InitType } from './init-templates.js'
import { ArgumentError, HELP, parseOptions, UsageError } from './usage.js'

export const WORKFLOW_PATH = '.github/workflows/permission-snapshot.yml'

/**
 * `permission-snapshot init`: the config and the workflow a first run needs,
 * checked with the real config loader before anything is written, and never
 * over an existing file.
 */
export async function initCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    ...Object.fromEntries(INIT_TYPES.map((type) => [type, { type: 'string' as const, multiple: true as const }])),
    dir: { type: 'string', default: '.' }
  })
  if (values.help) {
    process.stdout.write(HELP.init)
    return 0
  }
  const sources = initSources(values as Partial<Record<InitType, string[]>>)
  if (sources.length === 0)
    throw new UsageError('name at least one source, e.g. --github acme or --octopus https://octopus.example.com')
  const config = configText(sources)
  try {
    parseConfig(yaml.load(config), DEFAULT_CONFIG_PATH)
  } catch (error) {
    // A value from the command line the config would reject (a URL without https://): say which.
    if (error instanceof ConfigError) throw new ArgumentError(error.message)
    throw error
  }
  const dir = values.dir as string
  const files: Array<[string, string]> = [
    [DEFAULT_CONFIG_PATH, config],
    [WORKFLOW_PATH, workflowText(sources)]
  ]
  const existing = await firstExisting(dir, files)
  if (existing)
    throw new ArgumentError(
      `${existing} already exists; nothing was written (edit it, or move it away and run init again)`
    )
  for (const [file, text] of files) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true })
    // `wx`: a file that appeared since the check is not overwritten either.
    await writeFile(path.join(dir, file), text, { flag: 'wx' })
  }
  const secrets = sources.flatMap((s) => (s.type === 'github' ? [] : Object.values(s.env)))
  process.stdout.write(
    [
      `Wrote ${DEFAULT_CONFIG_PATH} and ${WORKFLOW_PATH}. Next:`,
      '  1. Create the GitHub App and install it (README: "Set up the GitHub App"); store its id as the',
      '     variable PERMISSION_SNAPSHOT_APP_ID and its private key as the secret PERMISSION_SNAPSHOT_APP_KEY.',
      ...(secrets.length > 0 ? [`  2. Add the repository secrets ${secrets.join(', ')}.`] : []),
      `  ${secrets.length > 0 ? 3 : 2}. Commit both files and run the workflow (Actions → Permission snapshot → Run workflow).`,
      ''
    ].join('\n')
  )
  return 0
}

async function firstExisting(dir: string, files: Array<[string, string]>): Promise<string | undefined> {
  for (const [file] of files) {
    const found = await access(path.join(dir, file)).then(
      () => true,
      () => false
    )
    if (found) return file
  }
  return undefined
}
