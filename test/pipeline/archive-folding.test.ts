/**
 * Sources whose state is what their audit trail reveals (CyberArk EPM,
 * Opsera) fold each day's events onto the state the previous run stored,
 * instead of reading the whole archive again. Day after day, against their
 * simulators, the folded state must be byte for byte the state deriving from
 * the whole archive gives: each day is also run on a copy of the folder
 * without its state files, which the source can only derive from the archive.
 * The days include what folding could get wrong: late rows older than the
 * newest stored one, a role that changes, a spelling that differs in case, a
 * failed and a held run in between, and events carried in from elsewhere.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'
import { runSnapshot } from '../../src/pipeline/run.js'
import { appendEvents } from '../../src/store/disk.js'
import { addSetAdministrator, changeSetRole, loseSetRole } from '../sim/cyberark-epm/changes.js'
import { API_PASSWORD, API_USER, generateEpm, writeRow } from '../sim/cyberark-epm/data.js'
import { EpmSimulator } from '../sim/cyberark-epm/server.js'
import { administer } from '../sim/opsera/changes.js'
import { generateOpsera, logAction, logTokenUse, TOOL_TOKEN } from '../sim/opsera/data.js'
import { OpseraSimulator } from '../sim/opsera/server.js'
import { captureLog } from '../sources/run-source.js'
import { readTree, sourceFiles, workspace, type Workspace } from './workspace.js'

const DAY = 86_400_000
const HOUR = 3_600_000
/** A fixed midnight, so every run's window and day files are the same on every run of the test. */
const END = Date.parse('2026-03-20T00:00:00Z')
const FOLDED = 'the window folded onto the previous state'
const WHOLE = 'derived from the whole archive'

describe('a state folded day by day equals the state derived from the whole archive', () => {
  let ws: Workspace
  let root: string
  const stops: Array<() => Promise<void>> = []
  beforeEach(async () => {
    ws = await workspace()
    root = path.join(ws.dir, 'snapshots')
  })
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop()
    await ws.remove()
  })

  /** The first run: no state yet, so the (empty) archive and the lookback window give it. */
  async function firstRun(source: Record<string, unknown>, env: Record<string, string>, now: number) {
    const config = parseConfig({ events: { 'lookback-days': 4 }, sources: [source] }, 'test.yml')
    const first = await runSnapshot({ config, root, now: new Date(now), env, log: captureLog() })
    expect(first.report.outcomes[0]!.status).toBe('ok')
  }

  /** One day: first on a copy without the state files (derived from the archive), then the real run (folded). */
  async function day(
    source: Record<string, unknown>,
    env: Record<string, string>,
    now: number,
    options: { carriedSince?: Map<string, string> } = {}
  ) {
    const config = parseConfig({ events: { 'lookback-days': 4 }, sources: [source] }, 'test.yml')
    const folder = `${source.type}/${source.name}`
    const copy = await mkdtemp(path.join(tmpdir(), 'archive-only-'))
    try {
      await cp(root, copy, { recursive: true })
      for (const entry of ['principals.yaml', 'roles.yaml', 'groups', 'scopes'])
        await rm(path.join(copy, folder, entry), { recursive: true, force: true })
      const wholeLog = captureLog()
      const whole = await runSnapshot({ config, root: copy, now: new Date(now), env, log: wholeLog })
      const foldLog = captureLog()
      const folded = await runSnapshot({ config, root, now: new Date(now), env, log: foldLog, ...options })
      expect(whole.report.outcomes[0]!.status).toBe('ok')
      expect(wholeLog.lines.join('\n')).toContain(WHOLE)
      const state = (tree: Map<string, string>) =>
        new Map([...sourceFiles(tree, folder)].filter(([file]) => !file.includes('/events/')))
      const foldedState = state(await readTree(root))
      expect(foldedState.size).toBeGreaterThan(0)
      // A held run stores nothing: only a run that stored its state can be compared.
      if (folded.report.outcomes[0]!.status === 'ok') expect(foldedState).toEqual(state(await readTree(copy)))
      return { outcome: folded.report.outcomes[0]!, log: foldLog.lines.join('\n') }
    } finally {
      await rm(copy, { recursive: true, force: true })
    }
  }

  it('CyberArk EPM: late rows, role changes, spellings, a failed and a held run, carried events', async () => {
    const state = generateEpm(
      21,
      { sets: 3, adminsPerSet: 3, accountAdmins: 1, rowsPerDay: 40, days: 9, roleChanges: 0.6 },
      END
    )
    const sim = new EpmSimulator(state)
    sim.rateLimit = undefined
    const url = await sim.start()
    stops.push(() => sim.stop())
    const source = {
      type: 'cyberark-epm',
      name: 'epm',
      url,
      'username-env': 'EPM_USER',
      'password-env': 'EPM_PASSWORD',
      'min-interval-ms': 0,
      'throttle-wait-seconds': 0.01
    }
    const env = { EPM_USER: API_USER, EPM_PASSWORD: API_PASSWORD }
    let clock = END - 5 * DAY
    state.now = () => clock
    const [servers, workstations] = state.sets
    const inSet = (setId: string) => state.assignments.find((a) => a.scope === setId && a.admin !== API_USER)!

    await firstRun(source, env, clock)

    // Day 1: a role changes; a newcomer acts late in the day.
    clock += DAY
    changeSetRole(state, inSet(servers!.Id).admin, inSet(servers!.Id), 'Audit')
    addSetAdministrator(state, inSet(servers!.Id).admin, servers!.Id, 'Nina.New@example.com', 'Help Desk')
    const day1 = await day(source, env, clock)
    expect(day1.log).toContain(FOLDED)

    // Day 2: rows written late, older than the newest row the last run stored: a row in another role
    // (the later row's role must stay) and the newcomer's first row, spelled in another case.
    const stored = clock
    writeRow(
      state,
      servers!.Id,
      { Administrator: 'nina.new@example.com', Role: 'Set Admin', Feature: 'Policies', Description: 'late' },
      stored - 30 * 60_000
    )
    writeRow(
      state,
      servers!.Id,
      { Administrator: 'NINA.NEW@example.com', Role: 'Power User', Feature: 'Policies', Description: 'late, first' },
      stored - 40 * 60_000
    )
    clock += DAY
    const day2 = await day(source, env, clock)
    expect(day2.log).toContain(FOLDED)

    // Day 3: the password is wrong, the run fails and stores nothing; day 4 folds both days.
    clock += DAY
    addSetAdministrator(state, inSet(workstations!.Id).admin, workstations!.Id, 'omar@example.com', 'Set Admin')
    const failed = await runSnapshot({
      config: parseConfig({ sources: [source] }, 'test.yml'),
      root,
      now: new Date(clock),
      env: { ...env, EPM_PASSWORD: 'wrong' },
      log: captureLog()
    })
    expect(failed.report.outcomes[0]!.status).toBe('failed')

    // Day 4: the user lost its role in a set: held back, nothing stored; day 5 it is back.
    clock += DAY
    loseSetRole(state, API_USER, workstations!.Id)
    const held = await day(source, env, clock)
    expect(held.outcome.status).toBe('held')
    state.users.get(API_USER)!.sets = undefined
    clock += 6 * HOUR
    const day5 = await day(source, env, clock)
    expect(day5.outcome.status).toBe('ok')
    expect(day5.log).toContain(FOLDED)

    // Events carried into the archive from a closed pull request, days before the window: an administrator
    // only they reveal.
    await appendEvents(root, { type: 'cyberark-epm', name: 'epm' }, [
      {
        id: 'epm-carried-0001',
        time: new Date(END - 3 * DAY + HOUR).toISOString(),
        actor: { name: 'carried@example.com' },
        action: 'Policies',
        category: 'set-admin-audit',
        target: { type: 'set', id: servers!.Id, name: servers!.Name },
        details: { role: 'Audit' }
      }
    ])
    clock += 6 * HOUR
    const withCarried = await day(source, env, clock, {
      carriedSince: new Map([['cyberark-epm/epm', new Date(END - 3 * DAY).toISOString().slice(0, 10)]])
    })
    expect(withCarried.log).toContain(FOLDED)
    expect((await readTree(root)).get('cyberark-epm/epm/principals.yaml')).toContain('name: carried@example.com')
  }, 120_000)

  it('Opsera: a new owner whose address only older days tell, admin actions, late records', async () => {
    const state = generateOpsera(22, { users: 8, tokens: 3, actionsPerDay: 20, tokenUsesPerDay: 20, days: 9 }, END)
    state.retentionDays = 30
    const sim = new OpseraSimulator(state)
    const url = await sim.start()
    stops.push(() => sim.stop())
    const source = { type: 'opsera', name: 'opsera', url, 'token-env': 'OPSERA_TOKEN' }
    const env = { OPSERA_TOKEN: TOOL_TOKEN }
    let clock = END - 5 * DAY
    state.now = () => clock
    // Someone who logs in once, now, and is not seen again until a token of theirs is used days later.
    const quiet = { _id: 'f00d'.repeat(6), email: 'quiet@acme.example', siteRole: 'User' as const }
    state.users.push(quiet)
    logAction(state, quiet, 'login', 'login', 'x'.repeat(24), clock - 2 * HOUR)

    await firstRun(source, env, clock)

    for (let d = 1; d <= 4; d++) {
      clock += DAY
      if (d === 2) administer(state, state.users[1]!, 'site_role', 'update', 'y'.repeat(24))
      if (d === 3) {
        const token = {
          token_id: 'beef'.repeat(6),
          user_id: quiet._id,
          scope: 'api',
          secret: 'opsera-sim-quiet',
          firstUse: clock - HOUR
        }
        state.tokens.push(token)
        logTokenUse(state, token, '/v1/pipelines', clock - HOUR)
        // A record of the day before, arriving late: older than the newest one stored.
        logTokenUse(state, state.tokens[1]!, '/v1/tools', clock - DAY - 30 * 60_000)
      }
      const run = await day(source, env, clock)
      expect(run.outcome.status).toBe('ok')
      expect(run.log).toContain(FOLDED)
    }
    expect((await readTree(root)).get('opsera/opsera/principals.yaml')).toContain('name: quiet@acme.example')
  }, 120_000)
})
