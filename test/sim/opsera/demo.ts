/**
 * The Opsera account of the offline demo: a few days of audit logs, and a
 * day 2 on which a Power User creates a personal access token with the `api`
 * scope and uses it.
 */
import type { SimulatedSystem } from '../system.js'
import { createToken } from './changes.js'
import { generateOpsera, SMALL, TOOL_TOKEN } from './data.js'
import { OpseraSimulator } from './server.js'

export const DEMO_SEED = 9
export const DEMO_TOKEN_ENV = 'OPSERA_DEMO_TOKEN'

export async function startOpseraDemo(): Promise<SimulatedSystem> {
  const state = generateOpsera(DEMO_SEED, SMALL)
  const simulator = new OpseraSimulator(state)
  const url = await simulator.start()
  return {
    source: { type: 'opsera', name: 'opsera-demo', url, 'token-env': DEMO_TOKEN_ENV },
    env: { [DEMO_TOKEN_ENV]: TOOL_TOKEN },
    day2() {
      const user = state.users.find((u) => u.siteRole === 'Power User')!
      const token = createToken(state, user, 'api')
      return [`Opsera: ${user.email} created personal access token ${token.token_id} with the api scope and used it`]
    },
    stop: () => simulator.stop()
  }
}
