/**
 * Changes to a generated organization, each recorded in its audit log with the
 * actor who made it, the way GitHub Enterprise Cloud's audit log would show
 * it. The demo's day-2 script and the tests change the organization only
 * through these, so "who did it" is always answerable.
 */
import {
  newUser,
  userByLogin,
  type GeneratedOrg,
  type OrgRole,
  type SimAuditEntry,
  type SimUser,
  type TeamRole
} from './data.js'

function record(
  org: GeneratedOrg,
  actor: SimUser,
  action: string,
  fields: Omit<
    SimAuditEntry,
    '@timestamp' | '_document_id' | 'action' | 'actor' | 'actor_id' | 'created_at' | 'org' | 'org_id'
  >,
  at = Date.now()
): void {
  org.auditLog.push({
    '@timestamp': at,
    _document_id: `doc-${org.auditLog.length + 1}-${at.toString(36)}`,
    action,
    actor: actor.login,
    actor_id: actor.id,
    created_at: at,
    org: org.login,
    org_id: org.id,
    ...fields
  })
}

function user(org: GeneratedOrg, login: string): SimUser {
  const found = userByLogin(org, login)
  if (!found) throw new Error(`no user ${login} in ${org.login}`)
  return found
}

function team(org: GeneratedOrg, slug: string) {
  const found = org.teams.find((t) => t.slug === slug)
  if (!found) throw new Error(`no team ${slug} in ${org.login}`)
  return found
}

function repo(org: GeneratedOrg, name: string) {
  const found = org.repos.find((r) => r.name === name)
  if (!found) throw new Error(`no repository ${name} in ${org.login}`)
  return found
}

/** Makes a member an owner or back (`org.update_member`). */
export function setOrgRole(org: GeneratedOrg, actorLogin: string, login: string, role: OrgRole): void {
  const target = user(org, login)
  org.members.set(target.id, role)
  record(org, user(org, actorLogin), 'org.update_member', { user: target.login, user_id: target.id, permission: role })
}

export function addTeamMember(
  org: GeneratedOrg,
  actorLogin: string,
  slug: string,
  login: string,
  role: TeamRole
): void {
  const target = user(org, login)
  team(org, slug).members.set(target.id, role)
  record(org, user(org, actorLogin), 'team.add_member', {
    team: `${org.login}/${slug}`,
    user: target.login,
    user_id: target.id
  })
}

export function removeTeamMember(org: GeneratedOrg, actorLogin: string, slug: string, login: string): void {
  const target = user(org, login)
  team(org, slug).members.delete(target.id)
  record(org, user(org, actorLogin), 'team.remove_member', {
    team: `${org.login}/${slug}`,
    user: target.login,
    user_id: target.id
  })
}

/** Grants a user a role on a repository; an unknown login becomes a new outside collaborator (`repo.add_member`). */
export function addCollaborator(
  org: GeneratedOrg,
  actorLogin: string,
  repoName: string,
  login: string,
  role: string
): void {
  const target = userByLogin(org, login) ?? newUser(org, login, null, null)
  repo(org, repoName).collaborators.set(target.id, role)
  record(org, user(org, actorLogin), 'repo.add_member', {
    repo: `${org.login}/${repoName}`,
    user: target.login,
    user_id: target.id,
    permission: role
  })
}

export function setTeamRepoRole(
  org: GeneratedOrg,
  actorLogin: string,
  slug: string,
  repoName: string,
  role: string
): void {
  const target = team(org, slug)
  const repository = repo(org, repoName)
  const action = target.repos.has(repository.id) ? 'team.update_repository_permission' : 'team.add_repository'
  target.repos.set(repository.id, role)
  record(org, user(org, actorLogin), action, {
    team: `${org.login}/${slug}`,
    repo: `${org.login}/${repoName}`,
    permission: role
  })
}

/** Changes the organization's base repository permission (`org.update_default_repository_permission`). */
export function setBasePermission(
  org: GeneratedOrg,
  actorLogin: string,
  permission: GeneratedOrg['defaultRepositoryPermission']
): void {
  org.defaultRepositoryPermission = permission
  record(org, user(org, actorLogin), 'org.update_default_repository_permission', { permission })
}

/** Lets members create repositories, or stops them (`org.update_member_repository_creation_permission`). */
export function setMembersCanCreateRepositories(org: GeneratedOrg, actorLogin: string, allowed: boolean): void {
  org.membersCanCreateRepositories = allowed
  record(org, user(org, actorLogin), 'org.update_member_repository_creation_permission', {})
}

/** Changes a repository's visibility (`repo.access`). */
export function setRepoVisibility(
  org: GeneratedOrg,
  actorLogin: string,
  repoName: string,
  visibility: 'public' | 'private' | 'internal'
): void {
  repo(org, repoName).visibility = visibility
  record(org, user(org, actorLogin), 'repo.access', { repo: `${org.login}/${repoName}` })
}

/** Moves a team under another parent, or to the top with `null` (`team.change_parent_team`). */
export function setTeamParent(org: GeneratedOrg, actorLogin: string, slug: string, parentSlug: string | null): void {
  team(org, slug).parentId = parentSlug === null ? null : team(org, parentSlug).id
  record(org, user(org, actorLogin), 'team.change_parent_team', { team: `${org.login}/${slug}` })
}
