/**
 * One daily run of the pipeline over a snapshot folder prepared on disk, in a
 * process of its own so that the time and peak memory it reports are the
 * run's alone, not those of the code that generated the archive nor of the
 * simulator it reads (which stay in the parent). `dailyRun()` starts it and
 * waits; the child prints one JSON line.
 */
import { spawn } from 'node:child_process'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parseConfig } from '../src/config/load.js'
import { runSnapshot } from '../src/pipeline/run.js'

export interface DailyRun {
  /** The snapshot folder (`snapshots`): previous state and archive in, the new state out. */
  root: string
  /** The config file's content. */
  config: unknown
  env: Record<string, string>
  /** The run's instant. */
  now: string
}

export interface DailyRunResult {
  seconds: number
  cpuSeconds: number
  peakRssMb: number
  status: string
  /** Events of the window, and the requests the source logged. */
  events: number
  requests?: number
  error?: string
}

/** Runs `run` in a child process (Node with tsx, as `npm run bench` runs the benchmarks) and returns what it measured. */
export async function dailyRun(run: DailyRun): Promise<DailyRunResult> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), JSON.stringify(run)], {
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const out: Buffer[] = []
  const err: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
  const started = performance.now()
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  const line = Buffer.concat(out).toString('utf8').trim().split('\n').at(-1) ?? ''
  if (code === 0 && line.startsWith('{')) return JSON.parse(line) as DailyRunResult
  // A crash (the heap exhausted, the stack overflowed) is a result too: say what it was and when.
  const reason = Buffer.concat(err)
    .toString('utf8')
    .split('\n')
    .find((l) => /FATAL ERROR|RangeError|Error:/.test(l))
  return {
    seconds: Number(((performance.now() - started) / 1000).toFixed(1)),
    cpuSeconds: NaN,
    peakRssMb: NaN,
    status: 'crashed',
    events: 0,
    error: (reason ?? `exit code ${code}`).trim().slice(0, 120)
  }
}

async function child(run: DailyRun): Promise<void> {
  const lines: string[] = []
  const log = { info: (m: string) => lines.push(m), warn: (m: string) => lines.push(m), debug() {} }
  const config = parseConfig(run.config, 'bench.yml')
  const started = performance.now()
  const cpu = process.cpuUsage()
  const result = await runSnapshot({ config, root: run.root, now: new Date(run.now), env: run.env, log })
  const used = process.cpuUsage(cpu)
  const outcome = result.report.outcomes[0]!
  const requests = lines.map((l) => /, (\d+) requests$/.exec(l)?.[1]).find(Boolean)
  const measured: DailyRunResult = {
    seconds: Number(((performance.now() - started) / 1000).toFixed(2)),
    cpuSeconds: Number(((used.user + used.system) / 1e6).toFixed(2)),
    // maxRSS is in kilobytes: the peak of this process, which did nothing but the run.
    peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024),
    status: outcome.status,
    events: outcome.events.length,
    ...(requests ? { requests: Number(requests) } : {}),
    ...(outcome.error ? { error: outcome.error.slice(0, 120) } : {})
  }
  process.stdout.write(`${JSON.stringify(measured)}\n`)
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await child(JSON.parse(process.argv[2]!) as DailyRun)
