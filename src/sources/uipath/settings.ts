import { z } from 'zod'
import { envName, httpUrl } from '../../config/schema.js'
import { resolvePlatformAudit } from './platform.js'

/** Application scopes asked for by default: read-only, and only what the snapshot reads. */
export const DEFAULT_SCOPES = ['OR.Users.Read', 'OR.Roles.Read', 'OR.Folders.Read', 'OR.Audit.Read']

/** The audit components that concern access: who exists, what roles allow, who holds them where. */
export const DEFAULT_AUDIT_COMPONENTS = ['Users', 'Roles', 'Folders', 'Settings']

const scope = z.string().regex(/^[A-Za-z0-9_.]+$/, 'must be a scope name such as OR.Users.Read')

const uipathObject = z.strictObject({
  /** Orchestrator base: `https://cloud.uipath.com/{org}/{tenant}/orchestrator_` or `https://{server}`. */
  url: httpUrl,
  /** Only when the token endpoint is not where the URL shape implies (Automation Suite, custom identity host). */
  'token-url': httpUrl.optional(),
  'client-id-env': envName,
  'client-secret-env': envName,
  /** A list, or one space-separated string as UiPath's admin pages show them. */
  scopes: z
    .preprocess((v) => (typeof v === 'string' ? v.split(/\s+/).filter(Boolean) : v), z.array(scope).min(1))
    .default(DEFAULT_SCOPES),
  /** Personal workspaces hold one user's own automations; they are left out unless asked for. */
  'personal-folders': z.boolean().default(false),
  /** Read each directory user's group-derived roles to learn group membership (one request per directory user). */
  'group-membership': z.boolean().default(true),
  'audit-components': z
    .array(z.string().regex(/^[A-Za-z]+$/, 'must be an audit component name such as Users'))
    .min(1)
    .default(DEFAULT_AUDIT_COMPONENTS),
  /** Requests in flight at once for the per-folder and per-user calls. */
  concurrency: z.number().int().min(1).max(32).default(8),
  /** The organization audit trail: classic "Get Audit Logs", the unified audit, or none. Default: classic on Automation Cloud, off on standalone. */
  'platform-audit': z.enum(['classic', 'unified', 'off']).optional(),
  /** `https://{host}/{organization}` (or `/{organization}/{tenant}`) when it cannot be derived from `url`. */
  'platform-audit-url': httpUrl.optional()
})

/** The keys, and where the organization audit lives (a config error when it cannot be said). */
export const uipathSettings = uipathObject.superRefine((settings, context) => {
  const { problem } = resolvePlatformAudit(settings)
  if (problem) context.addIssue({ code: 'custom', path: [problem.key], message: problem.message })
})

export type UipathSettings = z.infer<typeof uipathSettings>
