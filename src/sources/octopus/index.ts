import { z } from 'zod'
import { envName, httpUrl } from '../../config/schema.js'
import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import { vanishedScopes } from '../vanished.js'
import { createOctopusHttp, REQUIRED_PERMISSIONS, SYSTEM } from './client.js'
import { DEFAULT_EVENT_DOCUMENT_TYPES, fetchEvents } from './events.js'
import { fetchOctopusData } from './fetch.js'
import { toSnapshot } from './normalize.js'

const settings = z.strictObject({
  /** The Octopus Server address, e.g. https://octopus.example.com (a trailing /api is accepted). */
  url: httpUrl,
  /** The environment variable holding the API key (sent as the X-Octopus-ApiKey header). */
  'api-key-env': envName,
  /** `take` for paged lists. Octopus documents no maximum; its default of 30 would cost many more requests. */
  'page-size': z.number().int().min(1).max(10_000).default(1_000),
  /** Requests in flight at once (one per space for scoped user roles). */
  concurrency: z.number().int().min(1).max(16).default(4),
  /** Event document types to read (the prefix of a document id: `Teams`, `Users`...). */
  'event-document-types': z
    .array(z.string().regex(/^[A-Za-z]+$/, 'must be a document type such as Teams or Users'))
    .min(1)
    .default(DEFAULT_EVENT_DOCUMENT_TYPES)
})

export type OctopusSettings = z.infer<typeof settings>

/** Teams, their members, user roles and scoped user roles, spaces, and the access-related event trail. */
export const octopusSource: SourceDefinition<OctopusSettings> = {
  type: 'octopus',
  description: 'Octopus Deploy: spaces, users, teams, user roles, scoped user roles and their restrictions, events',
  settings,
  create: (config, instance) => ({
    async fetch(context) {
      const apiKey = readSecret(context.env, config['api-key-env'], 'Octopus API key', instance)
      const http = createOctopusHttp({
        url: config.url,
        apiKey,
        apiKeyEnv: config['api-key-env'],
        log: context.log,
        signal: context.signal
      })
      const pageSize = config['page-size']
      const data = await fetchOctopusData(http, { pageSize, concurrency: config.concurrency, log: context.log })
      const { snapshot, notes } = toSnapshot(data, instance)
      const events = await fetchEvents(http, {
        since: context.eventsSince,
        until: context.eventsUntil,
        documentTypes: config['event-document-types'],
        pageSize,
        spaces: data.spaces,
        concurrency: config.concurrency
      })
      const vanished = vanishedScopes({
        system: SYSTEM,
        type: 'space',
        plural: 'spaces',
        previous: context.previous,
        seen: data.spaces.map((s) => s.Id),
        deleted: events.flatMap((e) =>
          e.target?.type === 'space' && e.action === 'Deleted' && e.target.id ? [e.target.id] : []
        ),
        hint:
          `The key's user (the key in ${config['api-key-env']}) probably lost its team in the space: it needs, in every space, a team whose roles grant ${REQUIRED_PERMISSIONS}.` +
          (config['event-document-types'].includes('Spaces')
            ? ''
            : " Deletions show only while 'event-document-types' includes Spaces.")
      })
      context.log.info(
        `${snapshot.grants.length} scoped user roles, ${events.length} events, ${http.stats.requests} requests`
      )
      return { snapshot, events, notes, stats: http.stats, ...(vanished ? { vanished } : {}) }
    }
  })
}
