import { DEFAULT_CONFIG_PATH, DEFAULT_SNAPSHOT_DIR } from '../config/defaults.js'
import { ConfigError, loadConfig } from '../config/load.js'
import { publishToConfluence } from '../confluence/publish.js'
import { readState } from '../pipeline/pages.js'
import { stderrLogger } from '../util/log.js'
import { HELP, parseOptions } from './usage.js'

/** Publishes the stored state to the Confluence pages the config names; nothing is fetched from the sources. */
export async function publishPagesCommand(args: string[]): Promise<number> {
  const { values } = parseOptions(args, {
    config: { type: 'string', default: DEFAULT_CONFIG_PATH },
    dir: { type: 'string', default: DEFAULT_SNAPSHOT_DIR }
  })
  if (values.help) {
    process.stdout.write(HELP['publish-pages'])
    return 0
  }
  const config = await loadConfig(values.config as string)
  if (!config.confluence)
    throw new ConfigError(
      `${config.file}: no confluence block: nothing to publish (see the README's confluence section)`
    )
  const state = await readState(values.dir as string, config)
  const pages = await publishToConfluence(config.confluence, state, process.env, stderrLogger())
  for (const page of pages)
    process.stdout.write(`${page.content}: page ${page.pageId} ${page.outcome} (version ${page.version})\n`)
  return 0
}
