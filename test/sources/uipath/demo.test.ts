import { describe, expect, it } from 'vitest'
import { grantKey } from '../../../src/model/keys.js'
import { uipathSource } from '../../../src/sources/uipath/index.js'
import { startUipathDemo } from '../../sim/uipath/demo.js'
import { context } from './helpers.js'

describe('UiPath demo tenant', () => {
  it('shows the day-2 changes: a robot made folder administrator, a user losing a role, both in the audit trail', async () => {
    const demo = await startUipathDemo()
    try {
      const { type, name, ...settings } = demo.source
      expect(type).toBe('uipath')
      const source = uipathSource.create(uipathSource.settings.parse(settings), String(name))
      const started = new Date(Date.now() - 1000)
      const before = await source.fetch(context({ env: demo.env }))

      const described = demo.day2()
      expect(described).toHaveLength(2)
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

      expect(after.events.map((e) => [e.category, e.action, e.actor?.name])).toEqual([
        ['Folders', 'Assign', 'ana.silva'],
        ['Folders', 'Unassign', 'ana.silva']
      ])
    } finally {
      await demo.stop()
    }
  })
})
