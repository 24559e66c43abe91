/**
 * The GitHub organization in the offline demo: `acme`, ten members, nested
 * teams, a secret team, a custom repository role, an outside collaborator and
 * an archived repository, served by the simulator on Enterprise Cloud (so the
 * audit log names who made the day-2 changes). The server object is exposed
 * so the publishing step's end-to-end test can add repository routes to it.
 */
import type { SimulatedSystem } from '../system.js'
import { generateOrg } from './data.js'
import { addCollaborator, removeTeamMember, setOrgRole } from './mutations.js'
import { startGitHubSim, type GitHubSim, type GitHubSimOptions } from './server.js'

export interface GitHubDemo extends SimulatedSystem {
  github: GitHubSim
  url: string
  token: string
}

export async function startGitHubDemo(options: Partial<Omit<GitHubSimOptions, 'org'>> = {}): Promise<GitHubDemo> {
  const org = generateOrg({ seed: 2026, login: 'acme', members: 10, teams: 4, repos: 6, plan: 'enterprise' })
  const [platform, payments, , security] = org.teams as [
    (typeof org.teams)[0],
    (typeof org.teams)[0],
    (typeof org.teams)[0],
    (typeof org.teams)[0]
  ]
  // Make the interesting shapes certain rather than left to the seed.
  platform.parentId = null
  platform.privacy = 'closed'
  payments.parentId = platform.id
  payments.privacy = 'closed'
  security.parentId = null
  security.privacy = 'secret'
  for (const team of org.teams) if (team !== payments && team.parentId === security.id) team.parentId = null
  org.repos[5]!.archived = true
  platform.repos.set(org.repos[0]!.id, 'release-manager')

  const logins = [...org.members.keys()].map((id) => org.users.get(id)!.login)
  const owner = logins[0]!
  const github = await startGitHubSim({ org, ...options })
  return {
    github,
    url: github.url,
    token: github.token,
    source: {
      type: 'github',
      name: 'acme',
      organization: 'acme',
      'token-env': 'DEMO_GITHUB_TOKEN',
      'api-url': github.url,
      'audit-log': true
    },
    env: { DEMO_GITHUB_TOKEN: github.token },
    day2: () => {
      const removed = org.users.get([...payments.members.keys()].at(-1)!)!.login
      setOrgRole(org, owner, logins[3]!, 'admin')
      removeTeamMember(org, owner, payments.slug, removed)
      addCollaborator(org, owner, org.repos[2]!.name, 'external-auditor', 'read')
      addCollaborator(org, logins[1]!, org.repos[0]!.name, logins[4]!, 'admin')
      return [
        `acme (GitHub): ${logins[3]} made an organization owner by ${owner}`,
        `acme (GitHub): ${removed} removed from team ${payments.slug} by ${owner}`,
        `acme (GitHub): outside collaborator external-auditor given read on ${org.repos[2]!.name} by ${owner}`,
        `acme (GitHub): ${logins[4]} made admin of ${org.repos[0]!.name} by ${logins[1]}`
      ]
    },
    stop: () => github.stop()
  }
}
