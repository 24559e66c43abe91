/**
 * A seeded Opsera account: users with site roles, personal access tokens,
 * and the two audit logs they produce. The ground truth the tests compare
 * with is `tokens` (owner, scope, first use) and `adminActivity` (who first
 * performed which administrative action type when); the log records are
 * generated from them.
 */
import { Random } from '../random.js'

export const DAY_MS = 86_400_000

export type SiteRole = 'Site Administrator' | 'Power User' | 'User'

export interface SimUser {
  _id: string
  email: string
  siteRole: SiteRole
}

export interface SimToken {
  token_id: string
  user_id: string
  scope: string
  /** The bearer value (a stand-in for the JWT). */
  secret: string
  expired?: boolean
  /** Time of the token's first logged use. */
  firstUse: number
}

/** Wiki shape of a user-actions record. */
export interface ActionRecord {
  _id: string
  user_id: string
  user_email: string
  type: string
  action: string
  target_id: string
  account: string
  createdAt: string
  updatedAt: string
  __v: number
}

/** Wiki shape of a token-use record. */
export interface TokenUseRecord {
  _id: string
  token_id: string
  scope: string
  target: string
  user_id: string
  account: string
  createdAt: string
  updatedAt: string
  __v: number
}

export interface AdminActivity {
  user_id: string
  type: string
  first: number
}

export interface OpseraState {
  account: string
  users: SimUser[]
  tokens: SimToken[]
  actions: ActionRecord[]
  tokenUses: TokenUseRecord[]
  adminActivity: AdminActivity[]
  /** Days the logs keep (not documented: 7 unless a test says otherwise, the strictest reading). */
  retentionDays: number
  /** Days an answer without `date=` covers (documented: the last 7). */
  defaultWindowDays: number
  /** How `date=` is read: that UTC day only, or everything since it (undocumented; both are simulated). */
  dateMeans: 'day' | 'since'
  now: () => number
  random: Random
  counter: number
}

export interface OpseraSize {
  users: number
  tokens: number
  actionsPerDay: number
  tokenUsesPerDay: number
  days: number
}

export const SMALL: OpseraSize = { users: 8, tokens: 4, actionsPerDay: 30, tokenUsesPerDay: 20, days: 6 }

export const ACCOUNT = 'org-acme-acc0'
/** The tool's own token: a Site Administrator's read-only token. */
export const TOOL_TOKEN = 'opsera-sim-token-0123456789abcdef'
export const TOOL_SCOPE = 'api-readonly'
export const ADMIN_TYPES = ['user', 'group', 'site_role', 'tool_registry']
const EVERYDAY_TYPES: Array<[string, string[]]> = [
  ['pipeline', ['create', 'update', 'run', 'delete']],
  ['login', ['login']],
  ['task', ['create', 'update']]
]
const ADMIN_ACTIONS = ['create', 'update', 'delete']
const NAMES = ['ana', 'ben', 'cleo', 'dan', 'eva', 'finn', 'gus', 'hana', 'ines', 'jon', 'kai', 'lea']

/** A MongoDB-style ObjectId: creation seconds, then a counter. */
export function objectId(state: OpseraState, time: number): string {
  return (
    Math.floor(time / 1000)
      .toString(16)
      .padStart(8, '0') + (state.counter++).toString(16).padStart(16, '0')
  )
}

export function logAction(
  state: OpseraState,
  user: SimUser,
  type: string,
  action: string,
  targetId: string,
  time: number
): ActionRecord {
  const at = new Date(time).toISOString()
  const record: ActionRecord = {
    _id: objectId(state, time),
    user_id: user._id,
    user_email: user.email,
    type,
    action,
    target_id: targetId,
    account: state.account,
    createdAt: at,
    updatedAt: at,
    __v: 0
  }
  state.actions.push(record)
  return record
}

export function logTokenUse(state: OpseraState, token: SimToken, target: string, time: number): TokenUseRecord {
  const at = new Date(time).toISOString()
  const record: TokenUseRecord = {
    _id: objectId(state, time),
    token_id: token.token_id,
    scope: token.scope,
    target,
    user_id: token.user_id,
    account: state.account,
    createdAt: at,
    updatedAt: at,
    __v: 0
  }
  state.tokenUses.push(record)
  return record
}

export function generateOpsera(seed: number, size: OpseraSize = SMALL, now = Date.now()): OpseraState {
  const random = new Random(seed)
  const state: OpseraState = {
    account: ACCOUNT,
    users: [],
    tokens: [],
    actions: [],
    tokenUses: [],
    adminActivity: [],
    retentionDays: 7,
    defaultWindowDays: 7,
    dateMeans: 'day',
    now: () => Date.now(),
    random,
    counter: random.int(1, 1_000_000)
  }
  const hex = (n: number) => Array.from({ length: n }, () => random.int(0, 15).toString(16)).join('')
  for (let i = 0; i < size.users; i++) {
    const name = i < NAMES.length ? NAMES[i]! : `user${i}`
    const siteRole: SiteRole =
      i === 0 ? 'Site Administrator' : i < 3 ? 'Power User' : random.pick(['User', 'User', 'Power User'])
    state.users.push({ _id: hex(24), email: `${name}@acme.example`, siteRole })
  }
  const start = now - size.days * DAY_MS
  const within = () => random.int(start + 60_000, now - 60_000)
  // The tool's token, used by earlier daily runs.
  const admin = state.users[0]!
  const tool: SimToken = {
    token_id: hex(24),
    user_id: admin._id,
    scope: TOOL_SCOPE,
    secret: TOOL_TOKEN,
    firstUse: start + DAY_MS / 2
  }
  state.tokens.push(tool)
  for (let i = 0; i < size.tokens; i++) {
    const owner = random.pick(state.users)
    state.tokens.push({
      token_id: hex(24),
      user_id: owner._id,
      scope: random.pick(['api', 'api', TOOL_SCOPE]),
      secret: `opsera-sim-${hex(32)}`,
      firstUse: within()
    })
  }
  const uses: Array<{ token: SimToken; time: number; target: string }> = []
  for (const token of state.tokens) uses.push({ token, time: token.firstUse, target: '/v1/pipelines' })
  for (let day = 0; day < size.days; day++) {
    for (const route of ['/v1/logs/user/actions', '/v1/logs/user/tokens'])
      uses.push({ token: tool, time: tool.firstUse + day * DAY_MS + 1_000, target: route })
  }
  for (let i = 0; i < size.tokenUsesPerDay * size.days; i++) {
    const token = random.pick(state.tokens)
    uses.push({
      token,
      time: random.int(token.firstUse, now - 60_000),
      target: random.pick(['/v1/pipelines', '/v1/tools', '/v1/tasks'])
    })
  }
  for (const use of uses.sort((a, b) => a.time - b.time)) logTokenUse(state, use.token, use.target, use.time)

  const actions: Array<{ user: SimUser; type: string; action: string; time: number }> = []
  const administrators = state.users.filter(
    (u) => u.siteRole === 'Site Administrator' || (u.siteRole === 'Power User' && random.chance(0.5))
  )
  for (const user of administrators) {
    for (const type of random.sample(ADMIN_TYPES, random.int(1, 2))) {
      const first = within()
      state.adminActivity.push({ user_id: user._id, type, first })
      actions.push({ user, type, action: random.pick(ADMIN_ACTIONS), time: first })
      for (let k = 0; k < 3; k++)
        actions.push({ user, type, action: random.pick(ADMIN_ACTIONS), time: random.int(first, now - 60_000) })
    }
  }
  // Everyone logs in early on, so the actions log names every user.
  for (const user of state.users) actions.push({ user, type: 'login', action: 'login', time: start + 30_000 })
  for (let i = 0; i < size.actionsPerDay * size.days; i++) {
    const [type, verbs] = random.pick(EVERYDAY_TYPES)
    actions.push({ user: random.pick(state.users), type, action: random.pick(verbs), time: within() })
  }
  for (const a of actions.sort((x, y) => x.time - y.time)) logAction(state, a.user, a.type, a.action, hex(24), a.time)
  return state
}
