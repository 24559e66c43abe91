/**
 * Real files in a temp dir for the pipeline and CLI tests: exports for the
 * `file` source, configs, and the snapshot folder read back byte for byte.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import yaml from 'js-yaml'
import type { FileExport } from '../../src/sources/file/index.js'

export interface Workspace {
  dir: string
  /** Writes a `file` source export (YAML) under the workspace and returns its absolute path. */
  writeExport(name: string, data: FileExport): Promise<string>
  /** Writes any text file under the workspace and returns its absolute path. */
  write(relative: string, text: string): Promise<string>
  remove(): Promise<void>
}

export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(path.join(tmpdir(), 'permission-snapshot-test-'))
  const write = async (relative: string, text: string) => {
    const file = path.join(dir, relative)
    await mkdir(path.dirname(file), { recursive: true })
    await writeFile(file, text)
    return file
  }
  return {
    dir,
    write,
    writeExport: (name, data) => write(`exports/${name}.yaml`, yaml.dump(data)),
    remove: () => rm(dir, { recursive: true, force: true })
  }
}

/** Every file under `dir` as posix path (relative to `dir`) → content; empty when `dir` does not exist. */
export async function readTree(dir: string): Promise<Map<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return []
    throw error
  })
  const files = entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)).split(path.sep).join('/'))
    .sort()
  return new Map(await Promise.all(files.map(async (f) => [f, await readFile(path.join(dir, f), 'utf8')] as const)))
}

/** The files of one source folder (`<type>/<name>/`), keyed relative to the snapshot root. */
export function sourceFiles(tree: Map<string, string>, source: string): Map<string, string> {
  return new Map([...tree].filter(([file]) => file.startsWith(`${source}/`)))
}

/**
 * A small finance export: two groups, three roles with privilege tiers, five
 * grants over three scopes (one of them a sandbox, for the include/exclude tests).
 */
export function financeDay1(): FileExport {
  return {
    principals: [
      { id: 'u1', name: 'alice', email: 'Alice@Example.com' },
      { id: 'u2', name: 'bob', email: 'bob@example.com' },
      { id: 'u3', name: 'carol' },
      { id: 'svc', name: 'ledger-sync', kind: 'service-account' }
    ],
    groups: [
      { id: 'g1', name: 'Finance Admins', members: [{ id: 'u1', role: 'member' }] },
      { id: 'g2', name: 'Payables', members: [{ id: 'u2' }, { id: 'u3' }] }
    ],
    roles: [
      { id: 'r-admin', name: 'Administrator', permissions: ['ledger.*'], privilege: 'admin' },
      { id: 'r-write', name: 'Approver', permissions: ['invoice.approve'], privilege: 'write' },
      { id: 'r-read', name: 'Reader', permissions: ['invoice.read'], privilege: 'read' }
    ],
    scopes: [
      { id: 'eu', name: 'ledger-EU', type: 'ledger' },
      { id: 'us', name: 'ledger-US', type: 'ledger' },
      { id: 'sb', name: 'sandbox-1', type: 'ledger' }
    ],
    grants: [
      { principal: 'g1', role: 'r-admin', scope: 'eu' },
      { principal: 'g2', role: 'r-write', scope: 'eu' },
      { principal: 'svc', role: 'r-read', scope: 'eu' },
      { principal: 'u3', role: 'r-write', scope: 'us' },
      { principal: 'u2', role: 'r-admin', scope: 'sb' }
    ]
  }
}

/** Day 2: bob joins the admins, carol loses her US approval, the service account becomes US administrator. */
export function financeDay2(): FileExport {
  const next = financeDay1()
  next.groups![0]!.members!.push({ id: 'u2', role: 'member' })
  next.grants = next.grants!.filter((g) => !(g.principal === 'u3' && g.scope === 'us'))
  next.grants.push({ principal: 'svc', role: 'r-admin', scope: 'us' })
  return next
}

/** A second, unrelated system, so one source can fail while another is written. */
export function hrExport(): FileExport {
  return {
    principals: [{ id: 'p1', name: 'dave' }],
    roles: [{ id: 'viewer', name: 'Viewer', privilege: 'read' }],
    grants: [{ principal: 'p1', role: 'viewer', scope: 'payroll' }]
  }
}

/** `total` people, the first `members` of them (all by default) in the Staff group, which holds one grant. */
export function staffExport(total: number, members = total): FileExport {
  const principals = Array.from({ length: total }, (_, i) => ({ id: `s${i}`, name: `staff${i}` }))
  return {
    principals,
    groups: [{ id: 'staff', name: 'Staff', members: principals.slice(0, members).map((p) => ({ id: p.id })) }],
    roles: [{ id: 'editor', name: 'Editor', privilege: 'write' }],
    grants: [{ principal: 'staff', role: 'editor', scope: 'wiki' }]
  }
}
