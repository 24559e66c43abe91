/**
 * A seeded CyberArk EPM account: sets, the administrators of each set (and
 * of the account) with their role history, and the administrator audit rows
 * they produced. `assignments` is the ground truth of who administers what;
 * the audit rows are generated from it so that each assignment shows in the
 * trail from its first row (`firstActive`, with the first role) to its last
 * row (`lastActive`, with the final role).
 */
import { Random } from '../random.js'

export const DAY_MS = 86_400_000

/** Row fields as EPM's AdminAudit answers them (reference §3). */
export interface AuditRow {
  SetName: string
  EventTime: string
  PermissionDescription: string
  Description: string
  Feature: string
  LoggedAt: string
  LoggedFrom: string
  Administrator: string
  InternalSessionId: number
  Role: string
}

export interface SimSet {
  Id: string
  Name: string
}

export interface Assignment {
  /** A set id, or `account` for the account administrators. */
  scope: string
  admin: string
  /** Role history, oldest first; the last entry is the current role. */
  roles: Array<{ role: string; from: number }>
  firstActive: number
  lastActive: number
}

export interface ApiUser {
  password: string
  /** Logon answers 200 with IsPasswordExpired: true. */
  expired?: boolean
  /** Set ids the user may view; all when absent. */
  sets?: string[]
  accountAdmin: boolean
}

export interface EpmState {
  users: Map<string, ApiUser>
  /** Session token → user name. */
  tokens: Map<string, string>
  sets: SimSet[]
  /** Audit rows per set id, in the order they were written. */
  setRows: Map<string, AuditRow[]>
  accountRows: AuditRow[]
  assignments: Assignment[]
  /** The simulator's clock (ms). */
  now: () => number
  random: Random
  nextSession: number
}

export interface EpmSize {
  sets: number
  adminsPerSet: number
  accountAdmins: number
  /** Audit rows per day across the account (besides each assignment's first and last row). */
  rowsPerDay: number
  /** How far back the history goes. */
  days: number
  /** Share of assignments whose role changed once. */
  roleChanges: number
}

export const SMALL: EpmSize = { sets: 3, adminsPerSet: 3, accountAdmins: 1, rowsPerDay: 20, days: 5, roleChanges: 0.3 }

export const API_USER = 'svc-snapshot@example.com'
export const API_PASSWORD = 'Epm-Sim-Password-1!'
/** The role EPM shows on the API user's own `Public API` rows (as in the captured sample). */
export const API_ROLE = 'SetUser'

export const SET_ROLES = ['Set Admin', 'Power User', 'Help Desk', 'Audit']
export const ACCOUNT_ROLE = 'Account Administrator'
const FEATURES = ['Policies', 'Computers', 'Application Groups', 'Set Administration', 'Agent Configuration']
const SET_NAMES = ['Workstations', 'Servers', 'Developers', 'Finance', 'Kiosks', 'Contractors', 'Labs', 'Executives']
const PEOPLE = ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'oscar']

/** EPM trims trailing zeros of the fraction (`2023-12-12T07:45:27.14Z`). */
export function epmTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.?0+Z$/, 'Z')
}

export function roleAt(assignment: Assignment, time: number): string {
  let role = assignment.roles[0]!.role
  for (const step of assignment.roles) if (step.from <= time) role = step.role
  return role
}

export function setName(state: EpmState, scope: string): string {
  return state.sets.find((s) => s.Id === scope)?.Name ?? 'Account'
}

/** Appends an audit row in the set (or the account) at `time`. */
export function writeRow(
  state: EpmState,
  scope: string,
  row: Omit<
    AuditRow,
    'SetName' | 'EventTime' | 'LoggedAt' | 'LoggedFrom' | 'InternalSessionId' | 'PermissionDescription'
  > &
    Partial<AuditRow>,
  time: number
): AuditRow {
  const full: AuditRow = {
    SetName: setName(state, scope),
    EventTime: epmTime(time),
    PermissionDescription: 'None',
    LoggedAt: epmTime(time - state.random.int(1, 3_600) * 1000),
    LoggedFrom: `10.${state.random.int(0, 255)}.${state.random.int(0, 255)}.${state.random.int(1, 254)}`,
    InternalSessionId: state.nextSession++,
    ...row
  }
  if (scope === 'account') state.accountRows.push(full)
  else {
    const rows = state.setRows.get(scope)
    if (!rows) throw new Error(`simulator: no set ${scope}`)
    rows.push(full)
  }
  return full
}

function activity(random: Random, admin: string): Pick<AuditRow, 'Feature' | 'Description'> {
  const feature = random.pick(FEATURES)
  return {
    Feature: feature,
    Description: `${feature}: ${random.pick(['Created', 'Updated', 'Deleted'])} item ${random.int(1, 999)} (by ${admin})`
  }
}

export function generateEpm(seed: number, size: EpmSize = SMALL, now = Date.now()): EpmState {
  const random = new Random(seed)
  const state: EpmState = {
    users: new Map([[API_USER, { password: API_PASSWORD, accountAdmin: true }]]),
    tokens: new Map(),
    sets: [],
    setRows: new Map(),
    accountRows: [],
    assignments: [],
    now: () => Date.now(),
    random,
    nextSession: 200_000
  }
  const start = now - size.days * DAY_MS
  for (let i = 0; i < size.sets; i++) {
    const id = [8, 4, 4, 4, 12]
      .map((n) => Array.from({ length: n }, () => random.int(0, 15).toString(16)).join(''))
      .join('-')
    const name = i < SET_NAMES.length ? SET_NAMES[i]! : `Set ${i + 1}`
    state.sets.push({ Id: id, Name: name })
    state.setRows.set(id, [])
  }
  const pool = Array.from({ length: Math.max(PEOPLE.length, size.adminsPerSet * 2) }, (_, i) =>
    i < PEOPLE.length ? `${PEOPLE[i]}@example.com` : `admin${i}@example.com`
  )
  const assign = (scope: string, admin: string, roles: string[]) => {
    // Everything happens strictly inside the history, so a window from `start` sees every assignment.
    const firstActive = start + random.int(60, Math.floor((size.days * DAY_MS) / 2_000)) * 1000
    const lastActive = now - random.int(60, Math.floor((size.days * DAY_MS) / 4_000)) * 1000
    const history = [{ role: random.pick(roles), from: firstActive }]
    if (random.chance(size.roleChanges)) {
      const other = roles.filter((r) => r !== history[0]!.role)
      if (other.length > 0)
        history.push({ role: random.pick(other), from: random.int(firstActive + 1, lastActive - 1) })
    }
    state.assignments.push({ scope, admin, roles: history, firstActive, lastActive })
  }
  for (const set of state.sets) {
    for (const admin of random.sample(pool, size.adminsPerSet)) assign(set.Id, admin, SET_ROLES)
  }
  for (const admin of random.sample(pool, size.accountAdmins)) assign('account', admin, [ACCOUNT_ROLE])

  const rows: Array<{ assignment: Assignment; time: number }> = []
  for (const a of state.assignments)
    rows.push({ assignment: a, time: a.firstActive }, { assignment: a, time: a.lastActive })
  const filler = size.rowsPerDay * size.days
  for (let i = 0; i < filler; i++) {
    const a = random.pick(state.assignments)
    rows.push({ assignment: a, time: random.int(a.firstActive, a.lastActive) })
  }
  // Earlier runs of the tool read the audit: their rows are in the trail too.
  for (const set of state.sets) {
    for (let day = 1; day < size.days; day++) rows.push({ assignment: apiRead(set.Id), time: now - day * DAY_MS })
  }
  rows.sort((x, y) => x.time - y.time)
  for (const { assignment, time } of rows) {
    const own = assignment.admin === API_USER
    writeRow(
      state,
      assignment.scope,
      own
        ? {
            Administrator: API_USER,
            Role: API_ROLE,
            Feature: 'Public API',
            Description: apiDescription(assignment.scope, 0, 500)
          }
        : { Administrator: assignment.admin, Role: roleAt(assignment, time), ...activity(random, assignment.admin) },
      time
    )
  }
  return state
}

/** A pseudo-assignment for the tool's own reads; never part of `state.assignments`. */
function apiRead(scope: string): Assignment {
  return { scope, admin: API_USER, roles: [{ role: API_ROLE, from: 0 }], firstActive: 0, lastActive: 0 }
}

/** The Description EPM writes for an admin-audit read (shape of the captured sample). */
export function apiDescription(scope: string, offset: number, limit: number, dateFrom = '', dateTo = ''): string {
  const path = scope === 'account' ? '/API/Account/AdminAudit' : `/API/Sets/${scope}/AdminAudit`
  return `API Get Admin audit data ${path} GET DateFrom: ${dateFrom}, DateTo: ${dateTo}, offset: ${offset}, limit: ${limit}`
}
