/** Changes to the simulated account, written to the audit logs as Opsera would log them. */
import { logAction, logTokenUse, type OpseraState, type SimToken, type SimUser } from './data.js'

/** `user` creates a personal access token with `scope` and uses it once; returns the token. */
export function createToken(state: OpseraState, user: SimUser, scope: string): SimToken {
  const hex = (n: number) => Array.from({ length: n }, () => state.random.int(0, 15).toString(16)).join('')
  const now = state.now()
  const token: SimToken = {
    token_id: hex(24),
    user_id: user._id,
    scope,
    secret: `opsera-sim-${hex(32)}`,
    firstUse: now
  }
  state.tokens.push(token)
  logAction(state, user, 'access_token', 'create', token.token_id, now - 1_000)
  logTokenUse(state, token, '/v1/pipelines', now)
  return token
}

/** `user` performs an administrative action of `type` (e.g. changes a site role). */
export function administer(state: OpseraState, user: SimUser, type: string, action: string, targetId: string): void {
  const now = state.now()
  logAction(state, user, type, action, targetId, now)
  if (!state.adminActivity.some((a) => a.user_id === user._id && a.type === type))
    state.adminActivity.push({ user_id: user._id, type, first: now })
}
