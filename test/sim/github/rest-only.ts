/**
 * How many requests a REST-only exporter needs for the same data, computed
 * from a generated organization: one request per page of 100 for every list
 * (reference §3.4): members by role, outside collaborators, invitations and
 * their teams, teams, each team's maintainers and members (transitive lists,
 * so child-team members inflate them) and repositories, the repository list,
 * each repository's direct collaborators, organization roles with their team
 * and user assignments, custom repository roles.
 */
import type { GeneratedOrg, SimTeam } from './data.js'

const pages = (count: number) => Math.max(1, Math.ceil(count / 100))

export function restOnlyRequests(org: GeneratedOrg): number {
  const children = new Map<number, SimTeam[]>()
  for (const team of org.teams) {
    if (team.parentId !== null) children.set(team.parentId, [...(children.get(team.parentId) ?? []), team])
  }
  const transitive = (team: SimTeam, into = new Map<number, string>()): Map<number, string> => {
    for (const [id, role] of team.members) if (!into.has(id)) into.set(id, role)
    for (const child of children.get(team.id) ?? []) transitive(child, into)
    return into
  }
  const admins = [...org.members.values()].filter((r) => r === 'admin').length
  let requests = 1 // GET /orgs/{org}
  requests += pages(admins) + pages(org.members.size - admins)
  requests += pages(
    new Set(org.repos.flatMap((r) => [...r.collaborators.keys()].filter((id) => !org.members.has(id)))).size
  )
  requests += pages(org.invitations.length) + org.invitations.filter((i) => i.teamIds.length > 0).length
  requests += pages(org.teams.length)
  for (const team of org.teams) {
    const members = [...transitive(team).values()]
    requests +=
      pages(members.filter((r) => r === 'maintainer').length) + pages(members.filter((r) => r === 'member').length)
    requests += pages(team.repos.size)
  }
  requests += pages(org.repos.length)
  for (const repo of org.repos) requests += pages(repo.collaborators.size)
  requests += 1 + 2 * org.orgRoles.length
  requests += 1 // custom repository roles
  return requests
}
