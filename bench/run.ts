/**
 * `npm run bench`: runs every `bench/*.bench.ts` in turn (each prints its own
 * table). Performance goals are checked here, never by timed tests.
 * `npm run bench -- github store` runs only the named ones.
 */
import { readdir } from 'node:fs/promises'
import { dirname } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const only = process.argv.slice(2)
const files = (await readdir(here))
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.includes(f.replace(/\.bench\.ts$/, '')))
  .sort()
for (const file of files) {
  process.stdout.write(`\n## ${file.replace(/\.bench\.ts$/, '')}\n\n`)
  const bench = (await import(pathToFileURL(`${here}/${file}`).href)) as { run(): Promise<void> }
  await bench.run()
}
