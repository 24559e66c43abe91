import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

/**
 * `npm run local-action` keeps working: @github/local-action stubs
 * @actions/core 2.x by replacing its `lib/core.js`, which @actions/core 3 still
 * has with the same functions. Runs local-action-sim.ts, which points
 * local-action at the GitHub simulator (about 10 s: local-action runs
 * `npm ls` and tsx itself).
 */
describe('@github/local-action', () => {
  it('runs src/action/main.ts against the simulator and opens the pull request', async () => {
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [join(ROOT, 'test', 'action', 'local-action-sim.ts')],
      { cwd: ROOT, timeout: 60_000, maxBuffer: 1 << 24 }
    )
    expect(stdout).toContain('::set-output name=pull-request-operation::created')
    expect(stdout).toContain('Pull request #1 (open) Permission changes')
    expect(stdout).toContain('**github/acme**: baseline')
    expect(stdout).not.toContain('ghs_local_action_installation_token')
    expect(stdout).not.toContain('ghp_simulated_owner_token')
  }, 60_000)
})
