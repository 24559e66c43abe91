/**
 * Turns a failed GitHub request of the publishing step into an HttpError that
 * says which request failed and what to do about it (which permission, which
 * setting). The token never appears: Octokit sends it in a header, and only
 * the URL path is quoted.
 */
import { HttpError } from '../http/errors.js'

/** What a failed Octokit request carries (RequestError, duck-typed to avoid a transitive import). */
interface RequestFailure {
  status: number
  message: string
  request?: { method?: string; url?: string }
}

export function isRequestFailure(error: unknown): error is RequestFailure {
  return error instanceof Error && typeof (error as Partial<RequestFailure>).status === 'number'
}

/** True when `error` is a GitHub answer with `status` whose message matches `pattern`. */
export function isGitHubAnswer(error: unknown, status: number, pattern?: RegExp): boolean {
  return isRequestFailure(error) && error.status === status && (!pattern || pattern.test(error.message))
}

const WRITE_PERMISSIONS =
  "The token needs `contents: write` and `pull-requests: write` on this repository: set them under `permissions:` in the workflow for GITHUB_TOKEN, or in the GitHub App's repository permissions (and accept the new permissions on the installation)."
const ACTIONS_MAY_CREATE_PRS =
  'With GITHUB_TOKEN, also turn on "Allow GitHub Actions to create and approve pull requests" (organization and repository Settings → Actions → General), or use a GitHub App token.'

function hintFor(status: number, message: string, method: string, path: string, repo: string): string | undefined {
  const pulls = /\/pulls(\/|$)|\/issues\//.test(path)
  if (status === 401)
    return 'The token is invalid or expired (GitHub App installation tokens last one hour): pass a fresh token in the `token` input.'
  if (status === 403 && /not permitted to create or approve pull requests/i.test(message)) return ACTIONS_MAY_CREATE_PRS
  if (status === 403 && /not accessible by integration|must have (push|admin) access|permission/i.test(message))
    return pulls ? `${WRITE_PERMISSIONS} ${ACTIONS_MAY_CREATE_PRS}` : WRITE_PERMISSIONS
  if (status === 404 && method === 'GET' && path === `/repos/${repo}`)
    return `The token cannot see ${repo}: install the GitHub App on this repository (actions/create-github-app-token with \`owner\` and \`repositories\`), or grant the token access to it.`
  if (status === 404 && method !== 'GET')
    return `GitHub answers 404 to writes the token may not make: check that it has \`contents: write\` and \`pull-requests: write\` on ${repo}.`
  if (status === 409 && /empty/i.test(message))
    return `${repo} has no commits yet: push an initial commit to its default branch.`
  return undefined
}

/**
 * A failed GitHub request as an HttpError naming the request and the fix, or
 * undefined when `error` is not a GitHub answer.
 */
export function describeGitHubError(error: unknown, what: string, repo: string): HttpError | undefined {
  if (!isRequestFailure(error)) return undefined
  const method = error.request?.method ?? 'request'
  let path = ''
  try {
    path = new URL(error.request?.url ?? '').pathname.replace(/^\/api\/v3(?=\/)/, '')
  } catch {
    // no URL to quote
  }
  // Octokit appends the documentation URL; the status and GitHub's message are what matter.
  const message = error.message.replace(/ - https:\/\/docs\.github\.com\S*$/, '')
  return new HttpError({
    system: 'GitHub',
    method,
    path,
    status: error.status,
    message: `GitHub: could not ${what}: ${method} ${path} answered ${error.status}: ${message}`,
    hint: hintFor(error.status, message, method, path, repo)
  })
}

/** Rethrows `error` described by `describeGitHubError`, or unchanged when it is not a GitHub answer. */
export function explainGitHubError(error: unknown, what: string, repo: string): never {
  throw describeGitHubError(error, what, repo) ?? error
}
