import { execFile, spawn } from 'node:child_process'
import path from 'node:path'
import { promisify } from 'node:util'

const exec = promisify(execFile)

/**
 * Every file under `dir` at git revision `rev` of the repository at `cwd`,
 * as path (relative to `dir`) → content. Blobs are read through one
 * `git cat-file --batch` process, so large snapshot folders stay fast.
 */
export async function readTreeAt(cwd: string, rev: string, dir: string): Promise<Map<string, string>> {
  // `./snapshots/` is the same folder as `snapshots`, but git lists paths without the `./`.
  const prefix = path.posix.normalize(dir).replace(/\/+$/, '')
  let listing: string
  try {
    listing = (
      await exec('git', ['ls-tree', '-r', '-z', '--full-tree', rev, '--', prefix], { cwd, maxBuffer: 1 << 30 })
    ).stdout
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim()
    throw new Error(`cannot read '${prefix}' at git revision '${rev}': ${stderr || (error as Error).message}`, {
      cause: error
    })
  }
  const entries = listing
    .split('\0')
    .filter(Boolean)
    .map((line) => {
      const [meta, path] = line.split('\t') as [string, string]
      return { sha: meta.split(' ')[2] as string, path }
    })
  const contents = await catBlobs(
    cwd,
    entries.map((e) => e.sha)
  )
  return new Map(entries.map((e, i) => [e.path.slice(prefix.length + 1), contents[i] as string]))
}

/**
 * The first parent of commit `rev`, or undefined when it is a root commit
 * (the first commit of the repository has nothing before it to compare with).
 */
export async function parentOf(cwd: string, rev: string): Promise<string | undefined> {
  let line: string
  try {
    line = (await exec('git', ['rev-list', '--parents', '-n', '1', `${rev}^{commit}`, '--'], { cwd })).stdout.trim()
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim()
    throw new Error(`cannot find the commit '${rev}': ${stderr || (error as Error).message}`, { cause: error })
  }
  return line.split(' ')[1]
}

async function catBlobs(cwd: string, shas: string[]): Promise<string[]> {
  if (shas.length === 0) return []
  const child = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'inherit'] })
  const chunks: Buffer[] = []
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk))
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', reject)
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git cat-file exited with ${code}`))))
  })
  child.stdin.end(shas.join('\n') + '\n')
  await done
  const output = Buffer.concat(chunks)
  const blobs: string[] = []
  let offset = 0
  for (let i = 0; i < shas.length; i++) {
    const headerEnd = output.indexOf(0x0a, offset)
    const size = Number(output.subarray(offset, headerEnd).toString('utf8').split(' ')[2])
    blobs.push(output.subarray(headerEnd + 1, headerEnd + 1 + size).toString('utf8'))
    offset = headerEnd + 1 + size + 1
  }
  return blobs
}
