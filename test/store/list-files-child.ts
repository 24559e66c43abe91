/**
 * Lists a store folder in a process of its own, for tests that run it with a
 * small stack (`node --stack-size=…`): prints how many files `listFiles` found,
 * or the error it threw.
 */
import { listFiles } from '../../src/store/safe-fs.js'

const [dir, entry] = process.argv.slice(2) as [string, string]
try {
  process.stdout.write(`${JSON.stringify({ files: (await listFiles(dir, entry)).length })}\n`)
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`)
}
