/**
 * The typical mistakes of a new user, made through the real CLI against
 * loopback servers: each ends with the exit status, one line that names the
 * setting to fix, and no secret or HTML in stdout, stderr, the reports or the
 * snapshot folder.
 */
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { closedPort, startElsewhere } from '../sim/elsewhere.js'
import { ADMIN_KEY, generateOctopus } from '../sim/octopus/data.js'
import { octopusServer } from '../sim/octopus/server.js'
import { SimServer } from '../sim/server.js'
import { financeDay1, readTree, workspace, type Workspace } from '../pipeline/workspace.js'
import { cli, cliWithEnv, git, type CliResult } from './cli.js'

const TOKEN = 'ghp_R2d2C3poBb8Luke1Leia0Han5Chewie9YodaX'
const ENV = { OCTOPUS_API_KEY: ADMIN_KEY, GH_TOKEN: TOKEN }
const octopusAt = (url: string) => ({ type: 'octopus', name: 'prod', url, 'api-key-env': 'OCTOPUS_API_KEY' })
const githubAt = (url: string, name = 'acme') => ({
  type: 'github',
  name,
  organization: 'acme',
  'token-env': 'GH_TOKEN',
  'api-url': url
})

describe('the CLI on a new user’s mistakes', () => {
  let ws: Workspace
  const stops: Array<() => Promise<void>> = []
  beforeEach(async () => {
    ws = await workspace()
  })
  afterEach(async () => {
    await Promise.all(stops.splice(0).map((stop) => stop()))
    await ws.remove()
  })

  const config = (sources: unknown[]) => ws.write('.github/permission-snapshot.yml', yaml.dump({ sources }))
  const run = (...args: string[]) => cliWithEnv(ws.dir, ENV, 'run', ...args)
  /** stdout, stderr, and every file the run left in the workspace (reports, snapshot); not the config itself. */
  const everything = async (result: CliResult) => {
    const files = [...(await readTree(ws.dir)).entries()]
      .filter(([file]) => file !== '.github/permission-snapshot.yml')
      .map(([file, text]) => `${file}\n${text}`)
    return [result.stdout, result.stderr, ...files].join('\n')
  }
  const clean = async (result: CliResult) => {
    const all = await everything(result)
    for (const secret of [TOKEN, ADMIN_KEY]) expect(all).not.toContain(secret)
    expect(all).not.toMatch(/<(html|head|title|body|script|form)\b/i)
  }
  const report = (name: string) => readFile(path.join(ws.dir, name), 'utf8')

  it('a token pasted into token-env: exit 2, one line naming the key, the token printed nowhere', async () => {
    await config([{ ...githubAt(await closedPort()), 'token-env': TOKEN }])
    const result = await run('--report', 'out/report.md', '--json', 'out/report.json')
    expect(result).toEqual({
      code: 2,
      stdout: '',
      stderr:
        "permission-snapshot: .github/permission-snapshot.yml: sources[0] (github 'acme').token-env: must name an environment variable; the value looks like a token and was not printed\n"
    })
    await clean(result)
    expect([...(await readTree(ws.dir)).keys()]).toEqual(['.github/permission-snapshot.yml'])
  })

  it('nobody listening at url or api-url: exit 1 after one retry each, the message names the setting', async () => {
    const [octopus, github] = [await closedPort(), await closedPort()]
    await config([octopusAt(octopus), githubAt(github)])
    const result = await run('--report', 'report.md', '--json', 'report.json')
    expect(result.code).toBe(1)
    const octopusLine = `Octopus Deploy: cannot reach ${octopus} (connection refused): check \`url\``
    const githubLine = `GitHub source 'acme': cannot reach ${github} (connection refused): check \`api-url\``
    expect(result.stderr).toContain(`warning: [octopus/prod] failed: ${octopusLine}\n`)
    expect(result.stderr).toContain(`warning: [github/acme] failed: ${githubLine}`)
    // Before: five retries per request, 20 retry lines for Octopus alone. Now one retry per request in flight.
    expect(result.stderr.split('\n').filter((l) => / retry \d/.test(l)).length).toBeLessThanOrEqual(4)
    expect(result.stderr).not.toMatch(/retry 2\//)
    // The Markdown report escapes the backticks.
    for (const text of [result.stdout, (await report('report.md')).replace(/\\`/g, '`'), await report('report.json')]) {
      expect(text).toContain('check `url`')
      expect(text).toContain('check `api-url`')
    }
    await clean(result)
  })

  it('a sign-in page or another server where the API should be: no retry of a 200, the title quoted, no HTML', async () => {
    const page =
      '<!DOCTYPE html><html><head><title>Contoso Single Sign-On</title><script>track()</script></head>' +
      '<body><form method="post"><input name="password"></form></body></html>'
    const proxy = new SimServer()
    proxy.inject({ path: '/', status: 200, text: page, headers: { 'content-type': 'text/html' }, times: Infinity })
    const other = new SimServer()
    await Promise.all([proxy.start(), other.start()])
    stops.push(
      () => proxy.stop(),
      () => other.stop()
    )
    await config([octopusAt(proxy.url), githubAt(proxy.url), githubAt(other.url, 'acme-other')])
    const result = await run('--report', 'report.md', '--json', 'report.json')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      /\[octopus\/prod\] failed: Octopus Deploy: GET \/api\/\S+ answered 200 with an HTML page titled "Contoso Single Sign-On": check `url`/
    )
    expect(result.stderr).toContain(
      `[github/acme] failed: GitHub source 'acme': GET /orgs/acme answered 200 with an HTML page titled "Contoso Single Sign-On": check \`api-url\``
    )
    // Another server's JSON 404 is not GitHub's: the URL is blamed, not the token.
    expect(result.stderr).toContain(
      "[github/acme-other] failed: GitHub source 'acme-other': GET /orgs/acme answered 404 with none of the headers a GitHub API sends (x-github-request-id): check `api-url`"
    )
    expect(result.stderr).not.toMatch(/acme-other.*(token|permission)/)
    const paths = proxy.requests.map((r) => r.path)
    expect(new Set(paths).size).toBe(paths.length)
    expect((await report('report.md')).match(/Contoso Single Sign-On/g)?.length).toBeGreaterThanOrEqual(2)
    await clean(result)
  })

  it('a redirect to another host: exit 1 naming both origins and url, the key never sent there', async () => {
    const server = octopusServer(generateOctopus(3))
    const url = await server.start()
    const elsewhere = await startElsewhere()
    stops.push(() => server.stop(), elsewhere.stop)
    server.inject({ path: '/api/', status: 307, headers: { location: `${elsewhere.url}/api/` }, times: Infinity })
    await config([octopusAt(url)])
    const result = await run('--report', 'report.md')
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(
      new RegExp(`was redirected from ${url} to ${elsewhere.url}; credentials are only sent to ${url}: check \`url\``)
    )
    expect(elsewhere.received).toEqual([])
    await clean(result)
  })

  it('paths and arguments are checked before any request: exit 2 and one line, no help', async () => {
    const server = octopusServer(generateOctopus(3))
    const url = await server.start()
    stops.push(() => server.stop())
    await config([octopusAt(url)])
    await ws.write('snapshots.yml', 'not a folder\n')
    await ws.write('reports/.keep', '')
    const results = await Promise.all([
      run('--out', 'snapshots.yml'),
      run('--report', 'reports'),
      run('--json', 'snapshots.yml/report.json'),
      run('--json', '/sys/permission-snapshot-report.json'),
      run('--report', '-', '--json', '-')
    ])
    expect(results.map((r) => [r.code, r.stdout, r.stderr])).toEqual([
      [2, '', 'permission-snapshot run: --out snapshots.yml is a file; --out names the snapshot folder\n'],
      [
        2,
        '',
        'permission-snapshot run: --report reports is a folder; --report names the file to write (e.g. report.md)\n'
      ],
      [2, '', 'permission-snapshot run: --json snapshots.yml/report.json: snapshots.yml is a file, not a folder\n'],
      [
        2,
        '',
        'permission-snapshot run: --json /sys/permission-snapshot-report.json: cannot be written here (EACCES); choose a writable path\n'
      ],
      [2, '', 'permission-snapshot run: --report and --json cannot both write to stdout\n']
    ])
    expect(server.requests).toEqual([])

    // diff: a folder at neither revision, a revision that does not exist.
    await git(ws.dir, 'init', '--quiet')
    await ws.writeExport('finance', financeDay1())
    await config([{ type: 'file', name: 'finance', path: 'exports/finance.yaml' }])
    // `--json -` puts the JSON report, and only it, on stdout.
    const piped = await run('--json', '-')
    expect(piped.code).toBe(0)
    expect(JSON.parse(piped.stdout)).toMatchObject({ summary: { sources: 1, baseline: 1 } })
    await git(ws.dir, 'add', '-A')
    await git(ws.dir, 'commit', '--quiet', '-m', 'day 1')
    await git(ws.dir, 'commit', '--quiet', '--allow-empty', '-m', 'day 2')
    const [wrongDir, wrongRevision, rightDir] = await Promise.all([
      cli(ws.dir, 'diff', '--dir', 'snapshot'),
      cli(ws.dir, 'diff', '--from', 'nope'),
      cli(ws.dir, 'diff')
    ])
    expect(wrongDir).toEqual({
      code: 2,
      stdout: '',
      stderr:
        'permission-snapshot diff: --dir snapshot: no such folder at HEAD~1 or at HEAD; name the snapshot folder (--dir)\n'
    })
    expect(wrongRevision.code).toBe(2)
    expect(wrongRevision.stderr.trimEnd().split('\n')).toHaveLength(1)
    expect(wrongRevision.stderr).toMatch(/^permission-snapshot diff: cannot read 'snapshots' at git revision 'nope': /)
    expect(rightDir).toMatchObject({ code: 0, stderr: '' })
  })
})
