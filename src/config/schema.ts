import { z } from 'zod'

/** How email addresses are stored: the snapshot repository may be more widely readable than the admin consoles. */
export const EMAIL_POLICIES = ['keep', 'redact', 'hash'] as const
export type EmailPolicy = (typeof EMAIL_POLICIES)[number]

/** An environment variable name, the only way a config refers to a credential. */
export const envName = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be the name of an environment variable (letters, digits, underscores)')

/** An http(s) base URL. */
export const httpUrl = z.string().regex(/^https?:\/\/[^\s/]+/i, 'must be an http:// or https:// URL')

/** A source instance name becomes a folder name, so it is held to a safe alphabet. */
const instanceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit'
  )

/** The keys every source entry has, whatever its type. */
export const commonSourceKeys = z.strictObject({
  type: z.string(),
  name: instanceName,
  /** Only scopes (repositories, folders, spaces...) whose name matches one of these globs are kept. */
  include: z.array(z.string()).optional(),
  /** Scopes whose name matches one of these globs are dropped, with their grants. */
  exclude: z.array(z.string()).optional(),
  /** Overrides the top-level `emails` for this source. */
  emails: z.enum(EMAIL_POLICIES).optional()
})

export const topLevel = z.strictObject({
  /** `keep` (default), `redact` (drop addresses) or `hash` (a stable SHA-256 prefix that still shows changes). */
  emails: z.enum(EMAIL_POLICIES).default('keep'),
  /** Share of a source's grants whose removal in one run is held back as a likely partial fetch. */
  'mass-removal-threshold': z.number().min(0).max(1).default(0.25),
  events: z
    .strictObject({
      /** How far back the first run reads audit events. */
      'lookback-days': z.number().int().min(1).max(400).default(7),
      /** How far before the newest stored event later runs start reading again; duplicates are dropped by id. */
      'overlap-minutes': z.number().int().min(0).max(10_080).default(60)
    })
    .default({ 'lookback-days': 7, 'overlap-minutes': 60 }),
  sources: z.array(z.record(z.string(), z.unknown())).min(1, 'list at least one source')
})
