import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * The version in the package.json nearest above this module: the package's
 * own wherever it runs from (dist/cli.js installed under node_modules, or
 * src/ in a checkout), so the version has one source, package.json.
 */
export async function packageVersion(): Promise<string> {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const text = await readFile(path.join(dir, 'package.json'), 'utf8').catch(() => undefined)
    if (text !== undefined) return (JSON.parse(text) as { version: string }).version
    if (dir === path.dirname(dir)) throw new Error('cannot find the package.json of permission-snapshot')
  }
}
