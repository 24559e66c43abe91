/**
 * Opsera audit records as audit events: the actions log and the token-use
 * log. They carry no `effects`: the grants this source derives are revealed
 * by their holder's own records (a token used, an administrative action), so
 * no record says who granted them, and naming the holder would be a guess.
 */
import type { AuditEvent } from '../../model/types.js'
import type { ActionRecord, TokenRecord } from './api.js'

export const USER_ACTION = 'user-action'
export const TOKEN_USE = 'token-use'

function details(fields: Record<string, string | undefined>): Record<string, string> | undefined {
  const kept = Object.entries(fields).filter((entry): entry is [string, string] => !!entry[1])
  return kept.length > 0 ? Object.fromEntries(kept) : undefined
}

export function actionEvent(record: ActionRecord): AuditEvent {
  const event: AuditEvent = {
    id: `action-${record._id}`,
    time: new Date(Date.parse(record.createdAt)).toISOString(),
    actor: { id: record.user_id, name: record.user_email ?? record.user_id },
    action: `${record.type} ${record.action}`,
    category: USER_ACTION,
    target: record.target_id ? { type: record.type, id: record.target_id } : { type: record.type }
  }
  const extra = details({ type: record.type, action: record.action, account: record.account })
  if (extra) event.details = extra
  return event
}

/**
 * The log names only the owner's id; `emails` (from the actions log) lets the
 * event name the owner the way the report shows people.
 */
export function tokenEvent(record: TokenRecord, emails: Map<string, string>): AuditEvent {
  const event: AuditEvent = {
    id: `token-${record._id}`,
    time: new Date(Date.parse(record.createdAt)).toISOString(),
    actor: { id: record.user_id, name: emails.get(record.user_id) ?? record.user_id },
    action: 'token use',
    category: TOKEN_USE,
    message: `Access token ${record.token_id} (scope ${record.scope}) called ${record.target ?? 'the API'}`
  }
  if (record.target) event.target = { type: 'api', name: record.target }
  event.details = details({
    token: record.token_id,
    scope: record.scope,
    user: record.user_id,
    account: record.account
  })
  return event
}
