import type { Privilege } from '../../model/types.js'

/**
 * The tier of an EPM administrator role, read from its name: account
 * administrators hold every set, set administrators one set, power users and
 * help desk change policies or approve requests, auditors only read. Role
 * names outside these patterns get no tier rather than a guess.
 */
export function rolePrivilege(role: string): Privilege | undefined {
  const name = role.toLowerCase().replace(/[^a-z]/g, '')
  if (name.includes('account') && name.includes('admin')) return 'owner'
  if (name.includes('admin')) return 'admin'
  if (name.includes('poweruser') || name.includes('helpdesk')) return 'write'
  if (name.includes('audit') || name.includes('readonly') || name.includes('viewer')) return 'read'
  return undefined
}
