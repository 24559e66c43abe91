import { z } from 'zod'
import { DEFAULT_TIMEOUT_MINUTES } from './defaults.js'
import { DEFAULT_MASS_REMOVAL } from '../diff/mass-removal.js'

/** How email addresses are stored: the snapshot repository may be more widely readable than the admin consoles. */
export const EMAIL_POLICIES = ['keep', 'redact', 'hash'] as const
export type EmailPolicy = (typeof EMAIL_POLICIES)[number]

/** Prefixes credentials are issued with (GitHub, GitLab, Slack, AWS, Google, npm, Octopus, JWTs...). */
const CREDENTIAL_PREFIX =
  /^(gh[pousr]_|github_pat_|glpat-|xox[abeprs]-|sk-|sk_live_|rk_live_|AKIA|ASIA|AIza|ya29\.|eyJ|npm_|pypi-|dop_v1_|shp(at|ss|ca|pa)_|SG\.|API-)/

/**
 * A value pasted into an `…-env` key instead of a variable name. Names are
 * words joined by underscores; a credential is one long run of mixed letters
 * and digits, or starts with a known issuer prefix.
 */
export function looksLikeCredential(value: string): boolean {
  if (CREDENTIAL_PREFIX.test(value)) return true
  if (value.split(/[_\-.]/).some((part) => part.length >= 16 && /\d/.test(part) && /[A-Za-z]/.test(part))) return true
  return value.length >= 20 && !value.includes('_') && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value)
}

/**
 * An environment variable name, the only way a config refers to a credential.
 * A value that is not one is never echoed: it may be the secret itself.
 */
export const envName = z.string().superRefine((value, ctx) => {
  if (looksLikeCredential(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must name an environment variable; the value looks like a token and was not printed'
    })
  } else if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(value)) {
    ctx.addIssue({
      code: 'custom',
      message: 'must name an environment variable (letters, digits, underscores); the value was not printed'
    })
  }
})

/** An http(s) base URL, without a user name or password in it: those are named by `…-env` keys too. */
export const httpUrl = z
  .string()
  .regex(/^https?:\/\/[^\s/]+/i, 'must be an http:// or https:// URL')
  .refine((value) => !/^https?:\/\/[^/?#]*@/i.test(value), {
    message: 'must not hold a user name or password (name them with the `…-env` keys); the value was not printed'
  })

/** A source's deadline in minutes (fractions allowed), within the 6 hours GitHub gives a job. */
const timeoutMinutes = z.number().positive().max(360)

/** A source instance name becomes a folder name, so it is held to a safe alphabet. */
const instanceName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/,
    'must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit'
  )

/** Share of one kind (principals, memberships, grants) whose removal in one run is held back as a likely partial fetch. */
const massRemovalThreshold = z.number().min(0).max(1)
/** The fewest removed entries of one kind that can be a mass removal. */
const massRemovalMinimum = z.number().int().min(1)

/** The keys every source entry has, whatever its type. */
export const commonSourceKeys = z.strictObject({
  type: z.string(),
  name: instanceName,
  /** Only scopes (repositories, folders, spaces...) whose name matches one of these globs are kept. */
  include: z.array(z.string()).optional(),
  /** Scopes whose name matches one of these globs are dropped, with their grants. */
  exclude: z.array(z.string()).optional(),
  /** Overrides the top-level `emails` for this source. */
  emails: z.enum(EMAIL_POLICIES).optional(),
  /** Overrides the top-level `timeout-minutes` for this source. */
  'timeout-minutes': timeoutMinutes.optional(),
  /** Override the top-level mass-removal guard for this source. */
  'mass-removal-threshold': massRemovalThreshold.optional(),
  'mass-removal-minimum': massRemovalMinimum.optional()
})

/**
 * `identities:` one person's accounts where the systems do not share an email
 * address: address → { source type or `type/name`: login or logins }.
 */
export const identities = z.record(
  z.string().min(1, 'must be an email address'),
  z.record(z.string(), z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]))
)

/** One Confluence page: an existing page by id, or one found (or created) by title in a space. */
const confluencePage = z
  .strictObject({
    /** `type/name` of the source whose page this is; absent: the overview of all sources and people. */
    source: z.string().optional(),
    'page-id': z.string().regex(/^\d+$/, 'must be the numeric id of a page').optional(),
    space: z.string().min(1).optional(),
    /** With `space`: the page's title (found, or created). A `page-id` page keeps its own title. */
    title: z.string().min(1).max(255).optional(),
    /** With `space`: the page a created page is placed under. */
    'parent-id': z.string().regex(/^\d+$/, 'must be the numeric id of a page').optional()
  })
  .refine((p) => (p['page-id'] === undefined) !== (p.space === undefined), 'give either page-id or space')

/** `confluence:` publish the state pages to Confluence Cloud after each run. */
export const confluence = z.strictObject({
  /** The site, `https://<site>.atlassian.net`; the API is under `/wiki/api/v2`. */
  url: httpUrl,
  /** The variable holding the Atlassian account's email address. */
  'user-env': envName,
  /** The variable holding that account's API token. */
  'token-env': envName,
  pages: z.array(confluencePage).min(1, 'list at least one page')
})

export const topLevel = z.strictObject({
  /** `keep` (default), `redact` (drop addresses) or `hash` (a keyed fingerprint that still shows changes). */
  emails: z.enum(EMAIL_POLICIES).default('keep'),
  /** The environment variable holding the HMAC key of the fingerprints `redact` and `hash` write. */
  'emails-key-env': envName.optional(),
  /** How long each source may fetch; past it, the source fails and keeps its previous snapshot. */
  'timeout-minutes': timeoutMinutes.default(DEFAULT_TIMEOUT_MINUTES),
  'mass-removal-threshold': massRemovalThreshold.default(DEFAULT_MASS_REMOVAL.threshold),
  'mass-removal-minimum': massRemovalMinimum.default(DEFAULT_MASS_REMOVAL.minimum),
  events: z
    .strictObject({
      /** How far back the first run reads audit events. */
      'lookback-days': z.number().int().min(1).max(400).default(7),
      /** How far before the newest stored event later runs start reading again; duplicates are dropped by id. */
      'overlap-minutes': z.number().int().min(0).max(10_080).default(60)
    })
    .default({ 'lookback-days': 7, 'overlap-minutes': 60 }),
  sources: z.array(z.record(z.string(), z.unknown())).min(1, 'list at least one source'),
  identities: identities.optional(),
  confluence: confluence.optional()
})
