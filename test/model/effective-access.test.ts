/**
 * Effective access derived from what each source stored, against what the
 * simulators' own structures say a person can reach (never against the
 * derivation itself): GitHub nested teams and the base permission, UiPath
 * inherited folder roles and directory groups, Octopus teams with their
 * restrictions.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { effectiveAccess, type EffectiveGrant } from '../../src/model/effective.js'
import type { Snapshot } from '../../src/model/types.js'
import { ancestry, BUILT_IN_REPOSITORY_ROLES, type GeneratedOrg, type SimTeam } from '../sim/github/data.js'
import { generateOctopus, SMALL, type OctopusState } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import type { SimServer } from '../sim/server.js'
import { ancestors, type TenantData } from '../sim/uipath/data.js'
import type { UipathSim } from '../sim/uipath/server.js'
import { fetchWith, start, testOrg } from '../sources/github/harness.js'
import { INVITATION_ROLE } from '../sources/github/ground-truth.js'
import { runOctopus } from '../sources/octopus/run.js'
import { runSource as runUipath, startSim as startUipath } from '../sources/uipath/helpers.js'

/** One effective grant as a comparable line: who, where, which role, by which path, held by whom. */
function line(e: {
  principal: string
  scope: string
  role: string
  path: string
  holder?: string
  depth?: number
  via?: string
  below?: boolean
  restrictions?: Record<string, string[]>
}): string {
  return JSON.stringify([
    e.principal,
    e.scope,
    e.role,
    e.path,
    e.holder ?? null,
    e.depth ?? 0,
    e.via ?? null,
    e.below ?? false,
    e.restrictions ?? null
  ])
}

function derived(snapshot: Snapshot): string[] {
  const lines: string[] = []
  for (const grants of effectiveAccess(snapshot).values()) {
    for (const e of grants) lines.push(line(fromEffective(e)))
  }
  return lines.sort()
}

function fromEffective(e: EffectiveGrant) {
  return {
    principal: e.principal,
    scope: e.scope,
    role: e.role,
    path: e.path,
    holder: e.groups.length > 0 ? e.groups[e.groups.length - 1] : undefined,
    depth: e.groups.length,
    via: e.grant?.via,
    below: e.below,
    restrictions: e.grant?.restrictions
  }
}

describe('effective access against the GitHub simulator', () => {
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => stop?.())

  /** What a member reaches in GitHub's own terms: the org role, direct grants, teams and their parents, the base permission. */
  function expected(org: GeneratedOrg): string[] {
    const lines: string[] = []
    const node = (userId: number) => org.users.get(userId)!.nodeId
    const roleId = (name: string) =>
      (BUILT_IN_REPOSITORY_ROLES as readonly string[]).includes(name)
        ? `repository:${name}`
        : `repository-role:${org.customRepoRoles.find((r) => r.name === name)!.id}`
    const repoNode = new Map(org.repos.map((r) => [r.id, r.nodeId]))
    for (const [userId, role] of org.members) {
      const principal = node(userId)
      lines.push(
        line({
          principal,
          scope: org.nodeId,
          role: role === 'admin' ? 'organization:owner' : 'organization:member',
          path: 'direct'
        })
      )
      if (org.defaultRepositoryPermission !== 'none') {
        lines.push(
          line({
            principal,
            scope: org.nodeId,
            role: org.defaultRepositoryPermission,
            path: 'base',
            below: true
          })
        )
      }
    }
    for (const repo of org.repos) {
      for (const [userId, role] of repo.collaborators)
        lines.push(line({ principal: node(userId), scope: repo.nodeId, role: roleId(role), path: 'direct' }))
    }
    // A team's grants reach its own members and the members of every team below it, at the distance of the nearest.
    const distance = (userId: number, holder: SimTeam): number | undefined => {
      let best: number | undefined
      for (const team of org.teams) {
        if (!team.members.has(userId)) continue
        const d = ancestry(org, team).indexOf(holder)
        if (d >= 0 && (best === undefined || d < best)) best = d
      }
      return best
    }
    const reached = (holder: SimTeam) =>
      [...org.users.keys()].flatMap((userId) => {
        const d = distance(userId, holder)
        return d === undefined ? [] : [{ principal: node(userId), depth: d + 1 }]
      })
    for (const team of org.teams) {
      const members = reached(team)
      for (const [repoId, role] of team.repos) {
        for (const { principal, depth } of members) {
          lines.push(
            line({
              principal,
              scope: repoNode.get(repoId)!,
              role: roleId(role),
              path: depth === 1 ? 'group' : 'nested-group',
              holder: team.nodeId,
              depth
            })
          )
        }
      }
    }
    for (const role of org.orgRoles) {
      const id = `organization-role:${role.id}`
      for (const userId of role.users)
        lines.push(line({ principal: node(userId), scope: org.nodeId, role: id, path: 'direct' }))
      for (const teamId of role.teams) {
        const team = org.teams.find((t) => t.id === teamId)!
        for (const { principal, depth } of reached(team)) {
          lines.push(
            line({
              principal,
              scope: org.nodeId,
              role: id,
              path: depth === 1 ? 'group' : 'nested-group',
              holder: team.nodeId,
              depth
            })
          )
        }
      }
    }
    // An invitation holds its organization role directly; it is not a member yet, so no base permission.
    for (const invitation of org.invitations) {
      lines.push(
        line({
          principal: `invitation:${invitation.id}`,
          scope: org.nodeId,
          role: INVITATION_ROLE[invitation.role],
          path: 'direct'
        })
      )
    }
    return lines.sort()
  }

  it('reaches grants through teams, parent teams and the base permission, as GitHub does', async () => {
    const org = testOrg()
    org.defaultRepositoryPermission = 'write'
    const github = await start(org)
    stop = () => github.stop()
    const { snapshot } = await fetchWith(github)
    const lines = expected(org)
    expect(derived(snapshot)).toEqual(lines)
    // The organization exercises every path: nested teams two levels deep, a member of both parent and child.
    expect(lines.some((l) => l.includes('"nested-group"'))).toBe(true)
    expect(lines.some((l) => JSON.parse(l)[5] >= 3)).toBe(true)
    expect(lines.filter((l) => l.includes('"base"'))).toHaveLength(org.members.size)
  })

  it('gives no base permission when the organization sets none', async () => {
    const org = testOrg('team', 3)
    org.defaultRepositoryPermission = 'none'
    const github = await start(org)
    stop = () => github.stop()
    const { snapshot } = await fetchWith(github)
    expect(derived(snapshot)).toEqual(expected(org))
    expect(derived(snapshot).some((l) => l.includes('"base"'))).toBe(false)
  })
})

describe('effective access against the UiPath simulator', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  /** Orchestrator's rules: folder roles hold in the folder and every folder below; a group's roles reach its members. */
  function expected(data: TenantData): string[] {
    const lines: string[] = []
    const account = (id: number) => data.accounts.find((a) => a.Id === id)!
    const holders = (accountId: number) => {
      const a = account(accountId)
      if (a.Type !== 'DirectoryGroup') return [{ principal: String(a.Id), path: 'direct' as const }]
      return a.members
        .filter((m) => account(m).Type === 'DirectoryUser')
        .map((m) => ({ principal: String(m), path: 'group' as const, holder: String(a.Id), depth: 1 }))
    }
    for (const a of data.accounts) {
      for (const roleId of a.tenantRoles)
        for (const h of holders(a.Id)) lines.push(line({ ...h, scope: 'tenant', role: String(roleId) }))
    }
    for (const folder of data.folders.filter((f) => !f.IsPersonal)) {
      for (const from of [folder, ...ancestors(data, folder)]) {
        for (const [accountId, roleIds] of data.assignments.get(from.Id) ?? []) {
          for (const roleId of roleIds) {
            for (const h of holders(accountId)) {
              lines.push(
                line({
                  ...h,
                  scope: String(folder.Id),
                  role: String(roleId),
                  ...(from === folder ? {} : { via: `folder:${from.Id}` })
                })
              )
            }
          }
        }
      }
    }
    return lines.sort()
  }

  it('reaches inherited folder roles and roles held by directory groups', async () => {
    sim = await startUipath()
    const { snapshot } = await runUipath(sim)
    const lines = expected(sim.data)
    expect(derived(snapshot)).toEqual(lines)
    expect(lines.some((l) => l.includes('"group"') && l.includes('folder:'))).toBe(true)
    expect(lines.filter((l) => l.includes('folder:')).length).toBeGreaterThan(10)
  })
})

describe('effective access against the Octopus simulator', () => {
  let server: SimServer | undefined
  afterEach(() => server?.stop())

  /**
   * Octopus: a team's scoped user roles reach every member user, restricted as the scoped role says;
   * the members of a space's space-manager teams administer the space.
   */
  function expected(state: OctopusState, snapshot: Snapshot): string[] {
    // Restriction labels are the source's naming (checked by its own tests); take them from the stored grant by id.
    const restrictions = new Map(snapshot.grants.map((g) => [g.id, g.restrictions]))
    const lines: string[] = []
    for (const scoped of state.scopedUserRoles) {
      const team = state.teams.find((t) => t.Id === scoped.TeamId)!
      for (const member of new Set(team.MemberUserIds)) {
        lines.push(
          line({
            principal: member,
            scope: scoped.SpaceId || 'system',
            role: scoped.UserRoleId,
            path: 'group',
            holder: team.Id,
            depth: 1,
            restrictions: restrictions.get(scoped.Id)
          })
        )
      }
    }
    for (const space of state.spaces) {
      for (const teamId of new Set(space.SpaceManagersTeams)) {
        const team = state.teams.find((t) => t.Id === teamId)!
        for (const member of new Set(team.MemberUserIds)) {
          lines.push(
            line({ principal: member, scope: space.Id, role: 'manager', path: 'manager', holder: team.Id, depth: 1 })
          )
        }
      }
    }
    return lines.sort()
  }

  it('reaches every scoped user role of every team a user is in, with its restrictions, and what space managers manage', async () => {
    const state = generateOctopus(1, SMALL)
    server = octopusServer(state)
    const { snapshot } = await runOctopus(await server.start())
    const lines = expected(state, snapshot)
    expect(derived(snapshot)).toEqual(lines)
    expect(lines.some((l) => JSON.parse(l)[8] !== null)).toBe(true)
    expect(lines.some((l) => l.includes('"manager"'))).toBe(true)
  })
})

describe('effectiveAccess on hand-made shapes', () => {
  const base = (groups: Snapshot['groups'], grants: Snapshot['grants']): Snapshot => ({
    source: { type: 'file', name: 'x' },
    principals: [
      { id: 'p1', name: 'alice', kind: 'user' },
      { id: 'p2', name: 'bob', kind: 'user' }
    ],
    groups,
    roles: [{ id: 'r', name: 'r', permissions: [], privilege: 'write' }],
    scopes: [{ id: 's', type: 'scope', name: 's' }],
    grants
  })

  it('follows groups listed as members of groups, ends cycles, and keeps the shortest chain whatever the order', () => {
    const snapshot = base(
      [
        { id: 'gA', name: 'A', members: [{ id: 'gB', role: 'member' }] },
        {
          id: 'gB',
          name: 'B',
          members: [
            { id: 'p1', role: 'member' },
            { id: 'gA', role: 'member' }
          ]
        },
        { id: 'gC', name: 'C', parent: 'gA', members: [{ id: 'p1', role: 'member' }] },
        { id: 'gD', name: 'D', parent: 'gD', members: [{ id: 'p2', role: 'member' }] }
      ],
      [
        { subject: { type: 'group', id: 'gA' }, role: 'r', scope: 's' },
        { subject: { type: 'group', id: 'gD' }, role: 'r', scope: 's' }
      ]
    )
    const alice = effectiveAccess(snapshot).get('p1')!
    // Through B (a member of A) and through C (a child of A): two paths of length two; B sorts first.
    expect(alice.map((e) => [e.path, e.groups])).toEqual([['nested-group', ['gB', 'gA']]])
    const reversed = {
      ...snapshot,
      groups: [...snapshot.groups].reverse().map((g) => ({ ...g, members: [...g.members].reverse() }))
    }
    expect(
      effectiveAccess(reversed)
        .get('p1')!
        .map((e) => e.groups)
    ).toEqual([['gB', 'gA']])
    expect(
      effectiveAccess(snapshot)
        .get('p2')!
        .map((e) => [e.path, e.groups])
    ).toEqual([['group', ['gD']]])
  })

  it('tolerates references to entities the snapshot does not hold', () => {
    const snapshot = base(
      [
        {
          id: 'g',
          name: 'G',
          parent: 'gone',
          members: [
            { id: 'p1', role: 'member' },
            { id: 'ghost', role: 'member' }
          ]
        }
      ],
      [
        { subject: { type: 'group', id: 'g' }, role: 'unknown-role', scope: 'unknown-scope' },
        { subject: { type: 'principal', id: 'nobody' }, role: 'r', scope: 's' }
      ]
    )
    const access = effectiveAccess(snapshot)
    expect(access.get('p1')!.map((e) => [e.role, e.scope, e.privilege])).toEqual([
      ['unknown-role', 'unknown-scope', undefined]
    ])
    expect(access.get('p2')).toEqual([])
    expect(access.get('nobody')!.map((e) => e.path)).toEqual(['direct'])
  })
})
