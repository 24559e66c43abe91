/**
 * The large snapshot the store and pages benchmarks share: 200,000 grants over
 * 5,000 scopes, 20,000 principals and 1,000 groups, the same on every run.
 */
import type { Grant, Privilege, Snapshot } from '../src/model/types.js'
import type { Random } from '../test/sim/random.js'

export interface Size {
  principals: number
  groups: number
  roles: number
  scopes: number
  grants: number
}

export const SIZE: Size = { principals: 20_000, groups: 1_000, roles: 40, scopes: 5_000, grants: 200_000 }

/** An organization of `size` (by default the large one), the same on every run. */
export function generate(random: Random, size: Size = SIZE): Snapshot {
  const words = ['platform', 'payments', 'api', 'web', 'data', 'infra', 'mobile', 'search', 'billing', 'identity']
  const principals = Array.from({ length: size.principals }, (_, i) => ({
    id: `U_${i.toString(36)}`,
    name: `user-${i}`,
    kind: random.chance(0.02) ? ('bot' as const) : ('user' as const),
    ...(random.chance(0.5) ? { email: `user-${i}@example.com` } : {})
  }))
  const privileges: Privilege[] = ['read', 'write', 'admin', 'owner']
  const roles = Array.from({ length: size.roles }, (_, i) => ({
    id: `role-${i}`,
    name: `Role ${i}`,
    privilege: random.pick(privileges),
    permissions: random.sample(['read', 'write', 'deploy', 'admin', 'delete', 'invite', 'audit', 'billing'], 4)
  }))
  const groups = Array.from({ length: size.groups }, (_, i) => ({
    id: `T_${i}`,
    // Some names repeat (with different case), as real organizations' do.
    name: `${random.pick(words)}-${random.chance(0.5) ? 'Team' : 'team'}-${i % 900}`,
    members: random
      .sample(principals, random.int(1, 40))
      .map((p) => ({ id: p.id, role: random.pick(['member', 'maintainer']) }))
  }))
  const scopes = Array.from({ length: size.scopes }, (_, i) => ({
    id: `R_${i}`,
    // One folder of repositories when there are very many scopes, so one folder holds very many files.
    type: size.scopes <= 100_000 && i % 5 === 0 ? 'folder' : 'repository',
    name: `${random.pick(words)}-${random.pick(words)}-${i}`
  }))
  const grants: Grant[] = Array.from({ length: size.grants }, (_, i) => {
    const group = random.chance(0.3)
    return {
      subject: group
        ? { type: 'group', id: random.pick(groups).id }
        : { type: 'principal', id: random.pick(principals).id },
      role: random.pick(roles).id,
      scope: scopes[i % size.scopes]!.id,
      ...(random.chance(0.2) ? { via: `team:${random.pick(groups).id}` } : {}),
      ...(random.chance(0.05) ? { restrictions: { environments: random.sample(['dev', 'test', 'prod'], 2) } } : {})
    }
  })
  return { source: { type: 'github', name: 'bench' }, principals, roles, groups, scopes, grants }
}

/** Runs `work` and prints its wall and CPU time and the peak RSS of the process so far. */
export async function timed<T>(label: string, work: () => Promise<T> | T): Promise<T> {
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
