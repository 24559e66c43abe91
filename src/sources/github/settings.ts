import { z } from 'zod'
import { envName, httpUrl } from '../../config/schema.js'

/** A `type: github` entry: the organization, and a token or GitHub App credentials named by environment variable. */
export const githubSettings = z
  .strictObject({
    organization: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,38}$/, 'must be a GitHub organization login (letters, digits, dashes)'),
    /** A fine-grained or classic token, or an installation token from actions/create-github-app-token. */
    'token-env': envName.optional(),
    /** A GitHub App's id (or client id); the source mints installation tokens itself. */
    'app-id': z.union([z.number().int().positive(), z.string().regex(/^\d+$|^Iv[0-9A-Za-z.]+$/)]).optional(),
    'private-key-env': envName.optional(),
    /** Found from the organization when absent. */
    'installation-id': z.number().int().positive().optional(),
    /** GitHub Enterprise Server: `https://<host>/api/v3`. */
    'api-url': httpUrl.optional(),
    /** Read the organization audit log for the run's window (GitHub Enterprise Cloud). */
    'audit-log': z.boolean().default(false)
  })
  .superRefine((s, ctx) => {
    const app = s['app-id'] !== undefined || s['private-key-env'] !== undefined || s['installation-id'] !== undefined
    if (s['token-env'] && app) {
      ctx.addIssue({
        code: 'custom',
        message: "give either 'token-env' or GitHub App credentials ('app-id', 'private-key-env'), not both"
      })
    } else if (!s['token-env'] && (s['app-id'] === undefined || !s['private-key-env'])) {
      ctx.addIssue({
        code: 'custom',
        message: "needs 'token-env', or 'app-id' with 'private-key-env' (and optionally 'installation-id')"
      })
    }
  })

export type GitHubSettings = z.infer<typeof githubSettings>
