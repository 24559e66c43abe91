/**
 * The GraphQL pages the walker packs into queries: the organization's members
 * (with their role), teams (immediate members with their role, repositories
 * with the team's permission, parent team) and repositories (direct grants
 * from `permissionSources`), plus follow-ups for inner connections longer
 * than a page. Each page writes what it reads into the `Collected` state.
 *
 * GitHub answers a node it withholds with `null` and a FORBIDDEN error at its
 * path (a non-null node nulls its edge instead). Every null item, and every
 * member whose role is not given, is recorded with GitHub's path and message:
 * a member or grant that silently went missing would read as revoked access.
 */
import type { Collected, RawRepo, RawTeam, RawUser } from './raw.js'
import type { NodeErrors, Page, Sizes } from './walker.js'

interface PageInfo {
  hasNextPage: boolean
  endCursor: string | null
}
interface Connection<E> {
  pageInfo: PageInfo
  edges?: Array<E | null>
  nodes?: Array<E | null>
}
interface UserNode {
  id: string
  login: string
  name: string | null
  email: string | null
}
interface MemberEdge {
  /** Nullable in `OrganizationMemberEdge`. */
  role: string | null
  node: UserNode | null
}
interface TeamRepoEdge {
  permission: string
  node: { id: string }
}
interface CollaboratorEdge {
  node: UserNode
  permissionSources: Array<{ permission: string; roleName: string | null; source: { id?: string } }> | null
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
const COLLABORATOR_EDGES = `edges { node { ${USER} } permissionSources { permission roleName source { ... on Repository { id } } } }`

/** Where pages report what GitHub withheld, so the source can refuse to return partial data. */
export interface Withheld {
  collaborators: string[]
  vanished: string[]
  /** Null nodes and edges, and members without a role: what, then GitHub's path and message. */
  nodes: Array<{ what: string; detail: string }>
  /** Direct grants GitHub gave neither a role name nor a permission for: `repository: login`. */
  unnamed: string[]
}

/** Where a list sits: GitHub's field path (aliases replaced by field names) and the path relative to the page. */
interface At {
  base: string
  path: Array<string | number>
}
const within = (at: At, ...more: Array<string | number>): At => ({ base: at.base, path: [...at.path, ...more] })

export function rootPages(c: Collected, withheld: Withheld): Page[] {
  const keepUser = (node: UserNode) => {
    if (!c.users.has(node.id)) c.users.set(node.id, { ...node, type: 'User' } satisfies RawUser)
    return node.id
  }

  /** Records a null item under `what`, with the error GitHub gave at or below its path. */
  const withhold = (what: string, at: At, errors: NodeErrors) => {
    const found = errors.take(...at.path)
    const path = [at.base, ...(found?.relative ?? at.path)].join('.')
    withheld.nodes.push({ what, detail: `${path}: ${found?.error.message ?? 'null without an error'}` })
  }
  /** The items of a connection list GitHub filled in; each null one is recorded. */
  const present = <T>(items: Array<T | null> | undefined, what: string, at: At, errors: NodeErrors): T[] =>
    (items ?? []).flatMap((item, i) => {
      if (item !== null) return [item]
      withhold(what, within(at, i), errors)
      return []
    })

  /** Members with their role; a withheld user (null node or edge) or role is recorded, never skipped. */
  const readMembers = (
    connection: Connection<MemberEdge>,
    what: string,
    at: At,
    errors: NodeErrors,
    keep: (userId: string, role: string) => void
  ) => {
    ;(connection.edges ?? []).forEach((edge, i) => {
      if (edge?.node && edge.role) keep(keepUser(edge.node), edge.role)
      else withhold(what, within(at, 'edges', i), errors)
    })
  }
  const addMembers = (team: RawTeam, connection: Connection<MemberEdge>, at: At, errors: NodeErrors) =>
    readMembers(connection, `members of team ${team.slug}`, at, errors, (id, role) => team.members.set(id, role))
  const addTeamRepos = (team: RawTeam, connection: Connection<TeamRepoEdge>, at: At, errors: NodeErrors) => {
    const edges = present(connection.edges, `repositories of team ${team.slug}`, within(at, 'edges'), errors)
    for (const edge of edges) team.repos.set(edge.node.id, edge.permission)
  }
  const addCollaborators = (repo: RawRepo, connection: Connection<CollaboratorEdge>, at: At, errors: NodeErrors) => {
    for (const edge of present(connection.edges, `collaborators of ${repo.name}`, within(at, 'edges'), errors)) {
      // Only the grant on the repository itself: team and base-permission access are derived, not stored.
      const direct = (edge.permissionSources ?? []).find((s) => s.source.id === repo.id)
      if (!direct) continue
      // `roleName` is nullable; `permission` (READ, WRITE, ADMIN or NONE) is the floor. Without either, unknown.
      if (direct.roleName === null && direct.permission === 'NONE')
        withheld.unnamed.push(`${repo.name}: ${edge.node.login}`)
      else repo.direct.set(keepUser(edge.node), { roleName: direct.roleName, permission: direct.permission })
    }
  }

  /** A follow-up page for an inner connection of one node, through `node(id:)`. */
  const followUp = (
    nodeId: string,
    label: string,
    type: 'Team' | 'Repository',
    field: (sizes: Sizes, after: string, v: (type: string, value: unknown) => string) => string,
    after: string,
    take: (connection: Connection<never>, at: At, errors: NodeErrors) => void
  ): Page => ({
    level: 'root',
    chain: false,
    nested: 0,
    render: (alias, sizes, v) =>
      `${alias}: node(id: ${v('ID!', nodeId)}) { ... on ${type} { ${field(sizes, after, v)} } }`,
    consume: (result, errors) => {
      const node = result as Record<string, Connection<never> | null> | null
      if (!node) {
        withheld.vanished.push(label)
        return []
      }
      const [name, connection] = Object.entries(node)[0]!
      if (!connection) {
        const error = errors.take(name)?.error
        withheld.collaborators.push(`${label}${error ? ` (${error.message})` : ''}`)
        return []
      }
      take(connection, { base: `node(${nodeId})`, path: [name] }, errors)
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
    consume: (result, errors) => {
      const connection = result as Connection<MemberEdge>
      readMembers(
        connection,
        'organization members',
        { base: 'organization.membersWithRole', path: [] },
        errors,
        (id, role) => c.members.set(id, role)
      )
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
    consume: (result, errors) => {
      const connection = result as Connection<TeamNode>
      const more: Page[] = []
      ;(connection.nodes ?? []).forEach((node, j) => {
        const at: At = { base: 'organization.teams', path: ['nodes', j] }
        if (!node) {
          withhold('teams', at, errors)
          return
        }
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
        addMembers(team, node.members, within(at, 'members'), errors)
        addTeamRepos(team, node.repositories, within(at, 'repositories'), errors)
        const label = `team ${node.slug}`
        if (node.members.pageInfo.hasNextPage && node.members.pageInfo.endCursor) {
          more.push(
            followUp(team.id, label, 'Team', teamMembersField, node.members.pageInfo.endCursor, (...x) =>
              addMembers(team, ...x)
            )
          )
        }
        if (node.repositories.pageInfo.hasNextPage && node.repositories.pageInfo.endCursor) {
          more.push(
            followUp(team.id, label, 'Team', teamReposField, node.repositories.pageInfo.endCursor, (...x) =>
              addTeamRepos(team, ...x)
            )
          )
        }
      })
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
    consume: (result, errors) => {
      const connection = result as Connection<RepoNode>
      const more: Page[] = []
      ;(connection.nodes ?? []).forEach((node, index) => {
        const at: At = { base: 'organization.repositories', path: ['nodes', index] }
        if (!node) {
          withhold('repositories', at, errors)
          return
        }
        const repo: RawRepo = {
          id: node.id,
          name: node.name,
          isArchived: node.isArchived,
          visibility: node.visibility,
          direct: new Map()
        }
        c.repos.set(repo.id, repo)
        if (!node.collaborators) {
          const error = errors.take('nodes', index, 'collaborators')?.error
          withheld.collaborators.push(`${node.name}${error ? ` (${error.message})` : ''}`)
          return
        }
        addCollaborators(repo, node.collaborators, within(at, 'collaborators'), errors)
        const { hasNextPage, endCursor } = node.collaborators.pageInfo
        if (hasNextPage && endCursor) {
          more.push(
            followUp(repo.id, `repository ${node.name}`, 'Repository', collaboratorsField, endCursor, (...x) =>
              addCollaborators(repo, ...x)
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
