/**
 * Needs attention as the daily run produces it from real sources against
 * their simulators: each source maps its system's settings and audit actions
 * onto the model's vocabulary, and the report names the right person.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { needsAttention } from '../../src/report/attention.js'
import type { Report } from '../../src/report/types.js'
import { silentLogger } from '../../src/util/log.js'
import { generateOrg } from '../sim/github/data.js'
import {
  addTeamMember,
  setBasePermission,
  setMembersCanCreateRepositories,
  setRepoVisibility,
  setTeamParent,
  setTeamRepoRole
} from '../sim/github/mutations.js'
import { startGitHubSim } from '../sim/github/server.js'
import { addTeamMember as addOctopusMember, makeSpaceManager } from '../sim/octopus/changes.js'
import { ADMIN_KEY, ADMIN_USER, generateOctopus, SMALL } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import type { SimServer } from '../sim/server.js'
import { assignFolderRole } from '../sim/uipath/changes.js'
import { generateTenant, roleByName } from '../sim/uipath/data.js'
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, UipathSim } from '../sim/uipath/server.js'

/** Every item as `severity rule: message (by actor)`. */
const lines = (report: Report) =>
  needsAttention(report).map((i) => `${i.severity} ${i.rule}: ${i.message}${i.by ? ` (by ${i.by.actor})` : ''}`)

describe('Needs attention from the real sources', () => {
  const cleanup: (() => Promise<unknown>)[] = []
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step()
  })

  async function daily(source: Record<string, unknown>, env: NodeJS.ProcessEnv) {
    const root = await mkdtemp(path.join(tmpdir(), 'attention-sources-'))
    cleanup.push(() => rm(root, { recursive: true, force: true }))
    const config = parseConfig({ sources: [source] }, 'config.yml')
    return async () => {
      const result = await runSnapshot({ config, root, env, log: silentLogger })
      expect(result.report.outcomes.map((o) => o.error)).toEqual([undefined])
      return result.report
    }
  }

  it('GitHub: base permission, repository creation, visibility, nesting and joins, each by whoever made it', async () => {
    const org = generateOrg({ seed: 4, members: 20, teams: 6, repos: 8, plan: 'enterprise' })
    const github = await startGitHubSim({ org })
    cleanup.push(() => github.stop())
    const run = await daily(
      {
        type: 'github',
        name: 'acme',
        organization: org.login,
        'api-url': github.url,
        'token-env': 'GH_TOKEN',
        'audit-log': true
      },
      { GH_TOKEN: github.token }
    )
    await run()

    // A root team gets admin on a repository; another root team is moved under it; someone joins it.
    const roots = org.teams
      .filter((t) => t.parentId === null && !org.teams.some((c) => c.parentId === t.id))
      .sort((a, b) => a.members.size - b.members.size)
    const [release, frontend] = roots
    const repo = org.repos.find((r) => r.visibility === 'private' && !release!.repos.has(r.id))!
    const newcomer = [...org.users.values()].find(
      (u) => org.members.get(u.id) === 'member' && !release!.members.has(u.id)
    )!
    const [alice, bob, carol] = [...org.members.keys()]
      .map((id) => org.users.get(id)!.login)
      .filter((login) => login !== newcomer.login)
    setTeamRepoRole(org, alice!, release!.slug, repo.name, 'admin')
    setBasePermission(org, alice!, 'write')
    setMembersCanCreateRepositories(org, bob!, true)
    setRepoVisibility(org, carol!, repo.name, 'public')
    addTeamMember(org, bob!, release!.slug, newcomer.login, 'member')
    setTeamParent(org, carol!, frontend!.slug, release!.slug)

    const report = await run()
    const got = lines(report)
    expect(got).toEqual(
      expect.arrayContaining([
        `high new-admin: group ${release!.name} granted admin on repository ${repo.name} (by ${alice})`,
        expect.stringMatching(
          new RegExp(
            `^high new-admin: ${newcomer.login} joined ${release!.name}: admin on [^;]*repository ${repo.name}.* \\(by ${bob}\\)$`
          )
        ),
        expect.stringMatching(
          new RegExp(
            `^high new-admin: group ${frontend!.name} \\(\\d+ members?\\) moved under ${release!.name}: admin on [^;]*repository ${repo.name} through group ${release!.name}.* \\(by ${carol}\\)$`
          )
        ),
        `high setting: organization acme raised the privilege every member holds on everything under it from read to write: every member (${org.members.size}) now holds write on each of its ${org.repos.length} repositories (by ${alice})`,
        `high setting: repository ${repo.name} made public (was private): anyone can read it (by ${carol})`,
        `medium setting: organization acme now lets every member (${org.members.size}) create repositories under it, and administer what they create (by ${bob})`
      ])
    )
  })

  it('Octopus: a team made space manager and a member joining a deploying team, by the one who modified them', async () => {
    const state = generateOctopus(8, SMALL, new Date(Date.now() - 2 * 86_400_000))
    const server = octopusServer(state)
    const url = await server.start()
    cleanup.push(() => (server as SimServer).stop())
    const run = await daily({ type: 'octopus', name: 'octo', url, 'api-key-env': 'OCTO_KEY' }, { OCTO_KEY: ADMIN_KEY })
    await run()

    const space = state.spaces[0]!
    const team = state.teams.find((t) => t.SpaceId === space.Id && !space.SpaceManagersTeams.includes(t.Id))!
    const admin = state.users.find((u) => u.Id === ADMIN_USER)!
    makeSpaceManager(state, ADMIN_USER, space.Id, team.Id)
    // A deploying team gains a member; two people modify it in the window, so nobody is named.
    const deployer = state.scopedUserRoles.find((s) => s.UserRoleId === 'userroles-projectdeployer' && s.SpaceId)!
    const deploying = state.teams.find((t) => t.Id === deployer.TeamId)!
    const newcomer = state.users.find((u) => u.IsActive && !u.IsService && !deploying.MemberUserIds.includes(u.Id))!
    const other = state.users.find((u) => u.Id !== ADMIN_USER && u.IsActive)!
    addOctopusMember(state, ADMIN_USER, deploying.Id, newcomer.Id)
    addOctopusMember(state, other.Id, deploying.Id, newcomer.Id)

    const got = lines(await run())
    expect(got).toContain(
      `high setting: group ${team.Name} (${team.MemberUserIds.length} member${team.MemberUserIds.length === 1 ? '' : 's'}) made a manager of space ${space.Name} (by ${admin.Username})`
    )
    const joined = got.find((l) => l.includes(`${newcomer.Username} joined ${deploying.Name}: `))
    expect(joined).toMatch(/^medium escalation: .*Project deployer \(write\) on space /)
    expect(joined).not.toContain('(by ')
  })

  it("file: an export states its scopes' settings with the same keys", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'attention-export-'))
    cleanup.push(() => rm(dir, { recursive: true, force: true }))
    const file = path.join(dir, 'export.yaml')
    const write = (visibility: string) =>
      writeFile(
        file,
        JSON.stringify({
          principals: [{ id: 'u1', name: 'alice' }],
          scopes: [{ id: 'wiki', type: 'space', name: 'Wiki', attributes: { visibility } }],
          grants: [{ principal: 'u1', role: 'editor', scope: 'wiki' }],
          roles: [{ id: 'editor', name: 'Editor', privilege: 'write' }]
        })
      )
    await write('private')
    const run = await daily({ type: 'file', name: 'wiki', path: file }, {})
    await run()
    await write('public')
    expect(lines(await run())).toEqual(['high setting: space Wiki made public (was private): anyone can read it'])
  })

  it('UiPath: folder roles assigned by two administrators, each named for their own assignment', async () => {
    const data = generateTenant({ seed: 6 })
    const sim = new UipathSim(data)
    await sim.start()
    cleanup.push(() => sim.stop())
    const run = await daily(
      { type: 'uipath', name: 'orch', url: sim.url, 'client-id-env': 'UIP_ID', 'client-secret-env': 'UIP_SECRET' },
      { UIP_ID: SIM_CLIENT_ID, UIP_SECRET: SIM_CLIENT_SECRET }
    )
    await run()

    const folderAdmin = roleByName(data, 'Folder Administrator')
    const top = data.folders.find((f) => f.ParentId == null && !f.IsPersonal)!
    const users = data.accounts.filter((a) => a.Type === 'User' && !data.assignments.get(top.Id)?.has(a.Id))
    const [alice, mallory, bob, carol] = users
    assignFolderRole(data, alice!, top, bob!, folderAdmin, new Date(Date.now() - 2_000))
    assignFolderRole(data, mallory!, top, carol!, folderAdmin, new Date(Date.now() - 1_000))

    const got = lines(await run())
    const about = (who: string) => got.find((l) => l.startsWith(`high new-admin: ${who} granted ${folderAdmin.Name}`))
    expect(about(bob!.UserName)).toMatch(new RegExp(`\\(by ${alice!.UserName}\\)$`))
    expect(about(carol!.UserName)).toMatch(new RegExp(`\\(by ${mallory!.UserName}\\)$`))
  })
})
