/**
 * The generated organization seen through GitHub's GraphQL types: plain
 * objects whose fields are values or functions of the field's arguments,
 * which graphql-js's default resolver calls. Connections page like GitHub's
 * (opaque cursors, `pageInfo`), `Team.members` is transitive unless asked
 * for `IMMEDIATE`, and `permissionSources` names every path a collaborator's
 * access comes from.
 *
 * Per-node refusals follow GitHub's partial answers: the node's field is null
 * and `errors` carries a FORBIDDEN entry with its path. Where the schema makes
 * the node non-null (`TeamMemberEdge.node`), graphql-js nulls the nearest
 * nullable parent, the edge, as GitHub's executor does.
 */
import { GraphQLError } from 'graphql'
import {
  BUILT_IN_REPOSITORY_ROLES,
  type BaseRole,
  type GeneratedOrg,
  type SimRepo,
  type SimTeam,
  type SimUser
} from './data.js'

/** Who is asking: an owner (or an App installation with Members read) sees secret teams. */
export interface Viewer {
  owner: boolean
  /**
   * The repositories (by name) a token limited to selected repositories sees
   * (an App installed on some, a fine-grained token with a repository list);
   * undefined: all. The others are absent from every connection, as on GitHub.
   */
  repositories?: ReadonlySet<string>
}

/** Per-node faults the tests switch on. */
export interface GraphControls {
  /** Repository names whose `collaborators` answer "Must have push access…" as a partial error. */
  forbiddenCollaborators: Set<string>
  /** Logins whose node in `membersWithRole` GitHub withholds: `node: null` with a FORBIDDEN error. */
  forbiddenOrgMembers: Set<string>
  /** Logins whose node in `Team.members` GitHub withholds (the non-null node nulls its edge). */
  forbiddenTeamMembers: Set<string>
  /**
   * Repository names whose direct grants answer `roleName: null` (the schema
   * allows it); `permission: 'NONE'` takes the floor away as well.
   */
  unnamedRoles: Map<string, { permission?: 'NONE' }>
}

/** The controls with no fault switched on. */
export function graphControls(): GraphControls {
  return {
    forbiddenCollaborators: new Set(),
    forbiddenOrgMembers: new Set(),
    forbiddenTeamMembers: new Set(),
    unnamedRoles: new Map()
  }
}

const WITHHELD = 'Resource not accessible by integration'

type Obj = Record<string, unknown>
interface PageArgs {
  first?: number
  last?: number
  after?: string
  before?: string
}

const RANK: Record<BaseRole, number> = { read: 1, triage: 2, write: 3, maintain: 4, admin: 5 }

export function graphError(message: string, type: string): GraphQLError {
  return new GraphQLError(message, { extensions: { type } })
}

function cursor(index: number): string {
  return Buffer.from(`cursor:v2:${index}`).toString('base64')
}

function offset(value: string): number {
  const match = /^cursor:v2:(\d+)$/.exec(Buffer.from(value, 'base64').toString('utf8'))
  if (!match) throw graphError(`\`${value}\` does not appear to be a valid cursor.`, 'INVALID_CURSOR_ARGUMENTS')
  return Number(match[1])
}

function connection<T>(items: readonly T[], args: PageArgs, edge: (item: T) => Obj): Obj {
  let start = args.after ? offset(args.after) + 1 : 0
  let end = args.before ? offset(args.before) : items.length
  if (args.first !== undefined) end = Math.min(end, start + args.first)
  else if (args.last !== undefined) start = Math.max(start, end - args.last)
  const page = items.slice(start, end)
  const edges = () => page.map((item, i) => ({ cursor: cursor(start + i), ...edge(item) }))
  return {
    totalCount: items.length,
    pageInfo: {
      hasNextPage: end < items.length,
      hasPreviousPage: start > 0,
      startCursor: page.length ? cursor(start) : null,
      endCursor: page.length ? cursor(start + page.length - 1) : null
    },
    edges,
    // A refused node is a function that throws: as a list item it must fail alone, as a promise does.
    nodes: () =>
      edges().map((e) => {
        const node = (e as Obj).node
        return typeof node === 'function' ? Promise.resolve().then(node as () => unknown) : node
      })
  }
}

/** A node GitHub withholds: resolving it throws the FORBIDDEN error that nulls it. */
function refused(): () => never {
  return () => {
    throw graphError(WITHHELD, 'FORBIDDEN')
  }
}

/** The permission a role name shows as in GraphQL: custom roles surface as their base role. */
function baseOf(org: GeneratedOrg, role: string): BaseRole {
  if ((BUILT_IN_REPOSITORY_ROLES as readonly string[]).includes(role)) return role as BaseRole
  const custom = org.customRepoRoles.find((r) => r.name === role)
  if (!custom) throw new Error(`simulator: unknown repository role ${role}`)
  return custom.baseRole
}

/** `DefaultRepositoryPermissionField`: only READ, WRITE, ADMIN, NONE. */
function defaultField(base: BaseRole | 'none'): string {
  return base === 'none' ? 'NONE' : base === 'admin' ? 'ADMIN' : RANK[base] >= RANK.write ? 'WRITE' : 'READ'
}

export class OrgGraph {
  private readonly teams = new Map<number, SimTeam>()
  private readonly repos = new Map<number, SimRepo>()
  private readonly children = new Map<number, SimTeam[]>()
  /** User id → teams the user is an immediate member of. */
  private readonly userTeams = new Map<number, SimTeam[]>()
  private nodes?: Map<string, () => Obj | null>

  constructor(
    readonly org: GeneratedOrg,
    private readonly viewer: Viewer,
    private readonly controls: GraphControls
  ) {
    for (const team of org.teams) {
      this.teams.set(team.id, team)
      if (team.parentId !== null) this.children.set(team.parentId, [...(this.children.get(team.parentId) ?? []), team])
      for (const userId of team.members.keys()) {
        const list = this.userTeams.get(userId)
        if (list) list.push(team)
        else this.userTeams.set(userId, [team])
      }
    }
    for (const repo of org.repos) this.repos.set(repo.id, repo)
  }

  private visible(team: SimTeam): boolean {
    return this.viewer.owner || team.privacy !== 'secret'
  }

  private visibleRepo(repo: SimRepo): boolean {
    return !this.viewer.repositories || this.viewer.repositories.has(repo.name)
  }

  /** The `Query` root: `organization`, `node`, `nodes`, `viewer`. */
  root(): Obj {
    return {
      organization: ({ login }: { login: string }) =>
        login.toLowerCase() === this.org.login.toLowerCase() ? this.organization() : null,
      node: ({ id }: { id: string }) => this.byNodeId(id),
      nodes: ({ ids }: { ids: string[] }) => ids.map((id) => this.byNodeId(id)),
      viewer: () => this.user([...this.org.users.values()][0]!)
    }
  }

  private byNodeId(id: string): Obj | null {
    if (!this.nodes) {
      // Built on first use: most queries never look a node up by id.
      this.nodes = new Map<string, () => Obj | null>([[this.org.nodeId, () => this.organization()]])
      for (const team of this.teams.values())
        this.nodes.set(team.nodeId, () => (this.visible(team) ? this.team(team) : null))
      for (const repo of this.repos.values())
        this.nodes.set(repo.nodeId, () => (this.visibleRepo(repo) ? this.repository(repo) : null))
      for (const user of this.org.users.values()) this.nodes.set(user.nodeId, () => this.user(user))
    }
    return this.nodes.get(id)?.() ?? null
  }

  organization(): Obj {
    const org = this.org
    const visibleTeams = () => org.teams.filter((t) => this.visible(t))
    return {
      __typename: 'Organization',
      id: org.nodeId,
      databaseId: org.id,
      login: org.login,
      name: org.name,
      viewerCanAdminister: this.viewer.owner,
      viewerIsAMember: this.viewer.owner,
      membersWithRole: (args: PageArgs) =>
        connection([...org.members], args, ([userId, role]) => {
          const user = org.users.get(userId)!
          return {
            role: role === 'admin' ? 'ADMIN' : 'MEMBER',
            hasTwoFactorEnabled: null,
            node: this.controls.forbiddenOrgMembers.has(user.login) ? refused() : this.user(user)
          }
        }),
      teams: (args: PageArgs & { rootTeamsOnly?: boolean }) =>
        connection(
          visibleTeams().filter((t) => !args.rootTeamsOnly || t.parentId === null),
          args,
          (t) => ({ node: this.team(t) })
        ),
      team: ({ slug }: { slug: string }) => {
        const team = visibleTeams().find((t) => t.slug === slug)
        return team ? this.team(team) : null
      },
      repositories: (args: PageArgs) =>
        connection(
          org.repos.filter((r) => this.visibleRepo(r)),
          args,
          (r) => ({ node: this.repository(r) })
        ),
      repository: ({ name }: { name: string }) => {
        const repo = org.repos.find((r) => r.name === name && this.visibleRepo(r))
        return repo ? this.repository(repo) : null
      }
    }
  }

  user(user: SimUser): Obj {
    return {
      __typename: 'User',
      id: user.nodeId,
      databaseId: user.id,
      login: user.login,
      name: user.name,
      email: user.email ?? ''
    }
  }

  /** Members of the team's descendants, for `membership: ALL` and `CHILD_TEAM`. */
  private descendantMembers(team: SimTeam, into: Map<number, string>): void {
    for (const child of this.children.get(team.id) ?? []) {
      for (const userId of child.members.keys()) if (!into.has(userId)) into.set(userId, 'MEMBER')
      this.descendantMembers(child, into)
    }
  }

  team(team: SimTeam): Obj {
    const parent = team.parentId === null ? undefined : this.teams.get(team.parentId)
    return {
      __typename: 'Team',
      id: team.nodeId,
      databaseId: team.id,
      slug: team.slug,
      combinedSlug: `${this.org.login}/${team.slug}`,
      name: team.name,
      description: team.description,
      privacy: team.privacy === 'secret' ? 'SECRET' : 'VISIBLE',
      parentTeam: parent ? this.team(parent) : null,
      organization: () => this.organization(),
      childTeams: (args: PageArgs) =>
        connection(this.children.get(team.id) ?? [], args, (t) => ({ node: this.team(t) })),
      members: (args: PageArgs & { membership?: string; role?: string }) => {
        const membership = args.membership ?? 'ALL'
        const members = new Map<number, string>()
        if (membership !== 'CHILD_TEAM') {
          for (const [userId, role] of team.members) members.set(userId, role.toUpperCase())
        }
        if (membership !== 'IMMEDIATE') this.descendantMembers(team, members)
        const list = [...members].filter(([, role]) => !args.role || role === args.role)
        return connection(list, args, ([userId, role]) => {
          const user = this.org.users.get(userId)!
          return { role, node: this.controls.forbiddenTeamMembers.has(user.login) ? refused() : this.user(user) }
        })
      },
      repositories: (args: PageArgs) =>
        connection(
          [...team.repos].filter(([repoId]) => this.visibleRepo(this.repos.get(repoId)!)),
          args,
          ([repoId, role]) => ({
            permission: baseOf(this.org, role).toUpperCase(),
            node: this.repository(this.repos.get(repoId)!)
          })
        )
    }
  }

  repository(repo: SimRepo): Obj {
    return {
      __typename: 'Repository',
      id: repo.nodeId,
      databaseId: repo.id,
      name: repo.name,
      nameWithOwner: `${this.org.login}/${repo.name}`,
      isArchived: repo.archived,
      isPrivate: repo.visibility !== 'public',
      visibility: repo.visibility.toUpperCase(),
      collaborators: (args: PageArgs & { affiliation?: string }) => {
        if (this.controls.forbiddenCollaborators.has(repo.name)) {
          throw graphError('Must have push access to view repository collaborators.', 'FORBIDDEN')
        }
        return connection(this.collaboratorIds(repo, args.affiliation ?? 'ALL'), args, (userId) =>
          this.collaboratorEdge(repo, userId)
        )
      }
    }
  }

  /**
   * DIRECT: users with a grant on the repository itself; OUTSIDE: those of
   * them who are not members; ALL adds every member (base permission, teams).
   */
  private collaboratorIds(repo: SimRepo, affiliation: string): number[] {
    const direct = [...repo.collaborators.keys()]
    if (affiliation === 'DIRECT') return direct
    if (affiliation === 'OUTSIDE') return direct.filter((id) => !this.org.members.has(id))
    return [...new Set([...this.org.members.keys(), ...direct])]
  }

  private collaboratorEdge(repo: SimRepo, userId: number): Obj {
    const org = this.org
    const sources: Array<{ base: BaseRole | 'none'; role: string; source: Obj }> = []
    const orgRole = org.members.get(userId)
    if (orgRole) {
      const base = orgRole === 'admin' ? 'admin' : org.defaultRepositoryPermission
      sources.push({ base, role: base, source: this.organization() })
    }
    const granting = new Set<SimTeam>()
    for (const team of this.userTeams.get(userId) ?? []) {
      // Child teams inherit their parent team's repository access.
      for (let t: SimTeam | undefined = team; t; t = t.parentId === null ? undefined : this.teams.get(t.parentId)) {
        if (t.repos.has(repo.id)) granting.add(t)
      }
    }
    for (const team of granting) {
      const role = team.repos.get(repo.id)!
      sources.push({ base: baseOf(org, role), role, source: this.team(team) })
    }
    const direct = repo.collaborators.get(userId)
    if (direct) sources.push({ base: baseOf(org, direct), role: direct, source: this.repository(repo) })
    const best = sources.reduce<BaseRole | 'none'>(
      (max, s) => (s.base !== 'none' && (max === 'none' || RANK[s.base] > RANK[max]) ? s.base : max),
      'none'
    )
    const unnamed = this.controls.unnamedRoles.get(repo.name)
    return {
      permission: best === 'none' ? 'READ' : best.toUpperCase(),
      permissionSources: sources.map((s) => {
        const hidden = unnamed && s.source.__typename === 'Repository'
        return {
          organization: this.organization(),
          permission: hidden && unnamed.permission ? unnamed.permission : defaultField(s.base),
          roleName: hidden ? null : s.role,
          source: s.source
        }
      }),
      node: this.user(org.users.get(userId)!)
    }
  }
}
