import type { ScopedUserRole } from './api.js'

/** The four ways a scoped user role narrows a grant inside its space. */
export interface Dimension {
  /** The restriction key in the snapshot. */
  key: string
  field: keyof Pick<ScopedUserRole, 'ProjectIds' | 'ProjectGroupIds' | 'EnvironmentIds' | 'TenantIds'>
  /** The space-scoped collection that names the ids: `/api/{spaceId}/{collection}`. */
  collection: string
  noun: string
}

export const DIMENSIONS: readonly Dimension[] = [
  { key: 'projects', field: 'ProjectIds', collection: 'projects', noun: 'projects' },
  { key: 'project-groups', field: 'ProjectGroupIds', collection: 'projectgroups', noun: 'project groups' },
  { key: 'environments', field: 'EnvironmentIds', collection: 'environments', noun: 'environments' },
  { key: 'tenants', field: 'TenantIds', collection: 'tenants', noun: 'tenants' }
]

/**
 * Restriction lists may hold sentinels instead of ids (`projects-all`,
 * `environments-unrelated`...; message-contracts.ts). They are shown as what
 * they mean, never looked up.
 */
const SENTINEL = /^(projects|projectgroups|environments|tenants)-(all|unrelated)$/

export function sentinelLabel(id: string, dimension: Dimension): string | undefined {
  const match = SENTINEL.exec(id)
  return match ? `${match[2]} ${dimension.noun} (${id})` : undefined
}
