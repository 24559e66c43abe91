import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, massRemovalPolicy, parseConfig } from '../../src/config/load.js'
import { sourceTypes } from '../../src/sources/registry.js'

const FILE = '.github/permission-snapshot.yml'
const fileSource = { type: 'file', name: 'finance', path: 'exports/finance.yaml' }
const octopus = { type: 'octopus', name: 'prod', url: 'https://octopus.example.com', 'api-key-env': 'OCTOPUS_API_KEY' }

/** The ConfigError message `parseConfig` throws for `raw`. */
function problem(raw: unknown): string {
  try {
    parseConfig(raw, FILE)
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return (error as Error).message
  }
  throw new Error('expected a ConfigError')
}

describe('parseConfig', () => {
  it('fills the documented defaults', () => {
    const config = parseConfig({ sources: [fileSource] }, FILE)
    expect(config).toMatchObject({
      file: FILE,
      massRemovalThreshold: 0.25,
      massRemovalMinimum: 5,
      eventsLookbackDays: 7,
      eventsOverlapMinutes: 60
    })
    expect(config.sources).toHaveLength(1)
    expect(config.sources[0]).toMatchObject({
      type: 'file',
      name: 'finance',
      emails: 'keep',
      settings: { path: 'exports/finance.yaml' }
    })
    expect(config.sources[0]!.definition.type).toBe('file')
    expect(config.sources[0]!.include).toBeUndefined()
    // A partly given `events` keeps the default of the other key.
    expect(parseConfig({ events: { 'overlap-minutes': 5 }, sources: [fileSource] }, FILE)).toMatchObject({
      eventsLookbackDays: 7,
      eventsOverlapMinutes: 5
    })
  })

  it('takes every setting, the type’s own defaults, and a per-source emails override', () => {
    const config = parseConfig(
      {
        emails: 'hash',
        'emails-key-env': 'EMAILS_KEY',
        'mass-removal-threshold': 0.1,
        events: { 'lookback-days': 30, 'overlap-minutes': 0 },
        sources: [
          { ...fileSource, include: ['ledger-*'], exclude: ['sandbox-*'] },
          { ...octopus, emails: 'redact' }
        ]
      },
      FILE
    )
    expect(config).toMatchObject({
      emailsKeyEnv: 'EMAILS_KEY',
      massRemovalThreshold: 0.1,
      eventsLookbackDays: 30,
      eventsOverlapMinutes: 0
    })
    expect(config.sources[0]).toMatchObject({ emails: 'hash', include: ['ledger-*'], exclude: ['sandbox-*'] })
    expect(config.sources[1]).toMatchObject({ type: 'octopus', emails: 'redact' })
    expect(config.sources[1]!.settings).toMatchObject({ 'api-key-env': 'OCTOPUS_API_KEY', 'page-size': 1000 })
  })

  it('takes a mass-removal threshold and minimum per source, over the top level and its override', () => {
    const config = parseConfig(
      {
        'mass-removal-threshold': 0.3,
        'mass-removal-minimum': 10,
        sources: [
          { ...fileSource, 'mass-removal-threshold': 0.5 },
          { ...octopus, 'mass-removal-minimum': 2 },
          { ...fileSource, name: 'plain' }
        ]
      },
      FILE
    )
    const policy = (type: string, name: string) => massRemovalPolicy(config, { type, name })
    expect(policy('file', 'finance')).toEqual({ threshold: 0.5, minimum: 10 })
    expect(policy('octopus', 'prod')).toEqual({ threshold: 0.3, minimum: 2 })
    expect(policy('file', 'plain')).toEqual({ threshold: 0.3, minimum: 10 })
    // A folder left from a source no longer configured gets the top level's.
    expect(policy('github', 'gone')).toEqual({ threshold: 0.3, minimum: 10 })
    // The action input replaces the top level's threshold; a source's own still wins.
    config.massRemovalThreshold = 0.05
    expect(policy('file', 'plain')).toEqual({ threshold: 0.05, minimum: 10 })
    expect(policy('file', 'finance')).toEqual({ threshold: 0.5, minimum: 10 })

    expect(problem({ sources: [{ ...fileSource, 'mass-removal-threshold': 25 }] })).toMatch(
      /^\S+: sources\[0\]\.mass-removal-threshold: Too big: expected number to be <=1$/
    )
    expect(problem({ 'mass-removal-minimum': 0, sources: [fileSource] })).toMatch(/mass-removal-minimum: Too small/)
    expect(problem({ sources: [{ ...fileSource, 'mass-removal-minimum': 2.5 }] })).toContain(
      'sources[0].mass-removal-minimum'
    )
  })

  it('names the file, the key path with the source, and what is expected', () => {
    expect(problem({ sources: [fileSource, { ...octopus, url: 'octopus.example.com' }] })).toBe(
      `${FILE}: sources[1] (octopus 'prod').url: must be an http:// or https:// URL`
    )
    expect(problem({ sources: [{ ...octopus, 'api-key-env': 'OCTOPUS-KEY' }] })).toBe(
      `${FILE}: sources[0] (octopus 'prod').api-key-env: must name an environment variable (letters, digits, underscores); the value was not printed`
    )
    expect(problem({ sources: [{ ...octopus, 'page-size': 0 }] })).toMatch(
      /^\S+: sources\[0\] \(octopus 'prod'\)\.page-size: Too small: expected number to be >=1$/
    )
    expect(problem({ sources: [{ ...fileSource, name: '../finance' }] })).toBe(
      `${FILE}: sources[0].name: must be 1-64 letters, digits, dots, dashes or underscores, starting with a letter or digit`
    )
    expect(problem({ sources: [{ ...fileSource, emails: 'drop' }] })).toContain(
      `${FILE}: sources[0].emails: Invalid option: expected one of "keep"|"redact"|"hash"`
    )
  })

  it('lists every problem of one entry, one line each', () => {
    const message = problem({ 'mass-removal-threshold': 2, events: { 'lookback-days': 0 }, sources: [fileSource] })
    expect(message.split('\n')).toEqual([
      `${FILE}: mass-removal-threshold: Too big: expected number to be <=1`,
      `${FILE}: events.lookback-days: Too small: expected number to be >=1`
    ])
  })

  it.each([
    ['api-key', octopus],
    ['token', { type: 'github', name: 'acme', organization: 'acme' }],
    ['password', fileSource],
    ['client-secret', { type: 'uipath', name: 'cloud' }]
  ])('rejects an inline %s and says to name an environment variable instead', (key, entry) => {
    const secret = 'hunter2-very-secret-value'
    const message = problem({ sources: [fileSource, { ...entry, name: 'second', [key]: secret }] })
    expect(message).toBe(
      `${FILE}: sources[1].${key}: credentials are not accepted inline. Put the value in a secret, pass it to the step as an environment variable, and name that variable with '${key}-env'.`
    )
    expect(message).not.toContain(secret)
  })

  it('does not echo an inline credential given under an unknown key or in the wrong shape', () => {
    const secret = 'ghp_0123456789abcdefSECRET'
    for (const entry of [
      { ...fileSource, credentials: secret },
      { ...octopus, 'api-key-env': { value: secret } },
      { ...octopus, url: secret }
    ]) {
      expect(problem({ sources: [entry] })).not.toContain(secret)
    }
  })

  it('rejects a credential pasted into an -env key, or into a URL, without ever printing it', () => {
    const github = { type: 'github', name: 'acme', organization: 'acme' }
    const uipath = { type: 'uipath', name: 'cloud', url: 'https://cloud.uipath.com/acme/t/orchestrator_' }
    const pasted: Array<[Record<string, unknown>, string, string]> = [
      [github, 'token-env', 'ghp_R2d2C3poBb8Luke1Leia0Han5Chewie9YodaX'],
      [github, 'token-env', 'github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz'],
      [octopus, 'api-key-env', 'API-ABCDEFGHIJKLMNOPQRSTUVWXYZ0'],
      [{ ...uipath, 'client-id-env': 'UIPATH_CLIENT_ID' }, 'client-secret-env', '7f3c9a1e5b2d4f6a8c0e1b3d5f7a9c2e'],
      [{ ...uipath, 'client-secret-env': 'UIPATH_SECRET' }, 'client-id-env', 'aB3dE5gH7jK9mN1pQ3sT5']
    ]
    for (const [entry, key, secret] of pasted) {
      const message = problem({ sources: [{ ...entry, [key]: secret }] })
      expect(message).toBe(
        `${FILE}: sources[0] (${String(entry.type)} '${String(entry.name)}').${key}: must name an environment variable; the value looks like a token and was not printed`
      )
      expect(message).not.toContain(secret)
    }
    const password = 'Epm-Sim-Password-1!'
    const epm = { type: 'cyberark-epm', name: 'epm', url: 'https://login.epm.cyberark.com', 'username-env': 'EPM_USER' }
    const message = problem({ sources: [{ ...epm, 'password-env': password }] })
    expect(message).toBe(
      `${FILE}: sources[0] (cyberark-epm 'epm').password-env: must name an environment variable (letters, digits, underscores); the value was not printed`
    )
    expect(message).not.toContain(password)
    const inUrl = problem({ sources: [{ ...octopus, url: `https://admin:${password}@octopus.example.com` }] })
    expect(inUrl).toBe(
      `${FILE}: sources[0] (octopus 'prod').url: must not hold a user name or password (name them with the \`…-env\` keys); the value was not printed`
    )
    // Real variable names pass, whatever their style.
    for (const name of [
      'GH_ORG_READ_TOKEN',
      'epm_password',
      'UIPATH_CLIENT_SECRET_2024',
      'AzureKeyVaultSecret',
      '_X1'
    ]) {
      expect(() => parseConfig({ sources: [{ ...github, 'token-env': name }] }, FILE)).not.toThrow()
    }
  })

  it('refuses emails: hash or redact without a key for the fingerprints, top level or per source', () => {
    expect(problem({ emails: 'hash', sources: [fileSource] })).toBe(
      `${FILE}: emails: \`hash\` needs a key for its fingerprints: set emails-key-env to the name of the environment variable that holds one (a long random secret, e.g. from \`openssl rand -hex 32\`)`
    )
    expect(problem({ sources: [fileSource, { ...octopus, emails: 'redact' }] })).toMatch(
      new RegExp(
        `^${FILE}: sources\\[1\\] \\(octopus 'prod'\\)\\.emails: \`redact\` needs a key for its fingerprints: set emails-key-env`
      )
    )
    expect(
      problem({ emails: 'hash', 'emails-key-env': 'ghp_R2d2C3poBb8Luke1Leia0Han5Chewie9YodaX', sources: [fileSource] })
    ).toBe(
      `${FILE}: emails-key-env: must name an environment variable; the value looks like a token and was not printed`
    )
    expect(parseConfig({ emails: 'keep', sources: [fileSource] }, FILE).emailsKeyEnv).toBeUndefined()
  })

  it('lists the known types for an unknown or missing type', () => {
    const known = sourceTypes().join(', ')
    expect(known).toContain('octopus')
    expect(problem({ sources: [{ type: 'jira', name: 'x' }] })).toBe(
      `${FILE}: sources[0].type: unknown source type 'jira'; expected one of ${known}`
    )
    expect(problem({ sources: [fileSource, { name: 'x' }] })).toBe(
      `${FILE}: sources[1].type: missing; expected one of ${known}`
    )
  })

  it('rejects a name used twice within a type, and accepts it across types', () => {
    expect(problem({ sources: [fileSource, octopus, { ...fileSource, path: 'other.yaml' }] })).toBe(
      `${FILE}: sources[2].name: 'finance' is used by two file sources; names must be unique per type`
    )
    const config = parseConfig({ sources: [fileSource, { ...octopus, name: 'finance' }] }, FILE)
    expect(config.sources.map((s) => `${s.type}/${s.name}`)).toEqual(['file/finance', 'octopus/finance'])
  })

  it('rejects unknown keys, top level and in a source, naming them once', () => {
    expect(problem({ sources: [fileSource], 'mass-removal': 0.5 })).toBe(
      `${FILE}: (top level): Unrecognized key: "mass-removal"`
    )
    expect(problem({ sources: [{ ...octopus, spaces: ['Default'], page_size: 10 }] })).toBe(
      `${FILE}: sources[0] (octopus 'prod'): Unrecognized keys: "spaces", "page_size"`
    )
    expect(problem({ sources: [fileSource], events: { lookback: 3 } })).toBe(
      `${FILE}: events: Unrecognized key: "lookback"`
    )
  })

  it('rejects a config without sources, or that is not a mapping', () => {
    expect(problem({ sources: [] })).toBe(`${FILE}: sources: list at least one source`)
    expect(problem(null)).toBe(`${FILE}: sources: Invalid input: expected array, received undefined`)
    expect(problem(['file'])).toBe(`${FILE}: (top level): Invalid input: expected object, received array`)
    expect(problem({ sources: ['file'] })).toBe(`${FILE}: sources[0]: Invalid input: expected record, received string`)
  })
})

/** The ConfigError message `loadConfig` rejects with for `file`. */
async function loadProblem(file: string): Promise<string> {
  const error = await loadConfig(file).then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(ConfigError)
  return (error as Error).message
}

describe('loadConfig', () => {
  let dir: string
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'config-'))
  })
  afterAll(() => rm(dir, { recursive: true, force: true }))

  it('reads a YAML file', async () => {
    const file = path.join(dir, 'ok.yml')
    await writeFile(
      file,
      [
        'emails: redact',
        'emails-key-env: EMAILS_KEY',
        'sources:',
        '  - type: octopus',
        '    name: prod',
        '    url: https://octopus.example.com',
        '    api-key-env: OCTOPUS_API_KEY',
        '  - type: file',
        '    name: finance',
        '    path: exports/finance.yaml',
        '    exclude: [sandbox-*]',
        ''
      ].join('\n')
    )
    const config = await loadConfig(file)
    expect(config.file).toBe(file)
    expect(config.sources.map((s) => [s.type, s.name, s.emails])).toEqual([
      ['octopus', 'prod', 'redact'],
      ['file', 'finance', 'redact']
    ])
    expect(config.sources[1]!.exclude).toEqual(['sandbox-*'])
  })

  it('says a missing file is missing and what to do', async () => {
    const file = path.join(dir, 'nowhere.yml')
    await expect(loadConfig(file)).rejects.toThrow(
      new ConfigError(
        `${file}: config file not found. Create it (see the README's config reference) or pass another path.`
      )
    )
  })

  it('reports invalid YAML with the file and the line', async () => {
    const file = path.join(dir, 'broken.yml')
    await writeFile(file, 'sources:\n  - type: file\n   name: x\n')
    expect(await loadProblem(file)).toBe(
      `${file}: not valid YAML at line 3, column 4: bad indentation of a sequence entry`
    )
    // js-yaml quotes the lines around a mistake; a secret on one of them stays out of the message.
    await writeFile(
      file,
      'sources:\n  - type: github\n    token-env: ghp_R2d2C3poBb8Luke1Leia0Han5Chewie9YodaX\n   name: x\n'
    )
    expect(await loadProblem(file)).not.toContain('ghp_')
  })

  it('treats an empty file as a config without sources', async () => {
    const file = path.join(dir, 'empty.yml')
    await writeFile(file, '')
    await expect(loadConfig(file)).rejects.toThrow(
      `${file}: sources: Invalid input: expected array, received undefined`
    )
  })

  it('reports a key error from the file with its path', async () => {
    const file = path.join(dir, 'inline.yml')
    await writeFile(file, 'sources:\n  - type: github\n    name: acme\n    token: ghp_abcdefghijklmnop\n')
    const message = await loadProblem(file)
    expect(message).toContain(`${file}: sources[0].token: credentials are not accepted inline.`)
    expect(message).not.toContain('ghp_abcdefghijklmnop')
  })
})
