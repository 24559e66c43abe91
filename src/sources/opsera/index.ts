import { counted } from '../../util/plural.js'
import { archiveState, archiveSummary } from '../archive-state.js'
import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import { createOpseraHttp } from './client.js'
import { actionEvent, tokenEvent } from './events.js'
import { fetchLogs } from './logs.js'
import { opseraSettings, type OpseraSettings } from './settings.js'
import { opseraDerivation, opseraSnapshot } from './state.js'

/**
 * Opsera documents no endpoint that lists users or roles; its audit logs
 * (user actions, token use) are archived and the access they reveal derived
 * from the archive, folding each day's records onto what it revealed before
 * (reference: /work/shared/reference/opsera.md).
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
      const logs = await fetchLogs(http, {
        since: context.eventsSince,
        until: context.eventsUntil,
        retentionDays: settings['retention-days'],
        firstRun: !context.archive || (await context.archive.days()).length === 0,
        includeOwnReads: settings['include-own-reads']
      })
      // Stored events went through the email policy: what is combined with them must too.
      const mask = context.maskEmails ?? (<T>(value: T) => value)
      const actions = mask(logs.actions.map(actionEvent))
      const state = { instance, adminActionTypes: settings['admin-action-types'] }
      // The state reads token records by owner id only, so their names can wait for it.
      const derived = await archiveState(
        context.archive,
        [...actions, ...mask(logs.tokens.map((t) => tokenEvent(t, new Map())))],
        opseraDerivation(state)
      )
      // The tokens log names only user ids: each owner is named by the newest address the actions log
      // gave, in the window or before it (what the state knows), so one who did nothing else lately is too.
      const events = [...actions, ...mask(logs.tokens.map((t) => tokenEvent(t, derived.state.emails)))]
      const snapshot = opseraSnapshot(derived.state, state)
      for (const note of logs.notes) log.warn(note)
      const own = logs.ownReads > 0 ? ` (${counted(logs.ownReads, 'record')} of this tool's own reads left out)` : ''
      log.info(
        `${counted(events.length, 'audit record')} in the window${own}, ${counted(snapshot.grants.length, 'grant')} ${archiveSummary(derived)}`
      )
      return { snapshot, events, notes: logs.notes, stats: http.stats }
    }
  })
}
