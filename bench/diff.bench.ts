import { pathToFileURL } from 'node:url'
import { diffSnapshots } from '../src/diff/diff.js'
import { grantKey } from '../src/model/keys.js'
import type { AuditEvent, Grant, Group, Principal, Role, Scope, Snapshot } from '../src/model/types.js'
import { renderMarkdown, renderText } from '../src/report/render.js'
import type { Report } from '../src/report/types.js'
import { Random } from '../test/sim/random.js'

const GRANTS = 200_000
const source = { type: 'github', name: 'bench' }

/** A large organization: 20,000 principals, 2,000 groups, 5,000 scopes, 200,000 grants. */
function yesterday(random: Random): Snapshot {
  const principals: Principal[] = Array.from({ length: 20_000 }, (_, i) => ({
    id: `U${i}`,
    name: `user-${i}`,
    kind: i % 100 === 0 ? 'bot' : 'user',
    ...(i % 40 === 0 ? { external: true } : {})
  }))
  const groups: Group[] = Array.from({ length: 2_000 }, (_, i) => ({
    id: `T${i}`,
    name: `team-${i}`,
    members: random
      .sample(principals, random.int(1, 30))
      .map((p) => ({ id: p.id, role: random.chance(0.1) ? 'maintainer' : 'member' }))
  }))
  const roles: Role[] = (['read', 'triage', 'write', 'maintain', 'admin'] as const).map((name, i) => ({
    id: name,
    name,
    permissions: [`p${i}`],
    privilege: (['read', 'read', 'write', 'write', 'admin'] as const)[i]
  }))
  const scopes: Scope[] = [
    { id: 'O', type: 'organization', name: 'bench' },
    ...Array.from({ length: 5_000 }, (_, i) => ({ id: `R${i}`, type: 'repository', name: `repo-${i}`, parent: 'O' }))
  ]
  const grants = new Map<string, Grant>()
  while (grants.size < GRANTS) {
    const grant = randomGrant(random, principals, groups, roles, scopes)
    grants.set(grantKey(grant), grant)
  }
  return { source, principals, groups, roles, scopes, grants: [...grants.values()] }
}

function randomGrant(random: Random, principals: Principal[], groups: Group[], roles: Role[], scopes: Scope[]): Grant {
  const group = random.chance(0.2)
  return {
    subject: group
      ? { type: 'group', id: random.pick(groups).id }
      : { type: 'principal', id: random.pick(principals).id },
    role: random.pick(roles).id,
    scope: random.pick(scopes).id,
    ...(random.chance(0.05)
      ? { restrictions: { environments: random.sample(['dev', 'test', 'prod'], random.int(1, 2)) } }
      : {})
  }
}

/** About 3% of grants change (removed, added, role changed, restrictions changed), plus renames and memberships. */
function today(random: Random, before: Snapshot): Snapshot {
  const principals = before.principals.map((p) => (random.chance(0.01) ? { ...p, name: `${p.name}-renamed` } : p))
  const groups = before.groups.map((g) =>
    random.chance(0.05)
      ? { ...g, members: [...g.members.slice(1), { id: random.pick(before.principals).id, role: 'member' }] }
      : g
  )
  const grants: Grant[] = []
  const keys = new Set<string>()
  const add = (grant: Grant) => {
    const key = grantKey(grant)
    if (!keys.has(key)) grants.push(grant)
    keys.add(key)
  }
  for (const grant of before.grants) {
    const roll = random.next()
    if (roll < 0.01) continue
    if (roll < 0.02) add({ ...grant, role: random.pick(before.roles).id })
    else if (roll < 0.025) add({ ...grant, restrictions: { environments: ['prod'] } })
    else add(grant)
  }
  for (let i = 0; i < GRANTS * 0.01; i++)
    add(randomGrant(random, before.principals, before.groups, before.roles, before.scopes))
  return { ...before, principals, groups, grants }
}

function events(random: Random, after: Snapshot): AuditEvent[] {
  return Array.from({ length: 5_000 }, (_, i) => {
    const grant = random.pick(after.grants)
    return {
      id: `E${i}`,
      time: new Date(Date.UTC(2025, 2, 1) + i * 1000).toISOString(),
      actor: { name: `user-${random.int(0, 99)}` },
      action: 'repo.update_member',
      target: { type: 'user', id: grant.subject.id },
      details: { repo: grant.scope }
    }
  })
}

function measure<T>(label: string, run: () => T): T {
  const started = performance.now()
  const result = run()
  const ms = performance.now() - started
  const rss = process.resourceUsage().maxRSS / 1024
  console.log(`${label.padEnd(16)} ${ms.toFixed(0).padStart(6)} ms   peak RSS ${rss.toFixed(0)} MiB`)
  return result
}

export async function run(): Promise<void> {
  const random = new Random(20250301)
  const before = yesterday(random)
  // A copy, as in a real run where both sides are parsed separately and share no objects.
  const after = structuredClone(today(random, before))
  console.log(`diff bench: ${before.grants.length} → ${after.grants.length} grants`)
  const changes = measure('diffSnapshots', () => diffSnapshots(before, after))
  const g = changes.grants
  console.log(`  grants: ${g.added.length} added, ${g.removed.length} removed, ${g.changed.length} changed`)
  const report: Report = {
    outcomes: [
      { source, status: 'ok', notes: [], baseline: false, before, after, changes, events: events(random, after) }
    ],
    massRemovalThreshold: 0.25
  }
  const md = measure('renderMarkdown', () => renderMarkdown(report))
  console.log(`  ${md.length} characters`)
  const text = measure('renderText', () => renderText(report))
  console.log(`  ${text.length} characters`)
}

if (import.meta.url === pathToFileURL(process.argv[1]!).href) await run()
