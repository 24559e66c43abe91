import { sumStats } from '../../http/client.js'
import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import { vanishedScopes } from '../vanished.js'
import { createClients, endpoints, SYSTEM } from './client.js'
import { fetchEvents } from './events.js'
import { fetchTenant } from './fetch.js'
import { platformAudit, resolvePlatformAudit, tokenScopes } from './platform.js'
import { toSnapshot } from './normalize.js'
import { uipathSettings, type UipathSettings } from './settings.js'

/** One Orchestrator tenant (accounts, roles, folders and folder assignments, the tenant audit trail) and its organization's audit trail. */
export const uipathSource: SourceDefinition<UipathSettings> = {
  type: 'uipath',
  description:
    'UiPath Orchestrator tenant (Automation Cloud or standalone): users, robots, groups, roles, folders, folder assignments, tenant and organization audit logs',
  settings: uipathSettings,
  create: (settings, instance) => ({
    async fetch(context) {
      const { log } = context
      // One failed part fails the run: stop the other requests instead of letting them run on unread.
      const failed = new AbortController()
      const signal = context.signal ? AbortSignal.any([context.signal, failed.signal]) : failed.signal
      const clientIdEnv = settings['client-id-env']
      const clientSecretEnv = settings['client-secret-env']
      const { plan } = resolvePlatformAudit(settings)
      const { identity, tokens, orchestrator } = createClients({
        endpoints: endpoints(settings.url, settings['token-url']),
        tokenSetting: settings['token-url'] ? 'token-url' : 'url',
        clientId: readSecret(context.env, clientIdEnv, 'UiPath client id', instance),
        clientSecret: readSecret(context.env, clientSecretEnv, 'UiPath client secret', instance),
        clientIdEnv,
        clientSecretEnv,
        scopes: tokenScopes(settings.scopes, plan),
        log,
        signal
      })
      const platform = plan && platformAudit(plan, tokens, { log, signal })
      const [state, tenantEvents, organizationEvents] = await Promise.all([
        fetchTenant(orchestrator, settings, log),
        fetchEvents(orchestrator, settings['audit-components'], context.eventsSince, context.eventsUntil),
        platform ? platform.fetch(context.eventsSince, context.eventsUntil) : []
      ]).catch((error: unknown) => {
        failed.abort()
        throw error
      })
      const vanished = vanishedScopes({
        system: SYSTEM,
        type: 'folder',
        plural: 'folders',
        previous: context.previous,
        seen: state.listedFolderIds,
        deleted: tenantEvents.flatMap((e) =>
          e.target?.type === 'folder' && e.action === 'Delete' && e.target.id ? [e.target.id] : []
        ),
        hint:
          'The external application probably lost its assignment to the folder: assign it to every top-level folder again, or give it tenant-wide folder access (a tenant role with Folders - View).' +
          (settings['audit-components'].includes('Folders')
            ? ''
            : " Deletions show only while 'audit-components' includes Folders.")
      })
      const stats = sumStats([identity.stats, orchestrator.stats, ...(platform ? [platform.client.stats] : [])])
      const events = [...tenantEvents, ...organizationEvents]
      return {
        snapshot: toSnapshot(state, instance),
        events,
        notes: state.notes,
        stats,
        ...(vanished ? { vanished } : {})
      }
    }
  })
}
