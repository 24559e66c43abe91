/**
 * The GraphQL pages the walker packs into queries: the organization's members
 * (with their role), teams (immediate members with their role, repositories
 * with the team's permission, parent team) and repositories (direct grants
 * from `permissionSources`), plus follow-ups for inner connections longer
 * than a page. Each page writes what it reads into the `Collected` state.
 */
import type { Collected, RawRepo, RawTeam, RawUser } from './raw.js'
import type { GraphQLErrorEntry, Page, Sizes } from './walker.js'

interface PageInfo {
  hasNextPage: boolean
  endCursor: string | null
}
interface Connection<E> {
  pageInfo: PageInfo
  edges?: E[]
  nodes?: E[]
}
interface UserNode {
  id: string
  login: string
  name: string | null
  email: string | null
}
interface MemberEdge {
  role: string
  node: UserNode | null
}
interface TeamRepoEdge {
  permission: string
  node: { id: string }
}
interface CollaboratorEdge {
  node: UserNode
  permissionSources: Array<{ roleName: string | null; source: { id?: string } }> | null
}
interface TeamNode {
  id: string
  slug: string
  name: string
  description: string | null
  privacy: 'VISIBLE' | 'SECRET'
  parentTeam: { id: string } | null
  members: Connection<MemberEdge>
  repositories: Connection<TeamRepoEdge>
}
interface RepoNode {
  id: string
  name: string
  isArchived: boolean
  visibility: string
  collaborators: Connection<CollaboratorEdge> | null
}

const PAGE_INFO = 'pageInfo { hasNextPage endCursor }'
const USER = 'id login name email'
const MEMBER_EDGES = `edges { role node { ${USER} } }`
const TEAM_REPO_EDGES = 'edges { permission node { id } }'
const COLLABORATOR_EDGES = `edges { node { ${USER} } permissionSources { roleName source { ... on Repository { id } } } }`

/** Where pages report what GitHub withheld, so the source can refuse to return partial data. */
export interface Withheld {
  collaborators: string[]
  vanished: string[]
}

export function rootPages(c: Collected, withheld: Withheld): Page[] {
  const keepUser = (node: UserNode) => {
    if (!c.users.has(node.id)) c.users.set(node.id, { ...node, type: 'User' } satisfies RawUser)
    return node.id
  }

  const addMembers = (team: RawTeam, connection: Connection<MemberEdge>) => {
    for (const edge of connection.edges ?? []) if (edge.node) team.members.set(keepUser(edge.node), edge.role)
  }
  const addTeamRepos = (team: RawTeam, connection: Connection<TeamRepoEdge>) => {
    for (const edge of connection.edges ?? []) team.repos.set(edge.node.id, edge.permission)
  }
  const addCollaborators = (repo: RawRepo, connection: Connection<CollaboratorEdge>) => {
    for (const edge of connection.edges ?? []) {
      // Only the grant on the repository itself: team and base-permission access are derived, not stored.
      const direct = (edge.permissionSources ?? []).find((s) => s.source.id === repo.id)
      if (direct) repo.direct.set(keepUser(edge.node), direct.roleName ?? 'read')
    }
  }

  /** A follow-up page for an inner connection of one node, through `node(id:)`. */
  const followUp = (
    nodeId: string,
    label: string,
    type: 'Team' | 'Repository',
    field: (sizes: Sizes, after: string, v: (type: string, value: unknown) => string) => string,
    after: string,
    take: (connection: Connection<never>) => void
  ): Page => ({
    level: 'root',
    chain: false,
    nested: 0,
    render: (alias, sizes, v) =>
      `${alias}: node(id: ${v('ID!', nodeId)}) { ... on ${type} { ${field(sizes, after, v)} } }`,
    consume: (result) => {
      const node = result as Record<string, Connection<never> | null> | null
      if (!node) {
        withheld.vanished.push(label)
        return []
      }
      const connection = Object.values(node)[0]
      if (!connection) {
        withheld.collaborators.push(label)
        return []
      }
      take(connection)
      const { hasNextPage, endCursor } = connection.pageInfo
      return hasNextPage && endCursor ? [followUp(nodeId, label, type, field, endCursor, take)] : []
    }
  })

  const teamMembersField = (sizes: Sizes, after: string, v: (type: string, value: unknown) => string) =>
    `members(first: ${v('Int!', sizes.first)}, after: ${v('String', after)}, membership: IMMEDIATE) { ${PAGE_INFO} ${MEMBER_EDGES} }`
  const teamReposField = (sizes: Sizes, after: string, v: (type: string, value: unknown) => string) =>
    `repositories(first: ${v('Int!', sizes.first)}, after: ${v('String', after)}) { ${PAGE_INFO} ${TEAM_REPO_EDGES} }`
  const collaboratorsField = (sizes: Sizes, after: string, v: (type: string, value: unknown) => string) =>
    `collaborators(first: ${v('Int!', sizes.first)}, after: ${v('String', after)}, affiliation: DIRECT) { ${PAGE_INFO} ${COLLABORATOR_EDGES} }`

  const members = (after: string | null): Page => ({
    level: 'organization',
    chain: true,
    nested: 0,
    render: (alias, sizes, v) =>
      `${alias}: membersWithRole(first: ${v('Int!', sizes.first)}, after: ${v('String', after)}) { ${PAGE_INFO} ${MEMBER_EDGES} }`,
    consume: (result) => {
      const connection = result as Connection<MemberEdge>
      for (const edge of connection.edges ?? []) if (edge.node) c.members.set(keepUser(edge.node), edge.role)
      return next(connection.pageInfo, members)
    }
  })

  const teams = (after: string | null): Page => ({
    level: 'organization',
    chain: true,
    nested: 2,
    render: (alias, sizes, v) => {
      const inner = v('Int!', sizes.inner)
      return `${alias}: teams(first: ${v('Int!', sizes.first)}, after: ${v('String', after)}) { ${PAGE_INFO} nodes {
        id slug name description privacy parentTeam { id }
        members(first: ${inner}, membership: IMMEDIATE) { ${PAGE_INFO} ${MEMBER_EDGES} }
        repositories(first: ${inner}) { ${PAGE_INFO} ${TEAM_REPO_EDGES} } } }`
    },
    consume: (result) => {
      const connection = result as Connection<TeamNode>
      const more: Page[] = []
      for (const node of connection.nodes ?? []) {
        const team: RawTeam = {
          id: node.id,
          slug: node.slug,
          name: node.name,
          description: node.description,
          privacy: node.privacy,
          parentId: node.parentTeam?.id,
          members: new Map(),
          repos: new Map()
        }
        c.teams.set(team.id, team)
        addMembers(team, node.members)
        addTeamRepos(team, node.repositories)
        const label = `team ${node.slug}`
        if (node.members.pageInfo.hasNextPage && node.members.pageInfo.endCursor) {
          more.push(
            followUp(team.id, label, 'Team', teamMembersField, node.members.pageInfo.endCursor, (x) =>
              addMembers(team, x)
            )
          )
        }
        if (node.repositories.pageInfo.hasNextPage && node.repositories.pageInfo.endCursor) {
          more.push(
            followUp(team.id, label, 'Team', teamReposField, node.repositories.pageInfo.endCursor, (x) =>
              addTeamRepos(team, x)
            )
          )
        }
      }
      return [...next(connection.pageInfo, teams), ...more]
    }
  })

  const repositories = (after: string | null): Page => ({
    level: 'organization',
    chain: true,
    nested: 1,
    render: (alias, sizes, v) =>
      `${alias}: repositories(first: ${v('Int!', sizes.first)}, after: ${v('String', after)}) { ${PAGE_INFO} nodes {
        id name isArchived visibility
        collaborators(first: ${v('Int!', sizes.inner)}, affiliation: DIRECT) { ${PAGE_INFO} ${COLLABORATOR_EDGES} } } }`,
    consume: (result, errors: GraphQLErrorEntry[]) => {
      const connection = result as Connection<RepoNode>
      const more: Page[] = []
      ;(connection.nodes ?? []).forEach((node, index) => {
        const repo: RawRepo = {
          id: node.id,
          name: node.name,
          isArchived: node.isArchived,
          visibility: node.visibility,
          direct: new Map()
        }
        c.repos.set(repo.id, repo)
        if (!node.collaborators) {
          const error = errors.find((e) => e.path?.[1] === index)
          withheld.collaborators.push(`${node.name}${error ? ` (${error.message})` : ''}`)
          return
        }
        addCollaborators(repo, node.collaborators)
        const { hasNextPage, endCursor } = node.collaborators.pageInfo
        if (hasNextPage && endCursor) {
          more.push(
            followUp(repo.id, `repository ${node.name}`, 'Repository', collaboratorsField, endCursor, (x) =>
              addCollaborators(repo, x)
            )
          )
        }
      })
      return [...next(connection.pageInfo, repositories), ...more]
    }
  })

  return [members(null), teams(null), repositories(null)]
}

function next(pageInfo: PageInfo, page: (after: string) => Page): Page[] {
  return pageInfo.hasNextPage && pageInfo.endCursor ? [page(pageInfo.endCursor)] : []
}
