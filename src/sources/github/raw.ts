/**
 * What the GitHub source collects before normalizing: GitHub's own shapes,
 * keyed by GraphQL node id (stable across renames; REST answers carry the
 * same id as `node_id`).
 */

export interface RawUser {
  id: string
  login: string
  name?: string | null
  email?: string | null
  /** `User`, or `Bot` for REST users of type Bot. */
  type: string
}

export interface RawTeam {
  id: string
  slug: string
  name: string
  description: string | null
  privacy: 'VISIBLE' | 'SECRET'
  parentId?: string
  /** Immediate members: user node id → MAINTAINER | MEMBER. */
  members: Map<string, string>
  /** Repository node id → permission from GraphQL (ADMIN…READ), replaced by REST `role_name` where custom roles make it ambiguous. */
  repos: Map<string, string>
}

/** A direct grant as the Repository permission source shows it. */
export interface DirectGrant {
  /** The role's name; nullable in the schema. */
  roleName: string | null
  /** The level it grants, `READ`, `WRITE` or `ADMIN` here (a grant with `NONE` and no name is refused). */
  permission: string
}

export interface RawRepo {
  id: string
  name: string
  isArchived: boolean
  visibility: string
  /** Direct grants only: user node id → the grant from the Repository permission source. */
  direct: Map<string, DirectGrant>
}

export interface RawOrgSettings {
  id: number
  nodeId: string
  login: string
  defaultRepositoryPermission: string
  membersCanCreateRepositories: boolean
  /** Repositories the organization has, whatever the token sees: public ones, and private (with internal) ones when shown. */
  publicRepos: number
  privateRepos?: number
}

export interface RawInvitation {
  id: number
  login: string | null
  email: string | null
  role: string
  teamSlugs: string[]
}

export interface RawOrgRole {
  id: number
  name: string
  description?: string | null
  baseRole?: string | null
  source?: string | null
  permissions: string[]
  /** Team node ids and user node ids assigned directly (not through a team). */
  teams: string[]
  users: RawUser[]
}

export interface RawCustomRepoRole {
  id: number
  name: string
  description?: string | null
  baseRole: string
  permissions: string[]
}

export interface Collected {
  org: RawOrgSettings
  /** Everyone seen: members, team members, collaborators, outside collaborators. */
  users: Map<string, RawUser>
  /** Organization members: user node id → ADMIN | MEMBER. */
  members: Map<string, string>
  teams: Map<string, RawTeam>
  repos: Map<string, RawRepo>
  invitations: RawInvitation[]
  orgRoles: RawOrgRole[]
  customRepoRoles: RawCustomRepoRole[]
}
