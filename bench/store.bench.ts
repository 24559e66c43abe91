import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Grant, Privilege, Snapshot } from '../src/model/types.js'
import { readSnapshot, writeSnapshot } from '../src/store/disk.js'
import { renderSnapshot } from '../src/store/snapshot-files.js'
import { Random } from '../test/sim/random.js'

const SIZE = { principals: 20_000, groups: 1_000, roles: 40, scopes: 5_000, grants: 200_000 }

/** A large organization, the same on every run. */
function generate(random: Random): Snapshot {
  const words = ['platform', 'payments', 'api', 'web', 'data', 'infra', 'mobile', 'search', 'billing', 'identity']
  const principals = Array.from({ length: SIZE.principals }, (_, i) => ({
    id: `U_${i.toString(36)}`,
    name: `user-${i}`,
    kind: random.chance(0.02) ? ('bot' as const) : ('user' as const),
    ...(random.chance(0.5) ? { email: `user-${i}@example.com` } : {})
  }))
  const privileges: Privilege[] = ['read', 'write', 'admin', 'owner']
  const roles = Array.from({ length: SIZE.roles }, (_, i) => ({
    id: `role-${i}`,
    name: `Role ${i}`,
    privilege: random.pick(privileges),
    permissions: random.sample(['read', 'write', 'deploy', 'admin', 'delete', 'invite', 'audit', 'billing'], 4)
  }))
  const groups = Array.from({ length: SIZE.groups }, (_, i) => ({
    id: `T_${i}`,
    // Some names repeat (with different case), as real organizations' do.
    name: `${random.pick(words)}-${random.chance(0.5) ? 'Team' : 'team'}-${i % 900}`,
    members: random
      .sample(principals, random.int(1, 40))
      .map((p) => ({ id: p.id, role: random.pick(['member', 'maintainer']) }))
  }))
  const scopes = Array.from({ length: SIZE.scopes }, (_, i) => ({
    id: `R_${i}`,
    type: i % 5 === 0 ? 'folder' : 'repository',
    name: `${random.pick(words)}-${random.pick(words)}-${i}`
  }))
  const grants: Grant[] = Array.from({ length: SIZE.grants }, (_, i) => {
    const group = random.chance(0.3)
    return {
      subject: group
        ? { type: 'group', id: random.pick(groups).id }
        : { type: 'principal', id: random.pick(principals).id },
      role: random.pick(roles).id,
      scope: scopes[i % SIZE.scopes]!.id,
      ...(random.chance(0.2) ? { via: `team:${random.pick(groups).id}` } : {}),
      ...(random.chance(0.05) ? { restrictions: { environments: random.sample(['dev', 'test', 'prod'], 2) } } : {})
    }
  })
  return { source: { type: 'github', name: 'bench' }, principals, roles, groups, scopes, grants }
}

async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
  const started = performance.now()
  const cpu = process.cpuUsage()
  const result = await work()
  const seconds = ((performance.now() - started) / 1000).toFixed(2)
  // CPU time beside wall time: on a busy machine the wall clock also counts waiting for a core.
  const used = process.cpuUsage(cpu)
  const cpuSeconds = ((used.user + used.system) / 1e6).toFixed(2)
  // maxRSS is in kilobytes and only ever grows: the peak of the whole run so far.
  const peakMb = (process.resourceUsage().maxRSS / 1024).toFixed(0)
  console.log(
    `${label.padEnd(20)} ${seconds.padStart(6)} s wall ${cpuSeconds.padStart(6)} s cpu   peak RSS ${peakMb} MB`
  )
  return result
}

export async function run(): Promise<void> {
  const snapshot = await timed('generate', () => generate(new Random(42)))
  console.log(
    `${SIZE.grants} grants, ${SIZE.scopes} scopes, ${SIZE.principals} principals, ${SIZE.groups} groups, ${SIZE.roles} roles`
  )
  const files = await timed('render', () => renderSnapshot(snapshot))
  const bytes = [...files.values()].reduce((sum, text) => sum + Buffer.byteLength(text), 0)
  console.log(`${files.size} files, ${(bytes / 1024 / 1024).toFixed(1)} MB`)
  const root = await mkdtemp(path.join(tmpdir(), 'store-bench-'))
  try {
    await timed('write (fresh)', () => writeSnapshot(root, snapshot))
    const again = await timed('write (unchanged)', () => writeSnapshot(root, snapshot))
    console.log(`unchanged write touched ${again.changed.length + again.removed.length} files`)
    const back = await timed('read back', () => readSnapshot(root, snapshot.source))
    if (back?.grants.length !== SIZE.grants) throw new Error(`read back ${back?.grants.length} grants`)
  } finally {
    await rm(root, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await run()
