import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { HELP } from './usage.js'

/**
 * The demo drives the simulators under `test/`, which are TypeScript and
 * only exist in a checkout; it runs them through tsx from the dev dependencies.
 */
export async function demoCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(HELP.demo)
    return 0
  }
  const root = findCheckoutRoot(dirname(fileURLToPath(import.meta.url)))
  const script = root && join(root, 'scripts', 'demo.ts')
  if (!script || !existsSync(script) || !existsSync(join(root, 'node_modules', 'tsx'))) {
    process.stderr.write(
      'permission-snapshot demo: run it from a checkout of permission-snapshot after `npm ci` (it needs the simulators in test/ and the dev dependencies).\n'
    )
    return 2
  }
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: 'inherit', cwd: root })
  return new Promise((resolve) => child.on('close', (code) => resolve(code ?? 1)))
}

function findCheckoutRoot(start: string): string | undefined {
  for (let dir = start; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'test', 'sim'))) return dir
  }
  return undefined
}
