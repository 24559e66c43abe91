/**
 * The `file` source in the demo: an export another tool (a finance system,
 * say) wrote, rewritten on day 2 as that tool would after a day's changes.
 */
import { writeFileSync } from 'node:fs'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import yaml from 'js-yaml'
import type { FileExport } from '../../../src/sources/file/index.js'
import type { SimulatedSystem } from '../system.js'

const day1: FileExport = {
  principals: [
    { id: 'u1', name: 'alice', kind: 'user', email: 'alice@example.com' },
    { id: 'u2', name: 'bob', kind: 'user', email: 'bob@example.com' },
    { id: 'u3', name: 'carol', kind: 'user', email: 'carol@example.com' },
    { id: 'svc-ledger', name: 'ledger-sync', kind: 'service-account' }
  ],
  groups: [
    { id: 'g1', name: 'Finance Admins', members: [{ id: 'u1', role: 'member' }] },
    {
      id: 'g2',
      name: 'Accounts Payable',
      members: [
        { id: 'u2', role: 'member' },
        { id: 'u3', role: 'member' }
      ]
    }
  ],
  roles: [
    { id: 'r-admin', name: 'Ledger Administrator', permissions: ['ledger.*'], privilege: 'admin' },
    { id: 'r-approve', name: 'Approver', permissions: ['invoice.approve', 'invoice.read'], privilege: 'write' },
    { id: 'r-read', name: 'Reader', permissions: ['invoice.read'], privilege: 'read' }
  ],
  grants: [
    { principal: 'g1', role: 'r-admin', scope: 'ledger/EU' },
    { principal: 'g2', role: 'r-approve', scope: 'ledger/EU' },
    { principal: 'svc-ledger', role: 'r-read', scope: 'ledger/EU' },
    { principal: 'u3', role: 'r-approve', scope: 'ledger/US' }
  ]
}

/** Day 2: the service account is made an administrator, carol loses her US approval, bob is promoted. */
function day2Export(): FileExport {
  const next = structuredClone(day1)
  next.grants = next.grants!.filter((g) => !(g.principal === 'u3' && g.scope === 'ledger/US'))
  next.grants.push({ principal: 'svc-ledger', role: 'r-admin', scope: 'ledger/US' })
  next.groups![1]!.members = [
    { id: 'u2', role: 'owner' },
    { id: 'u3', role: 'member' }
  ]
  return next
}

export async function startFileDemo(): Promise<SimulatedSystem> {
  const dir = await mkdtemp(join(tmpdir(), 'permission-snapshot-file-'))
  const path = join(dir, 'finance-export.yaml')
  await writeFile(path, yaml.dump(day1))
  return {
    source: { type: 'file', name: 'finance', path },
    env: {},
    day2: () => {
      writeFileSync(path, yaml.dump(day2Export()))
      return [
        'finance: service account ledger-sync made Ledger Administrator on ledger/US',
        "finance: carol's Approver grant on ledger/US removed",
        'finance: bob promoted to owner of Accounts Payable'
      ]
    },
    stop: () => rm(dir, { recursive: true, force: true })
  }
}
