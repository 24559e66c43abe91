import { z } from 'zod'
import { envName, httpUrl } from '../../config/schema.js'

export const cyberarkEpmSettings = z.strictObject({
  /** The EPM logon (dispatcher) host, e.g. https://login.epm.cyberark.com; later calls go to the ManagerURL it returns. */
  url: httpUrl,
  'username-env': envName,
  'password-env': envName,
  /** Free text naming the caller in EPM's logon; not a secret. */
  'application-id': z.string().min(1).max(100).default('permission-snapshot'),
  /** Pins the API version in every path (`24.5.0`); left out, EPM serves the latest, as CyberArk recommends. */
  'api-version': z
    .string()
    .regex(/^\d+(\.\d+){0,3}$/, 'must be a version number such as 24.5.0')
    .optional(),
  /** Set names or ids to read; all sets the user can view when left out. */
  sets: z.array(z.string().min(1)).min(1).optional(),
  /** Also read the account administrator audit (needs an account-level administrator). */
  'account-audit': z.boolean().default(true),
  /** Archive the audit rows of this tool's own API reads (`Feature: Public API` by the configured user). */
  'include-own-reads': z.boolean().default(false),
  /** `Limit` per audit page. EPM's default is 50 and it documents no maximum; 500 is what XSOAR uses in production. */
  'page-size': z.number().int().min(1).max(10_000).default(500),
  /**
   * Spacing between calls. 300 ms keeps within both documented limits (5 calls per second and 1,000 calls
   * per 5 minutes), so a run is never throttled by its own pace.
   */
  'min-interval-ms': z.number().int().min(0).max(60_000).default(300),
  /** First wait after a "Too many calls" answer, doubling per retry (the Splunk add-on waits 10 s). */
  'throttle-wait-seconds': z.number().min(0).max(300).default(10),
  /** Sets whose audit is read at once; the pacing above still spaces every call. */
  concurrency: z.number().int().min(1).max(8).default(4)
})

export type CyberarkEpmSettings = z.infer<typeof cyberarkEpmSettings>
