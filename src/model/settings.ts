/**
 * Settings of a scope that give access to a whole population at once, under
 * well-known attribute keys with normalized values. A source maps its
 * system's settings onto these (GitHub's base repository permission becomes
 * `members-privilege`), so the report ranks a change of any system's setting
 * without knowing the system; a `file` export may set them as well. Other
 * attribute keys stay free-form facts.
 */
export const SCOPE_SETTINGS = {
  /**
   * The privilege tier every member of the scope holds on every scope under
   * it: `none`, `read`, `write` or `admin` (GitHub: the organization's base
   * repository permission). A scope's members are the principals holding a
   * grant at it.
   */
  membersPrivilege: 'members-privilege',
  /**
   * `true` when every member may create scopes under it, and administers
   * what they create (GitHub: members can create repositories); else `false`.
   */
  membersCanCreate: 'members-can-create',
  /**
   * Who can read the scope beyond its grants: `private` (only its grants),
   * `internal` (every member of the enclosing organization or enterprise) or
   * `public` (anyone).
   */
  visibility: 'visibility',
  /**
   * The groups that administer the scope, by id, sorted and joined with `, `
   * (Octopus: a space's space-manager teams). See `idList`/`joinIds`.
   */
  managerGroups: 'manager-groups'
} as const

/** The ranks of `visibility` values, from the narrowest. */
export const VISIBILITY_RANK: Record<string, number> = { private: 0, internal: 1, public: 2 }

/**
 * A group attribute: the handle the system's audit log names the group by
 * (GitHub's team slug), so an event can be matched to the group.
 */
export const GROUP_SLUG = 'slug'

/** A list-valued setting (`manager-groups`) as it is stored: sorted, unique, joined with `, `. */
export function joinIds(ids: Iterable<string>): string {
  return [...new Set(ids)].sort().join(', ')
}

/** The ids of a list-valued setting; empty when it is absent. */
export function idList(value: string | undefined): string[] {
  return value ? value.split(', ').filter((id) => id !== '') : []
}
