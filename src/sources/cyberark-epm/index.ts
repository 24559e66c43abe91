import { mapLimit } from '../../util/concurrency.js'
import { archiveState, archiveSummary } from '../archive-state.js'
import { readSecret } from '../credentials.js'
import type { SourceDefinition } from '../types.js'
import { vanishedScopes } from '../vanished.js'
import { accountAuditEvents, listSets, setAuditEvents, type AuditOptions } from './audit.js'
import { EpmSession, SYSTEM } from './client.js'
import { cyberarkEpmSettings, type CyberarkEpmSettings } from './settings.js'
import { epmDerivation, epmSnapshot } from './state.js'

/**
 * CyberArk EPM has no endpoint that lists who administers what; its
 * administrator audit trail is archived and the access it reveals derived
 * from the archive, folding each day's rows onto what it revealed before
 * (reference: /work/shared/reference/cyberark-epm.md).
 */
export const cyberarkEpmSource: SourceDefinition<CyberarkEpmSettings> = {
  type: 'cyberark-epm',
  description:
    'CyberArk Endpoint Privilege Manager: sets, and the set and account administrators (with roles) its admin audit trail reveals',
  settings: cyberarkEpmSettings,
  create: (settings, instance) => ({
    async fetch(context) {
      const log = context.log
      const usernameEnv = settings['username-env']
      const passwordEnv = settings['password-env']
      const username = readSecret(context.env, usernameEnv, 'CyberArk EPM user name', instance)
      const session = new EpmSession({
        url: settings.url,
        username,
        password: readSecret(context.env, passwordEnv, 'CyberArk EPM password', instance),
        applicationId: settings['application-id'],
        apiVersion: settings['api-version'],
        usernameEnv,
        passwordEnv,
        minIntervalMs: settings['min-interval-ms'],
        throttleWaitMs: settings['throttle-wait-seconds'] * 1000,
        log,
        signal: context.signal
      })
      const { visible, sets } = await listSets(session, settings.sets)
      // EPM lists only the sets the user has a role in, and its audit records no deletion of a set.
      const vanished = vanishedScopes({
        system: SYSTEM,
        type: 'set',
        plural: 'sets',
        previous: context.previous,
        seen: visible.map((s) => s.id),
        deleted: [],
        hint: `EPM lists only the sets its user has a role in: the user behind ${usernameEnv} probably lost its role in the set; it needs a role in every set to read.`
      })
      const options: AuditOptions = {
        window: { since: context.eventsSince, until: context.eventsUntil },
        pageSize: settings['page-size'],
        username,
        includeOwnReads: settings['include-own-reads']
      }
      const perSet = await mapLimit(sets, settings.concurrency, (set) => setAuditEvents(session, set, options))
      const account = settings['account-audit'] ? await accountAuditEvents(session, options) : []
      const fetched = [...perSet.flat(), ...account]
      // Stored events went through the email policy: what is compared with them must too.
      const mask = context.maskEmails ?? (<T>(value: T) => value)
      const events = mask(fetched)
      const state = { instance, sets, account: settings['account-audit'], username: mask(username) }
      const derived = await archiveState(context.archive, events, epmDerivation(state))
      const snapshot = epmSnapshot(derived.state, state)
      log.info(
        `${sets.length} sets, ${events.length} audit rows in the window, ${snapshot.grants.length} administrator grants ${archiveSummary(derived)}`
      )
      return { snapshot, events, notes: [], stats: session.stats, ...(vanished ? { vanished } : {}) }
    }
  })
}
