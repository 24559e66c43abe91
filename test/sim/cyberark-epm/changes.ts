/**
 * Changes to the simulated account that write the audit rows EPM would: who
 * made the change, in which set, and the administrator's own next action,
 * which is how the trail reveals them.
 */
import { type Assignment, type EpmState, writeRow } from './data.js'

/**
 * The role `actor` acts with in the set: theirs there, or their account role,
 * in which case acting there makes the trail show them in the set from now on.
 */
function roleOf(state: EpmState, actor: string, setId: string, time: number): string {
  const held = state.assignments.find((a) => a.admin === actor && a.scope === setId)
  if (held) {
    held.lastActive = time
    return held.roles[held.roles.length - 1]!.role
  }
  const account = state.assignments.find((a) => a.admin === actor && a.scope === 'account')
  if (!account) throw new Error(`simulator: ${actor} administers neither set ${setId} nor the account`)
  const role = account.roles[account.roles.length - 1]!.role
  state.assignments.push({
    scope: setId,
    admin: actor,
    roles: [{ role, from: time }],
    firstActive: time,
    lastActive: time
  })
  return role
}

function record(state: EpmState, actor: string, assignment: Assignment, description: string, action: string): void {
  const now = state.now()
  const scope = assignment.scope
  const role = assignment.roles[assignment.roles.length - 1]!.role
  const actorRole = roleOf(state, actor, scope, now - 1_000)
  writeRow(
    state,
    scope,
    { Administrator: actor, Role: actorRole, Feature: 'Set Administration', Description: description },
    now - 1_000
  )
  writeRow(state, scope, { Administrator: assignment.admin, Role: role, Feature: 'Policies', Description: action }, now)
  assignment.lastActive = now
}

/** `actor` adds `admin` to the set with `role`; the newcomer then changes a policy there. */
export function addSetAdministrator(
  state: EpmState,
  actor: string,
  setId: string,
  admin: string,
  role: string
): Assignment {
  const now = state.now()
  const assignment: Assignment = {
    scope: setId,
    admin,
    roles: [{ role, from: now }],
    firstActive: now,
    lastActive: now
  }
  record(
    state,
    actor,
    assignment,
    `Added administrator ${admin} with role ${role}`,
    'Updated policy "Elevate installers"'
  )
  state.assignments.push(assignment)
  return assignment
}

/** `actor` changes an administrator's role in the set; the administrator's next row carries the new role. */
export function changeSetRole(state: EpmState, actor: string, assignment: Assignment, role: string): void {
  assignment.roles.push({ role, from: state.now() })
  record(
    state,
    actor,
    assignment,
    `Changed the role of ${assignment.admin} to ${role}`,
    'Updated policy "Allow drivers"'
  )
}

/**
 * The API user loses its role in a set: EPM stops listing the set to it and
 * refuses its audit, while the set, its administrators and their trail stay.
 * Nothing is written to any trail the user can still read.
 */
export function loseSetRole(state: EpmState, user: string, setId: string): void {
  const account = state.users.get(user)
  if (!account) throw new Error(`simulator: no API user ${user}`)
  account.sets = (account.sets ?? state.sets.map((s) => s.Id)).filter((id) => id !== setId)
}
