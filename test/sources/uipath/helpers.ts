/**
 * Shared by the UiPath source tests: a running simulator, a real source
 * context, and the expected snapshot derived straight from the generator's
 * data (never from the source's own mapping code).
 */
import type { Grant, Group, Principal, Scope, Snapshot } from '../../../src/model/types.js'
import { uipathSource } from '../../../src/sources/uipath/index.js'
import type { SourceContext, SourceResult } from '../../../src/sources/types.js'
import { silentLogger } from '../../../src/util/log.js'
import {
  ancestors,
  fullyQualifiedName,
  generateTenant,
  type TenantData,
  type TenantOptions
} from '../../sim/uipath/data.js'
import { SIM_CLIENT_ID, SIM_CLIENT_SECRET, UipathSim, type UipathSimOptions } from '../../sim/uipath/server.js'

export const ENV = { UIP_ID: SIM_CLIENT_ID, UIP_SECRET: SIM_CLIENT_SECRET }

export async function startSim(
  options: UipathSimOptions = {},
  tenant: TenantOptions = {},
  edit?: (data: TenantData) => void
): Promise<UipathSim> {
  const data = generateTenant({ seed: 11, users: 30, folders: 12, customRoles: 4, auditLogs: 40, ...tenant })
  edit?.(data)
  const sim = new UipathSim(data, { pageCap: 4, ...options })
  await sim.start()
  return sim
}

export function context(overrides: Partial<SourceContext> = {}): SourceContext {
  return {
    log: silentLogger,
    eventsSince: new Date(Date.now() - 30 * 86_400_000),
    eventsUntil: new Date(Date.now() + 60_000),
    env: { ...ENV },
    ...overrides
  }
}

/** Runs the source through its definition, as the pipeline does: settings parsed by its schema. */
export async function runSource(
  sim: UipathSim,
  settings: Record<string, unknown> = {},
  ctx: Partial<SourceContext> = {}
): Promise<SourceResult> {
  const parsed = uipathSource.settings.parse({
    url: sim.url,
    'client-id-env': 'UIP_ID',
    'client-secret-env': 'UIP_SECRET',
    ...settings
  })
  return uipathSource.create(parsed, 'test-tenant').fetch(context(ctx))
}

const KIND = {
  User: 'user',
  DirectoryUser: 'user',
  Robot: 'bot',
  DirectoryRobot: 'bot',
  DirectoryExternalApplication: 'app'
} as const

/** What the snapshot must say about the tenant, worked out from the generator's structures. */
export function expectedSnapshot(data: TenantData, options: { personal?: boolean } = {}): Snapshot {
  const folders = data.folders.filter((f) => options.personal || !f.IsPersonal)
  const groups = data.accounts.filter((a) => a.Type === 'DirectoryGroup')
  const isGroup = (id: number) => groups.some((g) => g.Id === id)
  const subject = (id: number) => ({ type: isGroup(id) ? ('group' as const) : ('principal' as const), id: String(id) })
  // Orchestrator shows a group's members only through roles the group holds somewhere.
  const holdsRoles = (id: number) =>
    data.accounts.find((a) => a.Id === id)!.tenantRoles.length > 0 ||
    [...data.assignments.values()].some((byAccount) => byAccount.has(id))

  const principals: Principal[] = data.accounts
    .filter((a) => a.Type !== 'DirectoryGroup')
    .map((a) => {
      const full = `${a.Name} ${a.Surname}`.trim()
      const p: Principal = {
        id: String(a.Id),
        name: a.UserName,
        kind: KIND[a.Type as keyof typeof KIND],
        active: a.IsActive
      }
      if (full && full !== a.UserName) p.displayName = full
      if (a.EmailAddress) p.email = a.EmailAddress
      p.attributes = a.Domain ? { domain: a.Domain, type: a.Type } : { type: a.Type }
      return p
    })
  const expectedGroups: Group[] = groups.map((g) => {
    const members = holdsRoles(g.Id)
      ? g.members.filter((id) => data.accounts.find((a) => a.Id === id)!.Type === 'DirectoryUser')
      : []
    return {
      id: String(g.Id),
      name: g.UserName,
      members: members.map((id) => ({ id: String(id), role: 'member' })),
      attributes: { domain: g.Domain! }
    }
  })
  const scopes: Scope[] = [
    { id: 'tenant', type: 'tenant', name: 'tenant' },
    ...folders.map((f) => {
      const scope: Scope = {
        id: String(f.Id),
        type: 'folder',
        name: fullyQualifiedName(data, f),
        attributes: { 'permission-model': f.PermissionModel }
      }
      if (f.IsPersonal) scope.attributes!.personal = 'true'
      if (f.ParentId != null) scope.parent = String(f.ParentId)
      return scope
    })
  ]
  const grants: Grant[] = []
  for (const a of data.accounts)
    for (const roleId of a.tenantRoles) grants.push({ subject: subject(a.Id), role: String(roleId), scope: 'tenant' })
  for (const folder of folders) {
    for (const from of [folder, ...ancestors(data, folder)]) {
      for (const [accountId, roleIds] of data.assignments.get(from.Id) ?? []) {
        for (const roleId of roleIds) {
          const grant: Grant = { subject: subject(accountId), role: String(roleId), scope: String(folder.Id) }
          if (from !== folder) grant.via = `folder:${from.Id}`
          grants.push(grant)
        }
      }
    }
  }
  return {
    source: { type: 'uipath', name: 'test-tenant' },
    principals,
    groups: expectedGroups,
    roles: data.roles.map((r) => ({
      id: String(r.Id),
      name: r.Name,
      permissions: r.Permissions.filter((p) => p.IsGranted)
        .map((p) => `${p.Name} (${p.Scope})`)
        .sort(),
      builtIn: r.IsStatic,
      attributes: { editable: String(r.IsEditable), type: r.Type.toLowerCase() }
    })),
    scopes,
    grants
  }
}

/** Order-insensitive view of a snapshot for comparison; role tiers are checked separately. */
export function comparable(snapshot: Snapshot) {
  const byId = <T extends { id: string }>(items: T[]) => [...items].sort((a, b) => a.id.localeCompare(b.id))
  return {
    ...snapshot,
    principals: byId(snapshot.principals),
    groups: byId(snapshot.groups),
    roles: byId(snapshot.roles.map(({ privilege: _privilege, ...rest }) => rest)),
    scopes: byId(snapshot.scopes),
    grants: snapshot.grants
      .map((g) =>
        JSON.stringify([
          g.subject.type,
          g.subject.id,
          g.role,
          g.scope,
          g.via ?? null,
          g.id ?? null,
          g.restrictions ?? null
        ])
      )
      .sort()
  }
}
