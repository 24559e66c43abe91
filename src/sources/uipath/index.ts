import { sumStats } from '../../http/client.js'
import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import { createClients, endpoints } from './client.js'
import { fetchEvents } from './events.js'
import { fetchTenant } from './fetch.js'
import { toSnapshot } from './normalize.js'
import { uipathSettings, type UipathSettings } from './settings.js'

/** One Orchestrator tenant: accounts, roles, folders and folder assignments, and the tenant audit trail. */
export const uipathSource: SourceDefinition<UipathSettings> = {
  type: 'uipath',
  description:
    'UiPath Orchestrator tenant (Automation Cloud or standalone): users, robots, groups, roles, folders, folder assignments, audit logs',
  settings: uipathSettings,
  create: (settings, instance) => ({
    async fetch(context) {
      const { log } = context
      // One failed part fails the run: stop the other requests instead of letting them run on unread.
      const failed = new AbortController()
      const signal = context.signal ? AbortSignal.any([context.signal, failed.signal]) : failed.signal
      const clientIdEnv = settings['client-id-env']
      const clientSecretEnv = settings['client-secret-env']
      const { identity, orchestrator } = createClients({
        endpoints: endpoints(settings.url, settings['token-url']),
        clientId: readSecret(context.env, clientIdEnv, 'UiPath client id', instance),
        clientSecret: readSecret(context.env, clientSecretEnv, 'UiPath client secret', instance),
        clientIdEnv,
        clientSecretEnv,
        scopes: settings.scopes,
        log,
        signal
      })
      const [state, events] = await Promise.all([
        fetchTenant(orchestrator, settings, log),
        fetchEvents(orchestrator, settings['audit-components'], context.eventsSince, context.eventsUntil)
      ]).catch((error: unknown) => {
        failed.abort()
        throw error
      })
      const stats = sumStats([identity.stats, orchestrator.stats])
      return { snapshot: toSnapshot(state, instance), events, notes: state.notes, stats }
    }
  })
}
