/**
 * The HTTP side of the UiPath source: where the Orchestrator and its identity
 * server live for a given URL shape, the client-credentials token (refreshed
 * before it expires, and renewed once when Orchestrator refuses it anyway),
 * and hints that say which scope or permission a 401/403 is about.
 */
import { HttpClient, type HttpClientOptions, type HttpResponse, type RequestOptions } from '../../http/client.js'
import { HttpError } from '../../http/errors.js'
import type { Logger } from '../../util/log.js'
import { registerSecret } from '../../util/secrets.js'
import { SourceError } from '../types.js'
import { tokenResponse } from './api.js'

export const SYSTEM = 'UiPath Orchestrator'

export interface Endpoints {
  /** Base of the OData routes, ending in `/`. */
  orchestrator: string
  token: string
}

const CLOUD_PATH = /^\/[^/]+\/[^/]+\/orchestrator_$/

/**
 * Automation Cloud (and Automation Suite) serve Orchestrator under
 * `/{org}/{tenant}/orchestrator_/` with the token at `/identity_/connect/token`
 * on the same host; standalone serves it at the root with `/identity/connect/token`.
 */
export function endpoints(url: string, tokenUrl?: string): Endpoints {
  const parsed = new URL(url)
  // People paste the OData or Swagger address as often as the base.
  const path = parsed.pathname.replace(/\/+$/, '').replace(/\/(odata|swagger)(\/.*)?$/i, '')
  const cloud = CLOUD_PATH.test(path)
  if (!cloud && /orchestrator_/.test(path)) {
    throw new SourceError(
      `UiPath url ${parsed.origin}${path} does not have the Automation Cloud shape`,
      "Use https://cloud.uipath.com/{organization}/{tenant}/orchestrator_ (the organization and tenant names as they appear in the browser's address bar)."
    )
  }
  return {
    orchestrator: `${parsed.origin}${path}/`,
    token: tokenUrl ?? `${parsed.origin}/${cloud ? 'identity_' : 'identity'}/connect/token`
  }
}

/** What each endpoint needs, for the 403 hint: the application scope and the Orchestrator permission. */
function requirement(path: string): { scope: string; permission: string } | undefined {
  if (/\/odata\/AuditLogs/i.test(path)) return { scope: 'OR.Audit.Read', permission: 'Audit - View' }
  if (/GetUsersForFolder|GetAllRolesForUser/i.test(path))
    return { scope: 'OR.Folders.Read', permission: 'Folders - View (or Subfolders - View on every folder)' }
  if (/\/odata\/Folders/i.test(path)) return { scope: 'OR.Folders.Read', permission: 'Folders - View' }
  if (/\/odata\/Roles/i.test(path))
    return { scope: 'OR.Roles.Read (newer versions) or OR.Users.Read', permission: 'Roles - View' }
  if (/\/odata\/Users/i.test(path)) return { scope: 'OR.Users.Read', permission: 'Users - View' }
  return undefined
}

function oauthError(body: string): string | undefined {
  try {
    const error = (JSON.parse(body) as { error?: unknown }).error
    return typeof error === 'string' ? error : undefined
  } catch {
    return undefined
  }
}

export function hint(settings: { clientIdEnv: string; clientSecretEnv: string; scopes: string[] }) {
  return (status: number, path: string, body: string): string | undefined => {
    if (/\/connect\/token$/.test(path)) {
      if (status === 404)
        return "The token endpoint was not found: set 'token-url' to your identity server's /connect/token."
      switch (oauthError(body)) {
        case 'invalid_client':
          return `The client id or secret was refused: check ${settings.clientIdEnv} and ${settings.clientSecretEnv} against Admin > External Applications (the app must be confidential, with a current secret).`
        case 'invalid_scope':
          return `The external application is not granted every requested scope (${settings.scopes.join(' ')}): add them as application scopes, or narrow 'scopes' (OR.Roles.Read exists only on newer versions; OR.Users.Read covers roles on older ones).${settings.scopes.includes('PM.Audit.Read') ? ' PM.Audit.Read is for the organization audit (platform-audit): grant it in Admin > External Applications, or set platform-audit: off.' : ''}`
        case 'unauthorized_client':
        case 'unsupported_grant_type':
          return 'The external application must be confidential with application scopes, which allow the client_credentials grant.'
      }
      return undefined
    }
    if (status === 401)
      return "Check that 'url' names the organization and tenant the external application was registered in, and that the application is still enabled."
    if (status === 403) {
      const need = requirement(path)
      if (!need) return undefined
      return `The external application needs the application scope ${need.scope} and, where the tenant checks roles for apps, a role with ${need.permission} (Tenant > Manage Access; apps that follow folder assignments also need it on every folder).`
    }
    if (status === 404)
      return "Check 'url': https://cloud.uipath.com/{organization}/{tenant}/orchestrator_ for Automation Cloud, https://{server} for standalone."
    return undefined
  }
}

export interface ClientOptions {
  endpoints: Endpoints
  /** The config key an unreachable or redirecting token endpoint is fixed in: `token-url` when set, else `url`. */
  tokenSetting?: string
  clientId: string
  clientSecret: string
  clientIdEnv: string
  clientSecretEnv: string
  scopes: string[]
  log: Logger
  signal?: AbortSignal
}

/** Tokens are renewed this long before they expire (at most a tenth of their lifetime), so none dies mid-request. */
const REFRESH_MARGIN_MS = 60_000

/** Without `expires_in` the identity server's one-hour default is assumed. */
const DEFAULT_LIFETIME_S = 3_600

/** One client-credentials token at a time, shared by concurrent requests, renewed before expiry. */
export class TokenSource {
  private token?: { header: string; renewAt: number }
  private pending?: Promise<string>
  /** Counts the tokens obtained, so a refusal renews only the token it was about. */
  generation = 0

  constructor(
    private readonly identity: HttpClient,
    private readonly options: ClientOptions
  ) {}

  async authorization(): Promise<Record<string, string>> {
    if (this.token && Date.now() < this.token.renewAt) return { authorization: this.token.header }
    this.pending ??= this.request().finally(() => (this.pending = undefined))
    return { authorization: await this.pending }
  }

  /** Drops the token of `generation` if it is still the current one: the next request gets a new one. */
  renew(generation: number): void {
    if (generation === this.generation) this.token = undefined
  }

  private async request(): Promise<string> {
    const { endpoints, clientId, clientSecret, scopes } = this.options
    const raw = await this.identity.post<unknown>(endpoints.token, {
      anonymous: true,
      form: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: scopes.join(' ')
      }
    })
    const parsed = tokenResponse.safeParse(raw)
    if (!parsed.success)
      throw new SourceError(
        `${SYSTEM}: the token endpoint ${new URL(endpoints.token).pathname} answered without an access_token`
      )
    registerSecret(parsed.data.access_token)
    const lifetimeMs = (parsed.data.expires_in ?? DEFAULT_LIFETIME_S) * 1000
    const header = `Bearer ${parsed.data.access_token}`
    this.token = { header, renewAt: Date.now() + lifetimeMs - Math.min(REFRESH_MARGIN_MS, lifetimeMs / 10) }
    this.generation++
    this.options.log.debug(`${SYSTEM}: token obtained, valid ${Math.round(lifetimeMs / 1000)} s`)
    return header
  }
}

/**
 * Requests with the source's token (Orchestrator, the organization audit). A
 * token can stop working before its `expires_in` (the identity server's clock
 * ahead of the runner's, a revocation): a 401 is answered by renewing the
 * token once and asking again. Only a token refused right after it was issued
 * is an error, and then not one about expiry.
 */
export class TokenClient extends HttpClient {
  constructor(
    private readonly settings: HttpClientOptions & { log: Logger },
    private readonly tokens: TokenSource
  ) {
    super({ ...settings, auth: () => tokens.authorization() })
  }

  override async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<HttpResponse<T>> {
    // The token this request will carry, so a refusal renews that one and not a newer one.
    await this.tokens.authorization()
    const generation = this.tokens.generation
    try {
      return await super.request<T>(method, path, options)
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401) throw error
      this.settings.log.info(
        `${SYSTEM}: the access token was refused on ${error.details.path}; renewing it and asking again`
      )
      this.tokens.renew(generation)
    }
    try {
      return await super.request<T>(method, path, options)
    } catch (error) {
      if (!(error instanceof HttpError) || error.status !== 401) throw error
      const hint = error.details.hint ? ` ${error.details.hint}` : ''
      throw new HttpError({
        ...error.details,
        hint: `A freshly issued access token was refused as well, so the token did not just expire.${hint}`
      })
    }
  }
}

/** The identity client (token requests only), the token, and the Orchestrator client that authenticates with it. */
export function createClients(options: ClientOptions): {
  identity: HttpClient
  tokens: TokenSource
  orchestrator: HttpClient
} {
  const common = { system: SYSTEM, log: options.log, signal: options.signal, hint: hint(options) }
  const identity = new HttpClient({ ...common, baseUrl: options.endpoints.token, setting: options.tokenSetting })
  const tokens = new TokenSource(identity, options)
  const orchestrator = new TokenClient({ ...common, baseUrl: options.endpoints.orchestrator }, tokens)
  return { identity, tokens, orchestrator }
}
