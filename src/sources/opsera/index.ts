import type { AuditEvent } from '../../model/types.js'
import { counted } from '../../util/plural.js'
import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import type { ActionRecord } from './api.js'
import { createOpseraHttp } from './client.js'
import { actionEvent, tokenEvent, USER_ACTION } from './events.js'
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
        firstRun: stored.length === 0,
        includeOwnReads: settings['include-own-reads']
      })
      const emails = knownEmails(stored, logs.actions)
      // Stored events went through the email policy: what is combined with them must too.
      const mask = context.maskEmails ?? (<T>(value: T) => value)
      const events = mask([...logs.actions.map(actionEvent), ...logs.tokens.map((t) => tokenEvent(t, emails))])
      const snapshot = deriveSnapshot([...stored, ...events], {
        instance,
        adminActionTypes: settings['admin-action-types']
      })
      for (const note of logs.notes) log.warn(note)
      const own = logs.ownReads > 0 ? ` (${counted(logs.ownReads, 'record')} of this tool's own reads left out)` : ''
      log.info(
        `${counted(events.length, 'audit record')} in the window${own}, ${counted(snapshot.grants.length, 'grant')} derived from ${stored.length} archived and the new records`
      )
      return { snapshot, events, notes: logs.notes, stats: http.stats }
    }
  })
}

/**
 * Each user's email as the actions log names it, from the archive and the new
 * records (the newest wins): the tokens log names only user ids, and a token
 * owner who did nothing else in this window is still shown by address.
 */
function knownEmails(stored: AuditEvent[], actions: ActionRecord[]): Map<string, string> {
  const emails = new Map<string, string>()
  for (const event of stored) {
    const actor = event.actor
    if (event.category === USER_ACTION && actor?.id && actor.name && actor.name !== actor.id)
      emails.set(actor.id, actor.name)
  }
  for (const action of actions) if (action.user_email) emails.set(action.user_id, action.user_email)
  return emails
}
