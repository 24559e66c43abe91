import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import { createOpseraHttp } from './client.js'
import { actionEvent, tokenEvent } from './events.js'
import { fetchLogs } from './logs.js'
import { opseraSettings, type OpseraSettings } from './settings.js'
import { deriveSnapshot } from './state.js'

/**
 * Opsera documents no endpoint that lists users or roles; its audit logs
 * (user actions, token use) are archived and the access they reveal derived
 * from the archive (reference: /work/shared/reference/opsera.md).
 */
export const opseraSource: SourceDefinition<OpseraSettings> = {
  type: 'opsera',
  description:
    'Opsera: personal access tokens (owner, scope) and administrative users, derived from its user-action and token-use audit logs',
  settings: opseraSettings,
  create: (settings, instance) => ({
    async fetch(context) {
      const log = context.log
      const tokenEnv = settings['token-env']
      const http = createOpseraHttp({
        url: settings.url,
        token: readSecret(context.env, tokenEnv, 'Opsera personal access token', instance),
        tokenEnv,
        log,
        signal: context.signal
      })
      const stored = await context.storedEvents()
      const logs = await fetchLogs(http, {
        since: context.eventsSince,
        until: context.eventsUntil,
        retentionDays: settings['retention-days'],
        firstRun: stored.length === 0
      })
      const emails = new Map(logs.actions.filter((a) => a.user_email).map((a) => [a.user_id, a.user_email!]))
      // Stored events went through the email policy: what is combined with them must too.
      const mask = context.maskEmails ?? (<T>(value: T) => value)
      const events = mask([...logs.actions.map(actionEvent), ...logs.tokens.map((t) => tokenEvent(t, emails))])
      const snapshot = deriveSnapshot([...stored, ...events], {
        instance,
        adminActionTypes: settings['admin-action-types']
      })
      for (const note of logs.notes) log.warn(note)
      log.info(
        `${events.length} audit records in the window, ${snapshot.grants.length} grants derived from ${stored.length} archived and the new records`
      )
      return { snapshot, events, notes: logs.notes, stats: http.stats }
    }
  })
}
