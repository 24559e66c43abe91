/** Request parsing and validation answers shared by the simulated repository's routes. */
import type { SimRequest, SimResponse } from '../server.js'
import { githubError } from './rest.js'

export type Body = Record<string, unknown>

/** A JSON object request body, or undefined for anything else (GitHub answers `problemsParsingJson()`). */
export function jsonBody(req: SimRequest): Body | undefined {
  try {
    const body: unknown = JSON.parse(req.body || '{}')
    if (body && typeof body === 'object' && !Array.isArray(body)) return body as Body
  } catch {
    // GitHub's answer follows
  }
  return undefined
}

export function problemsParsingJson(): SimResponse {
  return githubError(400, 'Problems parsing JSON')
}

/** GitHub's 422 for a failed validation, with its `errors` list. */
export function validationFailed(...errors: Array<Record<string, string>>): SimResponse {
  return githubError(422, 'Validation Failed', { errors })
}
