/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn, each in a process
 * of its own so the peak memory it prints is its own. Performance goals are
 * checked here, never by timed tests. `npm run bench -- github store` runs
 * only the named ones.
 */
import { spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, '')))
  .sort()
for (const file of files) {
  process.stdout.write(`\n## ${file.replace(/\.bench\.ts$/, '')}\n\n`)
  const { status } = spawnSync(process.execPath, ['--import', 'tsx', join(here, file)], { stdio: 'inherit' })
  if (status !== 0) process.exitCode = 1
}
