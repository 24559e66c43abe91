/**
 * The HTTP side of the EPM source: logon at the dispatcher, the switch to the
 * `ManagerURL` it returns, the `basic <token>` header, a fresh logon when a
 * session token expires mid-run, pacing under EPM's documented call limits,
 * and "Too many calls" 403s recognised as throttling rather than a refusal.
 */
import { HttpClient, sumStats, type HttpStats, type Query } from '../../http/client.js'
import { HttpError } from '../../http/errors.js'
import type { Logger } from '../../util/log.js'
import { registerSecret } from '../../util/secrets.js'
import { SourceError } from '../types.js'
import { logonResponse } from './api.js'
import { parse } from './parse.js'

export const SYSTEM = 'CyberArk EPM'

export interface EpmClientOptions {
  /** The dispatcher (logon host). */
  url: string
  username: string
  password: string
  applicationId: string
  apiVersion?: string
  usernameEnv: string
  passwordEnv: string
  minIntervalMs: number
  throttleWaitMs: number
  log: Logger
  signal?: AbortSignal
}

/** EPM signals throttling with a 403 whose body says so (reference §6): retry it, do not report a refusal. */
export function isThrottled(status: number, body: string): boolean {
  return status === 403 && /too many calls/i.test(body)
}

/** `EPM/API/` or `EPM/API/{version}/`, relative to a host. */
function apiPrefix(version?: string): string {
  return version ? `EPM/API/${version}/` : 'EPM/API/'
}

export function hint(options: Pick<EpmClientOptions, 'usernameEnv' | 'passwordEnv'>) {
  const { usernameEnv, passwordEnv } = options
  return (status: number, path: string): string | undefined => {
    if (/\/Auth\/EPM\/Logon$/i.test(path)) {
      if (status === 404)
        return "Check 'url': it should be your region's EPM logon host (https://<tenant>.epm.cyberark.com or https://login.epm.cyberark.com), without a path."
      if (status === 400 || status === 401 || status === 403)
        return `EPM refused the logon: check ${usernameEnv} and ${passwordEnv}. The user must be an EPM user that may log on with a user name and password (SAML-only users cannot use this logon).`
      return undefined
    }
    if (status === 401)
      return 'EPM refused the session token even right after a fresh logon: check that the user is still enabled in EPM.'
    if (status === 403 && /\/Account\/AdminAudit$/i.test(path))
      return "Reading the account administrator audit needs an account-level administrator. Give the user that role, or set 'account-audit: false' to read the set audits only."
    if (status === 403 && /\/Sets\/[^/]+\/AdminAudit$/i.test(path))
      return "The user must be allowed to view this set (any set role). Give it a role in the set, or list in 'sets' only the sets it can view."
    if (status === 403) return 'The user lacks the EPM role this call needs.'
    if (status === 404 && /\/Sets\/[^/]+\/AdminAudit$/i.test(path))
      return 'The set is gone or not visible to this user; run again to read the current list of sets.'
    return undefined
  }
}

/**
 * One EPM session. The token is registered as a secret before any request
 * can carry it; concurrent callers that hit an expired token share one new
 * logon.
 */
export class EpmSession {
  private readonly dispatcher: HttpClient
  private readonly managers: HttpClient[] = []
  private manager?: HttpClient
  private token = ''
  private pending?: Promise<HttpClient>

  constructor(private readonly options: EpmClientOptions) {
    this.dispatcher = new HttpClient({
      system: SYSTEM,
      baseUrl: `${options.url.replace(/\/+$/, '')}/`,
      // Logon is throttled like every other call: a "Too many calls" 403 there is no refused password.
      backoffMs: options.throttleWaitMs,
      isThrottled,
      hint: hint(options),
      log: options.log,
      signal: options.signal
    })
  }

  get stats(): HttpStats {
    return sumStats([this.dispatcher, ...this.managers].map((c) => c.stats))
  }

  /** A GET on the manager host, relative to `EPM/API/[{version}/]`. */
  async get(path: string, query?: Query): Promise<unknown> {
    const manager = this.manager ?? (await this.logon())
    const token = this.token
    try {
      return await manager.get<unknown>(path, query)
    } catch (error) {
      // EPM sessions time out; the Splunk add-on also answers a 401 with a new logon.
      if (!(error instanceof HttpError) || error.status !== 401) throw error
      this.options.log.info(`${SYSTEM}: session token refused on ${error.details.path}; logging on again`)
      // A concurrent call may already have logged on again.
      const renewed = this.token === token ? await this.logon() : this.manager!
      return renewed.get<unknown>(path, query)
    }
  }

  private logon(): Promise<HttpClient> {
    this.pending ??= this.requestLogon().finally(() => (this.pending = undefined))
    return this.pending
  }

  private async requestLogon(): Promise<HttpClient> {
    const { username, password, applicationId, apiVersion, passwordEnv } = this.options
    const answer = parse(
      logonResponse,
      await this.dispatcher.post<unknown>(`${apiPrefix(apiVersion)}Auth/EPM/Logon`, {
        anonymous: true,
        json: { Username: username, Password: password, ApplicationID: applicationId }
      }),
      'logon answer'
    )
    registerSecret(answer.EPMAuthenticationResult)
    // An expired password still answers 200 (reference §1, pitfall 2).
    if (answer.IsPasswordExpired) {
      throw new SourceError(
        `${SYSTEM}: the password of the API user has expired (the logon answered IsPasswordExpired: true)`,
        `Log on to the EPM console as that user to set a new password, then update the secret behind ${passwordEnv}.`
      )
    }
    this.token = answer.EPMAuthenticationResult
    const base = managerBase(answer.ManagerURL, this.options.url)
    if (this.manager?.baseUrl !== `${base}/${apiPrefix(apiVersion)}`) {
      this.manager = new HttpClient({
        system: SYSTEM,
        baseUrl: `${base}/${apiPrefix(apiVersion)}`,
        // Lowercase `basic`, as EPM documents it ("Valid value: basic <Token>").
        auth: () => ({ authorization: `basic ${this.token}` }),
        minIntervalMs: this.options.minIntervalMs,
        backoffMs: this.options.throttleWaitMs,
        isThrottled,
        hint: hint(this.options),
        log: this.options.log,
        signal: this.options.signal
      })
      this.managers.push(this.manager)
    }
    this.options.log.debug(`${SYSTEM}: logged on; manager host ${new URL(base).host}`)
    return this.manager
  }
}

/**
 * The host every call after the logon goes to. The session token travels to
 * it, so it must be an http(s) URL and never a downgrade from https.
 */
function managerBase(managerUrl: string, dispatcher: string): string {
  let parsed: URL
  try {
    parsed = new URL(managerUrl)
  } catch {
    throw new SourceError(`${SYSTEM}: the logon answered a ManagerURL that is not a URL`)
  }
  const secure = new URL(dispatcher).protocol === 'https:'
  if (parsed.protocol !== 'https:' && (secure || parsed.protocol !== 'http:')) {
    throw new SourceError(
      `${SYSTEM}: the logon answered a ManagerURL with scheme ${parsed.protocol} (expected https:); the session token is not sent there`
    )
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`
}
