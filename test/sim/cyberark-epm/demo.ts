/**
 * The CyberArk EPM account of the offline demo: three sets with a few days of
 * administrator history, and a day 2 on which the account administrator adds
 * a new Set Admin to the Servers set.
 */
import type { SimulatedSystem } from '../system.js'
import { addSetAdministrator } from './changes.js'
import { ACCOUNT_ROLE, API_PASSWORD, API_USER, generateEpm, SMALL } from './data.js'
import { EpmSimulator } from './server.js'

export const DEMO_SEED = 7
export const DEMO_USERNAME_ENV = 'EPM_DEMO_USERNAME'
export const DEMO_PASSWORD_ENV = 'EPM_DEMO_PASSWORD'
export const NEWCOMER = 'nina.newadmin@example.com'

export async function startCyberArkEpmDemo(): Promise<SimulatedSystem> {
  const state = generateEpm(DEMO_SEED, SMALL)
  const simulator = new EpmSimulator(state)
  const url = await simulator.start()
  return {
    source: {
      type: 'cyberark-epm',
      name: 'epm-demo',
      url,
      'username-env': DEMO_USERNAME_ENV,
      'password-env': DEMO_PASSWORD_ENV,
      // Day 2 starts right after day 1, inside EPM's per-second budget: wait 2 s rather than 10 s if throttled.
      'throttle-wait-seconds': 2
    },
    env: { [DEMO_USERNAME_ENV]: API_USER, [DEMO_PASSWORD_ENV]: API_PASSWORD },
    day2() {
      const servers = state.sets.find((s) => s.Name === 'Servers')!
      // A Set Admin of the set adds the newcomer; failing one, an account administrator does.
      const current = (a: (typeof state.assignments)[number]) => a.roles[a.roles.length - 1]!.role
      const actor = (
        state.assignments.find((a) => a.scope === servers.Id && current(a) === 'Set Admin') ??
        state.assignments.find((a) => a.scope === 'account' && current(a) === ACCOUNT_ROLE)!
      ).admin
      addSetAdministrator(state, actor, servers.Id, NEWCOMER, 'Set Admin')
      return [`CyberArk EPM: ${actor} added ${NEWCOMER} as Set Admin of the Servers set`]
    },
    stop: () => simulator.stop()
  }
}
