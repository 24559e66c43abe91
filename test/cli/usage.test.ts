import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runCli } from '../../src/cli/main.js'
import { HELP } from '../../src/cli/usage.js'

/**
 * Help and usage errors in-process: they neither read files nor depend on the
 * working directory, and a spawned CLI costs a second each (cli.test.ts runs the
 * real entry point for the exit status).
 */
describe('CLI help and usage errors', () => {
  let stdout: string
  let stderr: string
  beforeEach(() => {
    stdout = ''
    stderr = ''
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => ((stdout += String(chunk)), true))
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => ((stderr += String(chunk)), true))
  })
  afterEach(() => vi.restoreAllMocks())

  const run = async (...argv: string[]) => ({ code: await runCli(argv), stdout, stderr })

  it('prints the overview: exit 0 when asked for, 2 without a command', async () => {
    expect(await run('--help')).toEqual({ code: 0, stdout: HELP.main, stderr: '' })
    stdout = ''
    expect(await run('help')).toEqual({ code: 0, stdout: HELP.main, stderr: '' })
    stdout = ''
    expect(await run()).toEqual({ code: 2, stdout: HELP.main, stderr: '' })
    // Every command is listed, one a line, with what it does.
    for (const command of ['init', 'run', 'diff', 'show', 'publish-pages', 'demo'])
      expect(HELP.main).toMatch(new RegExp(`^  ${command} +\\w`, 'm'))
  })

  it.each([
    ['run', '--help'],
    ['diff', '-h'],
    ['demo', '--help']
  ])('prints the help of %s (%s)', async (command, flag) => {
    expect(await run(command, flag)).toEqual({ code: 0, stdout: HELP[command], stderr: '' })
    expect(HELP[command]).toMatch(new RegExp(`^Usage: permission-snapshot ${command}`))
  })

  it('exits 2 on an unknown option, with the command’s help', async () => {
    const result = await run('run', '--bogus')
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^permission-snapshot run: Unknown option '--bogus'/)
    expect(result.stderr.endsWith(`\n\n${HELP.run}`)).toBe(true)
  })

  it('exits 2 on a bad --format before reading anything', async () => {
    expect(await run('diff', '--format', 'xml')).toEqual({
      code: 2,
      stdout: '',
      stderr: `permission-snapshot diff: --format must be one of text, markdown, json\n\n${HELP.diff}`
    })
  })
})
