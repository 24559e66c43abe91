import type { Grant, SourceRef, Subject } from './types.js'

/**
 * The order sources are reported in, by `type/name`: the same in `run`, in
 * `diff` (which has no config to take an order from) and in the pull request.
 */
export function compareSources(a: SourceRef, b: SourceRef): number {
  const [x, y] = [`${a.type}/${a.name}`, `${b.type}/${b.name}`]
  return x < y ? -1 : x > y ? 1 : 0
}

export function subjectKey(subject: Subject): string {
  return `${subject.type}:${subject.id}`
}

/**
 * The identity of a grant across snapshots: the system's grant id where it has
 * one, otherwise who holds which role where and through what. Two grants with
 * the same key are the same grant, possibly changed (restrictions).
 */
export function grantKey(grant: Grant): string {
  if (grant.id !== undefined) return `id:${grant.id}`
  return [subjectKey(grant.subject), grant.scope, grant.role, grant.via ?? ''].join('\u0000')
}

/** Grants sharing this key are one subject's access to one scope by one path. */
export function grantSlotKey(grant: Grant): string {
  return [subjectKey(grant.subject), grant.scope, grant.via ?? ''].join('\u0000')
}
