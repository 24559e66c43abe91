import { describe, expect, it } from 'vitest'
import { grantKey } from '../../../src/model/keys.js'
import { uipathSource } from '../../../src/sources/uipath/index.js'
import { startUipathDemo } from '../../sim/uipath/demo.js'
import { context } from './helpers.js'

describe('UiPath demo tenant', () => {
  it('shows the day-2 changes: a robot made folder administrator, a user losing a role, a new Organization Administrator, all in the audit trails', async () => {
    const demo = await startUipathDemo()
    try {
      const { type, name, ...settings } = demo.source
      expect(type).toBe('uipath')
      const source = uipathSource.create(uipathSource.settings.parse(settings), String(name))
      const started = new Date(Date.now() - 1000)
      const before = await source.fetch(context({ env: demo.env }))

      const described = demo.day2()
      expect(described).toHaveLength(3)
      const after = await source.fetch(
        context({ env: demo.env, eventsSince: started, eventsUntil: new Date(Date.now() + 1000) })
      )

      const keys = (grants: typeof before.snapshot.grants) => new Set(grants.map(grantKey))
      const added = after.snapshot.grants.filter((g) => !keys(before.snapshot.grants).has(grantKey(g)))
      const removed = before.snapshot.grants.filter((g) => !keys(after.snapshot.grants).has(grantKey(g)))
      const robot = after.snapshot.principals.find((p) => p.kind === 'bot' && described[0]!.includes(p.name))!
      const folderAdmin = after.snapshot.roles.find((r) => r.name === 'Folder Administrator')!
      expect(folderAdmin.privilege).toBe('admin')
      // Granted on the top folder, and inherited by each folder below it.
      const direct = added.filter((g) => !g.via)
      expect(direct).toEqual([
        { subject: { type: 'principal', id: robot.id }, role: folderAdmin.id, scope: direct[0]!.scope }
      ])
      expect(added.filter((g) => g.via === `folder:${direct[0]!.scope}`).length).toBeGreaterThan(0)
      expect(added.every((g) => g.subject.id === robot.id && g.role === folderAdmin.id)).toBe(true)
      expect(removed.filter((g) => !g.via)).toHaveLength(1)

      // The Administrators group gained a member; the organization audit names who added them.
      const group = (s: typeof before.snapshot) => s.groups.find((g) => g.name === 'Administrators')!
      const joined = group(after.snapshot).members.filter(
        (m) => !group(before.snapshot).members.some((b) => b.id === m.id)
      )
      const promoted = after.snapshot.principals.find((p) => p.id === joined[0]?.id)!
      expect(joined).toHaveLength(1)
      expect(described[2]).toContain(`made ${promoted.name} Organization Administrator`)
      const orgAdmin = /^UiPath: (.+) made /.exec(described[2]!)![1]
      expect(after.events.map((e) => [e.category, e.action, e.actor?.name])).toEqual([
        ['Folders', 'Assign', 'ana.silva'],
        ['Folders', 'Unassign', 'ana.silva'],
        ['Group', 'AddMembers', orgAdmin]
      ])
    } finally {
      await demo.stop()
    }
  })
})
