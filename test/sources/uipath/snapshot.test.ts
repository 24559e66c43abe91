import { afterEach, describe, expect, it } from 'vitest'
import { validateSnapshot } from '../../../src/model/validate.js'
import { assign, fullyQualifiedName, roleByName } from '../../sim/uipath/data.js'
import type { UipathSim } from '../../sim/uipath/server.js'
import { comparable, expectedSnapshot, runSource, startSim } from './helpers.js'

describe('UiPath source: normalized tenant against the generator ground truth', () => {
  let sim: UipathSim
  afterEach(() => sim.stop())

  it('captures accounts, groups with members, roles, the folder tree and every assigned and inherited role', async () => {
    sim = await startSim()
    const result = await runSource(sim)
    expect(validateSnapshot(result.snapshot)).toEqual([])
    const expected = expectedSnapshot(sim.data)
    expect(comparable(result.snapshot)).toEqual(comparable(expected))
    expect(result.notes).toEqual([])
    // The instance exercises what matters: inheritance, groups with and without visible members, every account kind.
    expect(expected.grants.filter((g) => g.via).length).toBeGreaterThan(10)
    expect(expected.grants.some((g) => g.subject.type === 'group' && g.scope !== 'tenant')).toBe(true)
    expect(expected.groups.filter((g) => g.members.length > 0).length).toBeGreaterThan(0)
    expect(expected.groups.filter((g) => g.members.length === 0).length).toBeGreaterThan(0)
    expect(new Set(expected.principals.map((p) => p.kind))).toEqual(new Set(['user', 'bot', 'app']))
  })

  it('marks inherited folder roles with the folder they come from', async () => {
    sim = await startSim({}, { folders: 6, depth: 3 }, (data) => {
      // A three-level chain with a user assigned only at the top.
      const top = data.folders.find((f) => f.ParentId == null)!
      const mid = { ...top, Id: data.next.folder++, DisplayName: 'Mid', ParentId: top.Id, Key: 'k-mid' }
      const leaf = { ...top, Id: data.next.folder++, DisplayName: 'Leaf', ParentId: mid.Id, Key: 'k-leaf' }
      data.folders.push(mid, leaf)
      const user = data.accounts.find((a) => a.Type === 'User' && !data.assignments.get(top.Id)?.has(a.Id))!
      assign(data, top.Id, user.Id, [roleByName(data, 'Automation Developer').Id])
    })
    const { snapshot } = await runSource(sim)
    const top = sim.data.folders.find((f) => f.ParentId == null)!
    const leaf = sim.data.folders.find((f) => f.DisplayName === 'Leaf')!
    const developer = String(roleByName(sim.data, 'Automation Developer').Id)
    const atLeaf = snapshot.grants.filter((g) => g.scope === String(leaf.Id) && g.role === developer)
    expect(atLeaf.map((g) => g.via)).toContain(`folder:${top.Id}`)
    expect(snapshot.scopes.find((s) => s.id === String(leaf.Id))).toMatchObject({
      name: `${fullyQualifiedName(sim.data, top)}/Mid/Leaf`,
      parent: String(leaf.ParentId)
    })
  })

  it('leaves personal workspaces out by default and includes them when asked', async () => {
    sim = await startSim({}, { personalFolders: 3 })
    const personal = sim.data.folders.filter((f) => f.IsPersonal).map((f) => String(f.Id))
    expect(personal).toHaveLength(3)
    const without = await runSource(sim)
    expect(without.snapshot.scopes.map((s) => s.id)).not.toContain(personal[0])
    expect(sim.server.count(new RegExp(`GetUsersForFolder\\(key=${personal[0]},`))).toBe(0)

    const withPersonal = await runSource(sim, { 'personal-folders': true })
    expect(comparable(withPersonal.snapshot)).toEqual(comparable(expectedSnapshot(sim.data, { personal: true })))
  })

  it('gives roles a privilege tier from what they grant', async () => {
    sim = await startSim()
    const { snapshot } = await runSource(sim)
    const tier = (name: string) => snapshot.roles.find((r) => r.name === name)?.privilege
    expect(tier('Administrator')).toBe('owner')
    expect(tier('Folder Administrator')).toBe('admin')
    expect(tier('Automation Developer')).toBe('write')
    expect(tier('Automation User')).toBe('write')
    expect(tier('Folder Viewer')).toBe('read')
    expect(tier('Allow to be Folder Administrator')).toBe('read')
    // Permissions listed as not granted are not permissions.
    expect(snapshot.roles.find((r) => r.name === 'Automation User')!.permissions).not.toContain('Jobs.Delete (Folder)')
  })

  it('keeps volatile fields (login and creation times, counts) out of the snapshot', async () => {
    sim = await startSim()
    const { snapshot } = await runSource(sim)
    const text = JSON.stringify(snapshot)
    for (const field of ['LastLoginTime', 'CreationTime', 'odata', 'RolesList', 'Key'])
      expect(text).not.toContain(field)
    for (const account of sim.data.accounts.filter((a) => a.LastLoginTime))
      expect(text).not.toContain(account.LastLoginTime!)
  })

  it('works against a standalone Orchestrator (token at /identity/connect/token, OData at the root)', async () => {
    sim = await startSim({ deployment: 'standalone' })
    expect(sim.url).not.toContain('orchestrator_')
    const result = await runSource(sim)
    expect(comparable(result.snapshot)).toEqual(comparable(expectedSnapshot(sim.data)))
    expect(sim.server.count(/^\/identity\/connect\/token$/)).toBe(1)
  })

  it('notes directory users whose names GetAllRolesForUser cannot take, and skips only them', async () => {
    sim = await startSim({}, {}, (data) => {
      const user = data.accounts.find((a) => a.Type === 'DirectoryUser')!
      user.UserName = `ACME\\${user.Name.toLowerCase()}`
    })
    const result = await runSource(sim)
    expect(result.notes).toHaveLength(1)
    expect(result.notes[0]).toContain("1 directory user(s) whose name contains '\\' or '/'")
    expect(sim.server.requests.some((r) => r.path.includes('ACME'))).toBe(false)
  })

  it('skips the per-user calls when group membership is turned off, and says nothing about members', async () => {
    sim = await startSim()
    const result = await runSource(sim, { 'group-membership': false })
    expect(sim.server.count(/GetAllRolesForUser/)).toBe(0)
    expect(result.snapshot.groups.every((g) => g.members.length === 0)).toBe(true)
  })
})
