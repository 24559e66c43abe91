/**
 * A simulated UiPath Orchestrator tenant with its identity server, on a
 * SimServer: client-credentials tokens with scopes and expiry, the OData
 * envelope (`@odata.context`, `@odata.count` with `$count=true`, `value`), a
 * page cap below the `$top` clients ask for (Pagination.Limits), `$expand` of
 * navigation properties, the `$filter` form audit queries use, the path-paged
 * `GetAllRolesForUser`, and 401/403 answers that depend on the token's scopes
 * and the app's permissions. Automation Cloud or standalone URL shapes. The
 * organization's Platform Management audit routes are in platform-routes.ts.
 *
 * Folder visibility follows the newer rule of the reference (§2): an app
 * assigned to some folders sees those and their subfolders, complete
 * subtrees with no orphan, and nothing of the others. A token can be made to
 * stop working before the `expires_in` it was issued with (`tokenUses`), as
 * one does when the identity server's clock is ahead of the runner's or the
 * token is revoked: Orchestrator then answers 401, and a fresh token works.
 */
import { SimServer, type SimRequest, type SimResponse } from '../server.js'
import { PlatformAuditRoutes } from './platform-routes.js'
import {
  ancestors,
  fullyQualifiedName,
  type SimAccount,
  type SimFolder,
  type SimRole,
  type TenantData
} from './data.js'

export const SIM_CLIENT_ID = 'sim-uipath-client'
export const SIM_CLIENT_SECRET = 'sim-uipath-secret-5c1d8e'

export interface UipathSimOptions {
  deployment?: 'cloud' | 'standalone'
  org?: string
  tenant?: string
  clientId?: string
  clientSecret?: string
  /** Application scopes the external application was granted. */
  appScopes?: string[]
  /**
   * A token request naming scopes the app was not granted: `reject` answers
   * invalid_scope; `drop` issues a token without them (RFC 6749 §3.3 allows
   * it), so the API answers 403 later.
   */
  ungrantedScopes?: 'reject' | 'drop'
  /** The most items one page holds, whatever `$top` asks for (Pagination.Limits on: 100). */
  pageCap?: number
  tokenLifetimeSeconds?: number
  /** Orchestrator permissions the app's role lacks: endpoints needing them answer 403. */
  deniedPermissions?: string[]
  /** Answer without `@odata.count` even when `$count=true` is asked, as some endpoints and versions do. */
  ignoreCount?: boolean
  /**
   * When set, the app is assigned to these folders only: it sees them and
   * their subfolders (the "app must be assigned to the folder" rule).
   */
  assignedFolderIds?: number[]
  /** Orchestrator requests a token is good for before it answers 401 as expired; unlimited when absent. */
  tokenUses?: number
}

/** Per endpoint: scopes that allow it (any of) and the Orchestrator permission it checks. */
const ACCESS = {
  users: { scopes: ['OR.Users', 'OR.Users.Read'], permission: 'Users.View' },
  roles: { scopes: ['OR.Roles', 'OR.Roles.Read', 'OR.Users', 'OR.Users.Read'], permission: 'Roles.View' },
  folders: { scopes: ['OR.Folders', 'OR.Folders.Read'], permission: 'Units.View' },
  audit: { scopes: ['OR.Audit', 'OR.Audit.Read'], permission: 'Audit.View' }
}

const ALL_READ_SCOPES = ['OR.Users.Read', 'OR.Roles.Read', 'OR.Folders.Read', 'OR.Audit.Read', 'PM.Audit.Read']
const MAX_TOP = 1000
const FUNCTION = 'UiPath.Server.Configuration.OData.'

export class UipathSim {
  readonly server = new SimServer()
  readonly options: Required<Omit<UipathSimOptions, 'assignedFolderIds' | 'tokenUses'>> &
    Pick<UipathSimOptions, 'assignedFolderIds' | 'tokenUses'>
  /** Tokens issued so far, for refresh tests. */
  tokensIssued = 0
  /** The organization audit routes (their records are `data.platformAudit`). */
  readonly platform: PlatformAuditRoutes
  private readonly tokens = new Map<string, { expiresAt: number; scopes: Set<string>; uses: number }>()
  private traces = 0

  constructor(
    readonly data: TenantData,
    options: UipathSimOptions = {}
  ) {
    this.options = {
      deployment: 'cloud',
      org: 'acme',
      tenant: 'DefaultTenant',
      clientId: SIM_CLIENT_ID,
      clientSecret: SIM_CLIENT_SECRET,
      appScopes: ALL_READ_SCOPES,
      ungrantedScopes: 'reject',
      pageCap: 100,
      tokenLifetimeSeconds: 3600,
      deniedPermissions: [],
      ignoreCount: false,
      ...options
    }
    const prefix = this.prefix
    this.server.notFound = () => this.error(404, 'The requested resource was not found.')
    this.server.route(
      'POST',
      this.options.deployment === 'cloud' ? '/identity_/connect/token' : '/identity/connect/token',
      (req) => this.token(req)
    )
    this.server.route('GET', `${prefix}/odata/Users`, (req) => this.guard(req, ACCESS.users, () => this.users(req)))
    this.server.route('GET', `${prefix}/odata/Roles`, (req) => this.guard(req, ACCESS.roles, () => this.roles(req)))
    this.server.route('GET', `${prefix}/odata/Folders`, (req) =>
      this.guard(req, ACCESS.folders, () => this.folders(req))
    )
    this.server.route('GET', `${prefix}/odata/Folders/:fn`, (req) =>
      this.guard(req, ACCESS.folders, () => this.folderFunction(req))
    )
    this.server.route('GET', `${prefix}/odata/AuditLogs`, (req) =>
      this.guard(req, ACCESS.audit, () => this.auditLogs(req))
    )
    this.platform = new PlatformAuditRoutes(this)
  }

  private get prefix(): string {
    return this.options.deployment === 'cloud' ? `/${this.options.org}/${this.options.tenant}/orchestrator_` : ''
  }

  async start(): Promise<void> {
    await this.server.start()
  }

  stop(): Promise<void> {
    return this.server.stop()
  }

  /** The Orchestrator base URL a config names. */
  get url(): string {
    return `${this.server.url}${this.prefix}`
  }

  /** The next `times` requests matching `path` answer 429 with this Retry-After, as the gateway does. */
  throttle(path: RegExp, times = 1, retryAfterSeconds = 0): void {
    this.server.inject({
      path,
      times,
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds) },
      json: { message: 'Too Many Requests', errorCode: 1015, traceId: 'throttled' }
    })
  }

  error(status: number, message: string, errorCode = 0, headers?: Record<string, string>): SimResponse {
    return {
      status,
      headers,
      json: { message, errorCode, traceId: `00-${(++this.traces).toString(16).padStart(32, '0')}-01` }
    }
  }

  // --- identity server -------------------------------------------------------------------------

  private token(req: SimRequest): SimResponse {
    if (!String(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded'))
      return { status: 400, json: { error: 'invalid_request' } }
    const form = new URLSearchParams(req.body)
    const grant = form.get('grant_type')
    if (!grant) return { status: 400, json: { error: 'unsupported_grant_type' } }
    if (form.get('client_id') !== this.options.clientId || form.get('client_secret') !== this.options.clientSecret)
      return { status: 400, json: { error: 'invalid_client' } }
    if (grant !== 'client_credentials') return { status: 400, json: { error: 'unauthorized_client' } }
    let requested = (form.get('scope') ?? '').split(' ').filter(Boolean)
    if (requested.some((s) => !this.options.appScopes.includes(s))) {
      if (this.options.ungrantedScopes === 'reject') return { status: 400, json: { error: 'invalid_scope' } }
      requested = requested.filter((s) => this.options.appScopes.includes(s))
    }
    const accessToken = `sim-access-${++this.tokensIssued}-${Math.random().toString(36).slice(2, 12)}`
    const lifetime = this.options.tokenLifetimeSeconds
    this.tokens.set(accessToken, { expiresAt: Date.now() + lifetime * 1000, scopes: new Set(requested), uses: 0 })
    return {
      json: { access_token: accessToken, expires_in: lifetime, token_type: 'Bearer', scope: requested.join(' ') }
    }
  }

  /** Answers 401 without a valid token, 403 without one of the scopes or with the permission denied. */
  guard(req: SimRequest, access: { scopes: string[]; permission: string }, answer: () => SimResponse): SimResponse {
    const header = String(req.headers.authorization ?? '')
    const token = this.tokens.get(header.replace(/^Bearer /, ''))
    const spent = token !== undefined && this.options.tokenUses !== undefined && token.uses >= this.options.tokenUses
    if (!header.startsWith('Bearer ') || !token || token.expiresAt <= Date.now() || spent)
      return this.error(401, 'You are not authenticated!', 0, { 'www-authenticate': 'Bearer' })
    token.uses++
    if (!access.scopes.some((s) => token.scopes.has(s)))
      return this.error(403, 'You are not authorized!', 0, { 'www-authenticate': 'Bearer error="insufficient_scope"' })
    if (this.options.deniedPermissions.includes(access.permission))
      return this.error(403, `You are not authorized! You don't have permission ${access.permission}.`, 0)
    return answer()
  }

  // --- OData conventions -------------------------------------------------------------------------

  private collection(req: SimRequest, entitySet: string, items: readonly unknown[]): SimResponse {
    const top = req.query.get('$top')
    const skip = Number(req.query.get('$skip') ?? 0)
    if (top !== null && (!/^\d+$/.test(top) || Number(top) > MAX_TOP))
      return this.error(
        400,
        `The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${top}'.`,
        1002
      )
    if (!Number.isInteger(skip) || skip < 0) return this.error(400, 'Invalid $skip value.', 1002)
    const size = Math.min(top === null ? this.options.pageCap : Number(top), this.options.pageCap)
    const json: Record<string, unknown> = { '@odata.context': `${this.url}/odata/$metadata#${entitySet}` }
    if (req.query.get('$count') === 'true' && !this.options.ignoreCount) json['@odata.count'] = items.length
    json.value = items.slice(skip, skip + size)
    return { json }
  }

  /** Orders by `Id` as asked (the only key clients here order by); anything else is a query the sim does not know. */
  private ordered<T extends { Id: number }>(req: SimRequest, items: T[]): T[] | SimResponse {
    const orderby = req.query.get('$orderby')
    const sorted = [...items].sort((a, b) => a.Id - b.Id)
    if (orderby === null || /^Id( asc)?$/i.test(orderby)) return sorted
    if (/^Id desc$/i.test(orderby)) return sorted.reverse()
    return this.error(400, `The simulator does not order by '${orderby}'.`, 1002)
  }

  private expand(req: SimRequest): Set<string> {
    return new Set(
      (req.query.get('$expand') ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
    )
  }

  private noFilter(req: SimRequest): SimResponse | undefined {
    return req.query.get('$filter') === null
      ? undefined
      : this.error(400, 'The simulator does not filter this collection.', 1002)
  }

  private list<T extends { Id: number }>(
    req: SimRequest,
    entitySet: string,
    items: T[],
    dto: (item: T) => unknown,
    filtered = false
  ): SimResponse {
    const refused = filtered ? undefined : this.noFilter(req)
    if (refused) return refused
    const ordered = this.ordered(req, items)
    if (!Array.isArray(ordered)) return ordered
    return this.collection(req, entitySet, ordered.map(dto))
  }

  // --- tenant data as DTOs -------------------------------------------------------------------------

  private role(id: number): SimRole {
    return this.data.roles.find((r) => r.Id === id)!
  }

  private visible(folder: SimFolder): boolean {
    const assigned = this.options.assignedFolderIds
    return !assigned || [folder, ...ancestors(this.data, folder)].some((f) => assigned.includes(f.Id))
  }

  private users(req: SimRequest): SimResponse {
    const expand = this.expand(req)
    return this.list(req, 'Users', this.data.accounts, (a) => {
      const roles = a.tenantRoles.map((id) => this.role(id))
      return {
        Id: a.Id,
        UserName: a.UserName,
        Name: a.Name,
        Surname: a.Surname,
        FullName: `${a.Name} ${a.Surname}`.trim(),
        EmailAddress: a.EmailAddress,
        Domain: a.Domain,
        DirectoryIdentifier: a.Domain ? `S-1-5-21-${a.Id}` : null,
        Type: a.Type,
        IsActive: a.IsActive,
        CreationTime: a.CreationTime,
        LastLoginTime: a.LastLoginTime,
        AuthenticationSource: a.Domain ? 'Directory' : 'Local',
        ProvisionType: a.ProvisionType,
        RolesList: roles.map((r) => r.Name),
        OrganizationUnits: [],
        ...(expand.has('UserRoles') && {
          UserRoles: roles.map((r) => ({
            UserId: a.Id,
            RoleId: r.Id,
            UserName: a.UserName,
            RoleName: r.Name,
            RoleType: r.Type
          }))
        })
      }
    })
  }

  private roles(req: SimRequest): SimResponse {
    const expand = this.expand(req)
    return this.list(req, 'Roles', this.data.roles, (r) => ({
      Id: r.Id,
      Name: r.Name,
      DisplayName: r.DisplayName,
      Type: r.Type,
      Groups: null,
      IsStatic: r.IsStatic,
      IsEditable: r.IsEditable,
      ...(expand.has('Permissions') && {
        Permissions: r.Permissions.map((p, i) => ({ Id: r.Id * 1000 + i, RoleId: r.Id, ...p }))
      })
    }))
  }

  private folderRef(folder: SimFolder) {
    return { Id: folder.Id, DisplayName: folder.DisplayName, FullyQualifiedName: fullyQualifiedName(this.data, folder) }
  }

  private folders(req: SimRequest): SimResponse {
    return this.list(
      req,
      'Folders',
      this.data.folders.filter((f) => this.visible(f)),
      (f) => ({
        Id: f.Id,
        Key: f.Key,
        DisplayName: f.DisplayName,
        FullyQualifiedName: fullyQualifiedName(this.data, f),
        Description: f.Description,
        IsPersonal: f.IsPersonal,
        ProvisionType: 'Manual',
        PermissionModel: f.PermissionModel,
        ParentId: f.ParentId,
        ParentKey: f.ParentId == null ? null : this.data.folders.find((p) => p.Id === f.ParentId)!.Key,
        FeedType: 'Processes'
      })
    )
  }

  private folderFunction(req: SimRequest): SimResponse {
    const fn = req.params.fn ?? ''
    const users = new RegExp(
      `^${FUNCTION.replace(/\./g, '\\.')}GetUsersForFolder\\(key=(\\d+),includeInherited=(true|false)\\)$`
    ).exec(fn)
    if (users) return this.usersForFolder(req, Number(users[1]), users[2] === 'true')
    const roles = new RegExp(
      `^${FUNCTION.replace(/\./g, '\\.')}GetAllRolesForUser\\(username='((?:[^']|'')*)',skip=(\\d+),take=(\\d+)\\)$`
    ).exec(fn)
    if (roles) return this.allRolesForUser(req, roles[1]!.replace(/''/g, "'"), Number(roles[2]), Number(roles[3]))
    return this.error(404, `No HTTP resource was found that matches the request URI '${req.path}'.`)
  }

  private usersForFolder(req: SimRequest, folderId: number, includeInherited: boolean): SimResponse {
    const folder = this.data.folders.find((f) => f.Id === folderId)
    if (!folder || !this.visible(folder))
      return this.error(404, 'Folder does not exist or the user does not have access to the folder.', 1100)
    const chain = includeInherited ? [folder, ...ancestors(this.data, folder)] : [folder]
    const byAccount = new Map<number, { roles: unknown[]; direct: boolean }>()
    for (const from of chain) {
      for (const [accountId, roleIds] of this.data.assignments.get(from.Id) ?? []) {
        const entry = byAccount.get(accountId) ?? { roles: [], direct: false }
        byAccount.set(accountId, entry)
        if (from === folder) entry.direct = true
        for (const roleId of [...roleIds].sort((a, b) => a - b)) {
          const role = this.role(roleId)
          entry.roles.push({
            Id: role.Id,
            Name: role.Name,
            Origin: from === folder ? 'Assigned' : 'Inherited',
            RoleType: role.Type,
            InheritedFromFolder: from === folder ? null : this.folderRef(from)
          })
        }
      }
    }
    const expand = this.expand(req)
    const accounts = this.data.accounts.filter((a) => byAccount.has(a.Id))
    return this.list(
      req,
      'UserRoles',
      accounts,
      (a) => {
        const entry = byAccount.get(a.Id)!
        return {
          Id: a.Id,
          ...(expand.has('UserEntity') && {
            UserEntity: {
              Id: a.Id,
              UserName: a.UserName,
              FullName: `${a.Name} ${a.Surname}`.trim(),
              AuthenticationSource: a.Domain ? 'Directory' : 'Local',
              IsInherited: !entry.direct,
              AssignedToFolderIds: chain.filter((f) => this.data.assignments.get(f.Id)?.has(a.Id)).map((f) => f.Id),
              Type: a.Type
            }
          }),
          ...(expand.has('Roles') && { Roles: entry.roles }),
          HasAlertsEnabled: false
        }
      },
      true
    )
  }

  private allRolesForUser(req: SimRequest, userName: string, skip: number, take: number): SimResponse {
    const kinds: Record<string, SimAccount['Type'][]> = {
      User: ['User', 'DirectoryUser'],
      Group: ['DirectoryGroup'],
      Robot: ['Robot', 'DirectoryRobot'],
      ExternalApplication: ['DirectoryExternalApplication']
    }
    const types = kinds[req.query.get('type') ?? 'User'] ?? []
    const account = this.data.accounts.find(
      (a) => a.UserName.toLowerCase() === userName.toLowerCase() && types.includes(a.Type)
    )
    const context = `${this.url}/odata/$metadata#${FUNCTION}UserRoleAssignmentsDto`
    if (!account) return { json: { '@odata.context': context, TenantRoles: [], PageItems: [], Count: 0 } }
    const holders = [
      account,
      ...this.data.accounts.filter((g) => g.Type === 'DirectoryGroup' && g.members.includes(account.Id))
    ]
    const holder = (h: SimAccount) => ({ Id: h.Id, UserName: h.UserName, Type: h.Type })

    const tenant = new Map<number, ReturnType<typeof holder>[]>()
    for (const h of holders)
      for (const roleId of h.tenantRoles) tenant.set(roleId, [...(tenant.get(roleId) ?? []), holder(h)])
    const pageItems = []
    for (const folder of [...this.data.folders].sort((a, b) => a.Id - b.Id)) {
      if (!this.visible(folder)) continue
      const roles = new Map<number, ReturnType<typeof holder>[]>()
      for (const h of holders) {
        for (const roleId of this.data.assignments.get(folder.Id)?.get(h.Id) ?? [])
          roles.set(roleId, [...(roles.get(roleId) ?? []), holder(h)])
      }
      if (roles.size === 0) continue
      pageItems.push({
        Folder: this.folderRef(folder),
        Roles: [...roles]
          .sort(([a], [b]) => a - b)
          .map(([id, users]) => ({ Id: id, Name: this.role(id).Name, Users: users }))
      })
    }
    return {
      json: {
        '@odata.context': context,
        TenantRoles: [...tenant]
          .sort(([a], [b]) => a - b)
          .map(([id, users]) => ({ Id: id, Name: this.role(id).Name, Users: users })),
        PageItems: pageItems.slice(skip, skip + Math.min(take, this.options.pageCap)),
        Count: pageItems.length
      }
    }
  }

  private auditLogs(req: SimRequest): SimResponse {
    const filter = req.query.get('$filter')
    let logs = this.data.auditLogs
    if (filter !== null) {
      const predicate = auditFilter(filter)
      if (!predicate) return this.error(400, `The query specified in the URI is not valid: '${filter}'.`, 1002)
      logs = logs.filter(predicate)
    }
    return this.list(req, 'AuditLogs', logs, (log) => log, true)
  }
}

/**
 * The audit filters this project sends: `ExecutionTime ge|gt|le|lt <instant>`
 * clauses joined by `and`, with `Component eq '<name>'` clauses joined by `or`.
 * Anything else is refused, so a client cannot rely on filtering the sim fakes.
 */
function auditFilter(filter: string): ((log: TenantData['auditLogs'][number]) => boolean) | undefined {
  const times = [...filter.matchAll(/ExecutionTime (ge|gt|le|lt) (\d{4}-\d\d-\d\dT[\d:.]+Z)/g)]
  const components = [...filter.matchAll(/Component eq '([A-Za-z]+)'/g)].map((m) => m[1]!)
  let rest = filter
  for (const m of [...times, ...filter.matchAll(/Component eq '([A-Za-z]+)'/g)]) rest = rest.replace(m[0], '')
  if (rest.replace(/\band\b|\bor\b|[()\s]/g, '') !== '') return undefined
  return (log) => {
    const at = Date.parse(log.ExecutionTime)
    const inTime = times.every(([, op, value]) => {
      const bound = Date.parse(value!)
      return op === 'ge' ? at >= bound : op === 'gt' ? at > bound : op === 'le' ? at <= bound : at < bound
    })
    return inTime && (components.length === 0 || components.includes(log.Component))
  }
}
