/**
 * The organization-level audit trail of UiPath's Platform Management API
 * (reference §8): logins, invitations, group membership (who was made
 * Organization Administrator), external applications and their scopes,
 * licences. It is read beside the tenant's Orchestrator audit, with the same
 * client-credentials token (asked for with PM.Audit.Read as well), into the
 * same `events/` archive. Two generations exist: the classic "Get Audit Logs"
 * (platform-audit.ts) and the unified audit of newer Automation Cloud
 * organizations (platform-unified.ts). This file decides which one a config
 * reads and where, and builds its reader.
 */
import type { HttpClient } from '../../http/client.js'
import type { AuditEvent } from '../../model/types.js'
import type { Logger } from '../../util/log.js'
import { endpoints, SYSTEM, TokenClient, type TokenSource } from './client.js'
import { fetchClassicAudit } from './platform-audit.js'
import type { PlatformRoute } from './platform-fields.js'
import { fetchUnifiedAudit } from './platform-unified.js'

export type PlatformAuditMode = 'classic' | 'unified' | 'off'

/** The scope the source adds to the token request when a trail is on; `PM.Audit` (read and write) covers it too. */
export const PLATFORM_AUDIT_SCOPE = 'PM.Audit.Read'
const AUDIT_SCOPES = new Set(['PM.Audit', PLATFORM_AUDIT_SCOPE])

export interface PlatformAuditPlan {
  mode: 'classic' | 'unified'
  routes: PlatformRoute[]
  /** The setting the routes come from, for errors that blame the address. */
  setting: 'url' | 'platform-audit-url'
}

/** The settings this file reads (a subset of the UiPath source's). */
export interface PlatformAuditSettings {
  url: string
  'token-url'?: string
  'platform-audit'?: PlatformAuditMode
  'platform-audit-url'?: string
}

/** A config key and what is wrong with it, for the settings schema. */
export interface PlatformAuditProblem {
  key: 'platform-audit-url'
  message: string
}

const CLOUD_BASE = /^\/([^/]+)\/([^/]+)\/orchestrator_\/$/
// People paste a trail's own address as often as the organization's.
const TRAIL_SUFFIX = /\/(audit_|orgaudit_|tenantaudit_)(\/.*)?$/i

/** `{origin}/{org}/{tenant}` of an Automation Cloud (or Automation Suite) Orchestrator URL; undefined for standalone. */
function cloudBase(url: string): { origin: string; org: string; tenant: string } | undefined {
  let orchestrator: URL
  try {
    orchestrator = new URL(endpoints(url).orchestrator)
  } catch {
    return undefined // a malformed url fails the fetch with its own message
  }
  const match = CLOUD_BASE.exec(orchestrator.pathname)
  return match ? { origin: orchestrator.origin, org: match[1]!, tenant: match[2]! } : undefined
}

/**
 * Which trail the settings read and its routes, or what is wrong with them.
 * Default: `classic` for an Automation Cloud URL (the organization audit is
 * what administrators review, and classic is the documented trail), `off` for
 * a standalone Orchestrator (no organization to derive the route from).
 */
export function resolvePlatformAudit(settings: PlatformAuditSettings): {
  plan?: PlatformAuditPlan
  problem?: PlatformAuditProblem
} {
  const cloud = cloudBase(settings.url)
  const mode = settings['platform-audit'] ?? (cloud ? 'classic' : 'off')
  const given = settings['platform-audit-url']
  let base: { origin: string; org: string; tenant?: string } | undefined = cloud
  if (given !== undefined) {
    const parsed = safeUrl(given)
    if (!parsed) return problem('must be a URL such as https://cloud.uipath.com/{organization}')
    const segments = parsed.pathname.replace(TRAIL_SUFFIX, '').split('/').filter(Boolean)
    if (segments.length < 1 || segments.length > 2) {
      return problem(
        'must be the organization on the platform host, https://{host}/{organization}, or https://{host}/{organization}/{tenant} for versions that serve the audit only per tenant'
      )
    }
    const allowed = [settings.url, settings['token-url']].flatMap((u) => (u && safeUrl(u)?.origin) || [])
    if (!allowed.includes(parsed.origin)) {
      return problem(
        `must be on the host of 'url'${settings['token-url'] ? " or 'token-url'" : ''} (${allowed.join(', ')}): the access token is sent there`
      )
    }
    base = { origin: parsed.origin, org: segments[0]!, tenant: segments[1] }
  }
  if (mode === 'off') return {}
  if (!base) {
    return problem(
      `is needed for platform-audit: ${mode} when 'url' is not an Automation Cloud address (https://{host}/{organization}/{tenant}/orchestrator_): give https://{host}/{organization}, or set platform-audit: off`
    )
  }
  const setting = given !== undefined ? 'platform-audit-url' : 'url'
  // Path segments of a parsed URL are percent-encoded already.
  const org = `${base.origin}/${base.org}/`
  const tenant = base.tenant === undefined ? undefined : `${org}${base.tenant}/`
  if (mode === 'classic') {
    // An explicit tenant picks the older `{org}/{tenant}/audit_` form; otherwise the organization route.
    const root = given !== undefined && tenant ? tenant : org
    return { plan: { mode, routes: [{ url: `${root}audit_/api/auditlogs`, level: 'organization' }], setting } }
  }
  const routes: PlatformRoute[] = [{ url: `${org}orgaudit_/api/query/events`, level: 'organization' }]
  if (tenant) routes.push({ url: `${tenant}tenantaudit_/api/query/events`, level: 'tenant' })
  return { plan: { mode, routes, setting } }
}

function safeUrl(value: string): URL | undefined {
  try {
    return new URL(value)
  } catch {
    return undefined
  }
}

function problem(message: string): { problem: PlatformAuditProblem } {
  return { problem: { key: 'platform-audit-url', message } }
}

/** The configured scopes, plus PM.Audit.Read when a trail is on and no audit scope is listed. */
export function tokenScopes(scopes: string[], plan: PlatformAuditPlan | undefined): string[] {
  return plan && !scopes.some((s) => AUDIT_SCOPES.has(s)) ? [...scopes, PLATFORM_AUDIT_SCOPE] : scopes
}

/** What to do about a failed request to a trail: the scope and where to grant it, the route forms. */
export function platformHint(mode: 'classic' | 'unified') {
  return (status: number): string | undefined => {
    if (status === 401)
      return "The access token was refused on the organization's audit route: the external application must belong to the organization that 'url' (or 'platform-audit-url') names."
    if (status === 403)
      return `The external application needs the application scope ${PLATFORM_AUDIT_SCOPE} (Platform Management, audit read): add it in Admin > External Applications, or set platform-audit: off.`
    if (status === 404) {
      return mode === 'classic'
        ? "No audit route at this address: older versions serve it only per tenant (set 'platform-audit-url' to https://{host}/{organization}/{tenant}); without the Platform Management API, set platform-audit: off."
        : 'This organization has no unified audit: set platform-audit: classic.'
    }
    return undefined
  }
}

export interface PlatformAudit {
  plan: PlatformAuditPlan
  client: HttpClient
  /** Every record of the trail's routes in the window, as audit events. */
  fetch(since: Date, until: Date): Promise<AuditEvent[]>
}

/** The trail's reader over its own HTTP client (on the platform host), authenticated by the source's token. */
export function platformAudit(
  plan: PlatformAuditPlan,
  tokens: TokenSource,
  options: { log: Logger; signal?: AbortSignal }
): PlatformAudit {
  const client = new TokenClient(
    {
      system: SYSTEM,
      baseUrl: new URL(plan.routes[0]!.url).origin,
      setting: plan.setting,
      hint: platformHint(plan.mode),
      log: options.log,
      signal: options.signal
    },
    tokens
  )
  const read = plan.mode === 'classic' ? fetchClassicAudit : fetchUnifiedAudit
  return {
    plan,
    client,
    async fetch(since, until) {
      const perRoute = await Promise.all(plan.routes.map((route) => read(client, route, { since, until })))
      const events = perRoute.flat()
      options.log.info(`${SYSTEM}: ${events.length} organization audit records in the window (${plan.mode})`)
      return events
    }
  }
}
