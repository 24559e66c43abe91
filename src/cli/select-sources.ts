import type { Config } from '../config/load.js'
import { ArgumentError } from './usage.js'

/**
 * The config narrowed to the sources `run --source type/name` names, in the
 * config's order; every source when none is named. A name the config does
 * not hold is bad usage: fetching nothing would look like success.
 */
export function selectSources(config: Config, wanted: readonly string[]): Config {
  if (wanted.length === 0) return config
  const known = config.sources.map((s) => `${s.type}/${s.name}`)
  const unknown = wanted.filter((w) => !known.includes(w))
  if (unknown.length > 0) {
    throw new ArgumentError(
      `--source ${unknown.map((u) => `'${u}'`).join(', ')}: not in ${config.file}; its sources are ${known.join(', ') || 'none'}`
    )
  }
  return { ...config, sources: config.sources.filter((s) => wanted.includes(`${s.type}/${s.name}`)) }
}
