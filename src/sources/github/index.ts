import type { SourceDefinition } from '../types.js'
import { connect } from './client.js'
import { fetchOrganization } from './fetch.js'
import { githubFailure } from './hints.js'
import { githubSettings, type GitHubSettings } from './settings.js'

/** A GitHub organization: members, teams, repository grants, roles, invitations, optionally the audit log. */
export const githubSource: SourceDefinition<GitHubSettings> = {
  type: 'github',
  description: 'a GitHub organization: members and owners, teams, repository grants, roles, invitations',
  settings: githubSettings,
  create: (settings, instance) => ({
    async fetch(context) {
      const client = await connect(settings, context.env, context.log, instance, context.signal).catch(
        (error: unknown) => {
          throw githubFailure(error, settings.organization, instance)
        }
      )
      return fetchOrganization(client, settings, context, instance)
    }
  })
}
