import { z } from 'zod'
import { envName, httpUrl } from '../../config/schema.js'

/**
 * Action types whose users are listed as administrators. Opsera does not
 * publish its `type` vocabulary: these are the areas that manage other
 * people's access and shared tool credentials (a user's own access tokens
 * are tracked as tokens instead); adjust them to what the archived trail shows.
 */
export const DEFAULT_ADMIN_ACTION_TYPES = ['user', 'group', 'role', 'site_role', 'tool_registry', 'settings']

export const opseraSettings = z.strictObject({
  /** The API server; tenants with their own instance get another address from Opsera. */
  url: httpUrl.default('https://app.opsera.io'),
  /** A personal access token with the "API Access" or "Security Logs (Read Only)" scope, of a Site Administrator or Power User. */
  'token-env': envName,
  /** Days Opsera is known to keep its audit logs (about 7 by default): a window reaching further back is warned about as possibly incomplete. */
  'retention-days': z.number().int().min(1).max(400).default(7),
  /** Archive the token-use records of this tool's own audit-log reads (left out by default: one per call, every run). */
  'include-own-reads': z.boolean().default(false),
  'admin-action-types': z
    .array(z.string().regex(/^[A-Za-z0-9_.-]+$/, 'must be an action type such as tool_registry'))
    .default(DEFAULT_ADMIN_ACTION_TYPES)
})

export type OpseraSettings = z.infer<typeof opseraSettings>
