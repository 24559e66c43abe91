import type { ZodType } from 'zod'
import { SourceError } from '../types.js'

/** Validates one EPM answer, naming what and where when the shape is not the documented one. */
export function parse<T>(schema: ZodType<T>, value: unknown, what: string): T {
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const issue = result.error.issues[0]!
  throw new SourceError(
    `CyberArk EPM: unexpected ${what}: ${issue.path.join('.') || '(top level)'}: ${issue.message}`,
    "EPM answered with a shape this version of permission-snapshot does not know; pin 'api-version' to a version it reads, and please report it."
  )
}
