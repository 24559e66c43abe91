/**
 * Turns GitHub's refusals into errors that say what to do: which permission
 * of a fine-grained token or GitHub App (and which classic scope) the failed
 * endpoint needs, SAML single sign-on authorization, expired credentials.
 * Messages carry the URL path and GitHub's own message, never a credential.
 */
import { HttpError } from '../../http/errors.js'
import { redact } from '../../util/secrets.js'
import { SourceError } from '../types.js'

const PERMISSIONS: Array<[RegExp, string]> = [
  [
    /\/graphql$/,
    'organization Members: read and repository Metadata: read on all repositories (classic token: read:org and repo)'
  ],
  [/\/organization-roles/, 'organization Custom organization roles: read (classic token: admin:org)'],
  [
    /\/custom-repository-roles/,
    'organization Custom repository roles: read or Administration: read (classic token: admin:org)'
  ],
  [/\/audit-log/, 'organization Administration: read, as an organization owner (classic token: read:audit_log)'],
  [
    /\/invitations/,
    'organization Members: read, and the token must belong to an organization owner (classic token: admin:org)'
  ],
  [
    /\/teams\/[^/]+\/repos/,
    'organization Members: read and repository Metadata: read (classic token: read:org and repo)'
  ],
  [/\/orgs\/[^/]+\/installation$/, 'a GitHub App installed on the organization'],
  [/\/orgs\//, 'organization Members: read (classic token: read:org)']
]

export function permissionFor(path: string): string {
  return PERMISSIONS.find(([pattern]) => pattern.test(path))?.[1] ?? 'organization Members: read'
}

interface GitHubFailure {
  status?: number
  message?: string
  request?: { method?: string; url?: string }
  response?: { data?: unknown }
}

function githubMessage(error: GitHubFailure): string {
  const data = error.response?.data as { message?: unknown; errors?: Array<{ message?: unknown }> } | undefined
  // A GraphQL failure (a 502 after a timeout) carries its text in `errors`, and no `message`.
  const graphql = Array.isArray(data?.errors) ? data.errors[0]?.message : undefined
  const message =
    typeof data?.message === 'string' ? data.message : typeof graphql === 'string' ? graphql : (error.message ?? '')
  // @octokit/request appends the documentation URL; the message is enough.
  return message.replace(/ - https:\/\/docs\.github\.com\S*$/, '')
}

export function githubFailure(error: unknown, organization: string, instance: string): SourceError {
  if (error instanceof SourceError) return error
  // The client already blamed the URL (unreachable, redirected elsewhere, not a GitHub API): no token advice.
  if (error instanceof HttpError) {
    const what = error.details.message.replace(/^GitHub: /, `GitHub source '${instance}': `)
    return new SourceError(
      redact(what),
      /`api-url`/.test(what)
        ? 'For github.com leave it out (https://api.github.com); for GitHub Enterprise Server it is https://HOST/api/v3.'
        : error.details.hint,
      { cause: error }
    )
  }
  const e = error as GitHubFailure
  const method = e.request?.method ?? 'GET'
  const path = e.request?.url ? new URL(e.request.url, 'http://github.invalid').pathname : '(unknown path)'
  const message = githubMessage(e)
  const what = `GitHub source '${instance}': ${method} ${path} answered ${e.status ?? 'no response'}${message ? `: ${message}` : ''}`
  let hint: string | undefined
  if (e.status === 401) {
    hint =
      'The credentials were refused: the token is expired, revoked or mistyped; for a GitHub App check app-id, the private key and installation-id.'
  } else if (/SAML enforcement|single sign-on/i.test(message)) {
    hint = `Organization ${organization} enforces SAML single sign-on: authorize the token for it (Settings → Tokens → Configure SSO) or use a GitHub App.`
  } else if (e.status === 403 && /rate limit/i.test(message)) {
    hint =
      'The rate limit stayed exhausted after the retries: run later, or use a GitHub App installation (higher limits).'
  } else if (e.status === 403) {
    hint = `The token lacks a permission this endpoint needs: ${permissionFor(path)}.`
  } else if (e.status === 404) {
    hint = `GitHub answers 404 for organizations and endpoints the token cannot see: check the organization name '${organization}', that a fine-grained token's resource owner is the organization, or that the App is installed on it; the endpoint needs ${permissionFor(path)}.`
  } else if (e.status === undefined || e.status >= 500) {
    hint = 'GitHub kept failing after the retries; run again later (the previous snapshot stays as it is).'
  }
  return new SourceError(redact(what), hint, { cause: error })
}
