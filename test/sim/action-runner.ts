/**
 * Runs the BUNDLED action (`dist/index.js`) the way the GitHub Actions runner
 * does: a child process of Node 24 (the npm package `node@24`, as `runs.using:
 * node24` asks) in the workspace, with every input as `INPUT_<NAME>` (action.yml's
 * defaults filled in for inputs not given, as the runner does), the `GITHUB_*`
 * variables pointing at a simulator, and the runner's file commands
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, ...) as real files that are read back.
 * Used by the end-to-end test and the demo.
 */
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import yaml from 'js-yaml'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Node 24 from node_modules (dev dependency `node`), the runtime action.yml declares. */
export const NODE_24 = join(ROOT, 'node_modules', 'node', 'bin', 'node')
export const BUNDLE = join(ROOT, 'dist', 'index.js')

export interface ActionRunOptions {
  /** Inputs by their action.yml names (`team-reviewers`); the rest take action.yml's defaults. */
  inputs?: Record<string, string>
  /** The checkout the step runs in (`GITHUB_WORKSPACE`, also the working directory). */
  workspace: string
  /** `owner/repo`. */
  repository: string
  /** The simulator's REST base URL and GraphQL URL. */
  apiUrl: string
  graphqlUrl: string
  /** The step's `env:`: source credentials named in the config. */
  env?: Record<string, string>
  node?: string
  entry?: string
  /** The run is killed after this long (default 60 s). */
  timeoutMs?: number
}

export interface ActionRun {
  /** The workspace the action ran in. */
  workspace: string
  exitCode: number
  /** Everything the action printed, workflow commands included (`::add-mask::` lines carry the secrets). */
  stdout: string
  stderr: string
  /** stdout as the job log shows it: without the `::add-mask::` commands the runner consumes. */
  log: string
  /** Values the action asked the runner to mask. */
  masks: string[]
  /** `::error::` messages (what `core.setFailed` reports). */
  errors: string[]
  /** Step outputs read from the `GITHUB_OUTPUT` file. */
  outputs: Record<string, string>
  /** The `GITHUB_STEP_SUMMARY` file ('' when not written). */
  summary: string
  /** The file the `report-path` output named ('' when none); read before `RUNNER_TEMP` is removed. */
  report: string
}

/** Inputs with their action.yml defaults; expression defaults (`${{ github.token }}`) must be given. */
async function actionDefaults(): Promise<Record<string, string>> {
  const action = yaml.load(await readFile(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: unknown }>
  }
  const defaults: Record<string, string> = {}
  for (const [name, input] of Object.entries(action.inputs)) {
    const value = input.default === undefined ? '' : String(input.default)
    if (!value.includes('${{')) defaults[name] = value
  }
  return defaults
}

/** The runner's naming: upper case, spaces to underscores, hyphens kept. */
export const inputVariable = (name: string) => `INPUT_${name.replace(/ /g, '_').toUpperCase()}`

export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  const node = options.node ?? NODE_24
  const entry = options.entry ?? BUNDLE
  if (!existsSync(entry)) throw new Error(`${entry} is missing: run npm run build`)
  if (!existsSync(node)) throw new Error(`${node} is missing: run npm install (the dev dependency node@24)`)
  const temp = await mkdtemp(join(tmpdir(), 'action-runner-'))
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_STEP_SUMMARY: join(temp, 'step_summary'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
    GITHUB_STATE: join(temp, 'state')
  }
  // The runner creates the file-command files empty before the step starts.
  await Promise.all(Object.values(files).map((file) => writeFile(file, '')))
  const inputs = { ...(await actionDefaults()), ...options.inputs }
  // A clean environment, as on a runner: nothing of the test process (its own GITHUB_* on CI) leaks in.
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    ...(process.env.SYSTEMROOT ? { SYSTEMROOT: process.env.SYSTEMROOT } : {}),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_ACTION: 'permission-snapshot',
    GITHUB_EVENT_NAME: 'schedule',
    GITHUB_REPOSITORY: options.repository,
    GITHUB_REPOSITORY_OWNER: options.repository.split('/')[0],
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_GRAPHQL_URL: options.graphqlUrl,
    GITHUB_WORKSPACE: options.workspace,
    RUNNER_TEMP: temp,
    ...files,
    ...Object.fromEntries(Object.entries(inputs).map(([name, value]) => [inputVariable(name), value])),
    ...options.env
  }

  const child = spawn(node, [entry], { cwd: options.workspace, env, stdio: ['ignore', 'pipe', 'pipe'] })
  const stdout: Buffer[] = []
  const stderr: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk))
  const timeoutMs = options.timeoutMs ?? 60_000
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 : 1)))
  }).finally(() => clearTimeout(timer))

  const out = Buffer.concat(stdout).toString('utf8')
  const lines = out.split('\n')
  const command = (name: string) =>
    lines.filter((l) => l.startsWith(`::${name}`)).map((l) => unescapeData(l.slice(l.indexOf('::', 2) + 2)))
  const outputs = parseFileCommand(await readFile(files.GITHUB_OUTPUT, 'utf8'))
  const summary = await readFile(files.GITHUB_STEP_SUMMARY, 'utf8')
  const reportPath = outputs['report-path']
  const report = reportPath && existsSync(reportPath) ? await readFile(reportPath, 'utf8') : ''
  // Like the runner, which empties its temp folder after every job.
  await rm(temp, { recursive: true, force: true })
  return {
    workspace: options.workspace,
    exitCode,
    stdout: out,
    stderr: Buffer.concat(stderr).toString('utf8'),
    log: lines.filter((l) => !l.startsWith('::add-mask::')).join('\n'),
    masks: command('add-mask'),
    errors: command('error'),
    outputs,
    summary,
    report
  }
}

/** Workflow command data escapes (`%25`, `%0D`, `%0A`), undone. */
function unescapeData(text: string): string {
  return text.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%')
}

/** `name<<DELIMITER` … `DELIMITER` blocks (what @actions/core writes) and `name=value` lines. */
export function parseFileCommand(text: string): Record<string, string> {
  const values: Record<string, string> = {}
  const lines = text.split(/\r?\n/)
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc as unknown as [string, string, string]
      const end = lines.indexOf(delimiter, i + 1)
      if (end < 0) throw new Error(`GITHUB_OUTPUT: no closing ${delimiter} for ${name}`)
      values[name] = lines.slice(i + 1, end).join('\n')
      i = end
    } else if (line.includes('=')) {
      values[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return values
}
