import type { Privilege } from '../../model/types.js'
import type { UserRole } from './api.js'

/** Controls the whole instance. */
const OWNER = new Set(['AdministerSystem'])

/** Changes who can do what, or the server and its spaces themselves. */
const ADMIN = new Set([
  'ConfigureServer',
  'SpaceCreate',
  'SpaceEdit',
  'SpaceDelete',
  'TeamCreate',
  'TeamEdit',
  'TeamDelete',
  'UserEdit',
  'UserInvite',
  'UserRoleEdit'
])

/** `ProjectView`, `VariableViewUnscoped`: looking, not changing. */
const READ = /View(Unscoped)?$/

/**
 * The tier a user role reaches through its most powerful permission.
 * Permission names are an open set that grows with upgrades: an unknown name
 * that is not plainly a view counts as write, so a new power is never ranked
 * as harmless.
 */
export function privilegeOf(role: UserRole): Privilege | undefined {
  const permissions = [...role.GrantedSpacePermissions, ...role.GrantedSystemPermissions]
  if (permissions.length === 0) return undefined
  if (permissions.some((p) => OWNER.has(p))) return 'owner'
  if (permissions.some((p) => ADMIN.has(p))) return 'admin'
  if (permissions.some((p) => !READ.test(p))) return 'write'
  return 'read'
}
