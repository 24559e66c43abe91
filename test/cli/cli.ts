/**
 * Runs the real CLI entry point (`src/cli/index.ts` through tsx, so no build is
 * needed) as a child process in a working directory, and git in a temp repo.
 */
import { execFile, spawn } from 'node:child_process'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { promisify } from 'node:util'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')
const ENTRY = path.join(REPO, 'src', 'cli', 'index.ts')
// `--import` resolves from the child's working directory, a temp dir without node_modules: pass tsx by URL.
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

export interface CliResult {
  code: number | null
  stdout: string
  stderr: string
}

export function cli(cwd: string, ...args: string[]): Promise<CliResult> {
  return cliWithEnv(cwd, {}, ...args)
}

/** The CLI with extra environment variables (source credentials named in the config). */
export function cliWithEnv(cwd: string, env: Record<string, string>, ...args: string[]): Promise<CliResult> {
  const child = spawn(process.execPath, ['--import', TSX, ENTRY, ...args], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  return new Promise((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const exec = promisify(execFile)

/** Git with a fixed identity, so commits work on any machine. */
export async function git(cwd: string, ...args: string[]): Promise<string> {
  const identity = ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false']
  return (await exec('git', [...identity, ...args], { cwd })).stdout
}
