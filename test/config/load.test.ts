import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, parseConfig } from '../../src/config/load.js'
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
        'mass-removal-threshold': 0.1,
        events: { 'lookback-days': 30, 'overlap-minutes': 0 },
        sources: [
          { ...fileSource, include: ['ledger-*'], exclude: ['sandbox-*'] },
          { ...octopus, emails: 'redact' }
        ]
      },
      FILE
    )
    expect(config).toMatchObject({ massRemovalThreshold: 0.1, eventsLookbackDays: 30, eventsOverlapMinutes: 0 })
    expect(config.sources[0]).toMatchObject({ emails: 'hash', include: ['ledger-*'], exclude: ['sandbox-*'] })
    expect(config.sources[1]).toMatchObject({ type: 'octopus', emails: 'redact' })
    expect(config.sources[1]!.settings).toMatchObject({ 'api-key-env': 'OCTOPUS_API_KEY', 'page-size': 1000 })
  })

  it('names the file, the key path with the source, and what is expected', () => {
    expect(problem({ sources: [fileSource, { ...octopus, url: 'octopus.example.com' }] })).toBe(
      `${FILE}: sources[1] (octopus 'prod').url: must be an http:// or https:// URL`
    )
    expect(problem({ sources: [{ ...octopus, 'api-key-env': 'OCTOPUS-KEY' }] })).toBe(
      `${FILE}: sources[0] (octopus 'prod').api-key-env: must be the name of an environment variable (letters, digits, underscores)`
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
    const message = await loadProblem(file)
    expect(message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: not valid YAML: `))
    expect(message).toContain('(3:4)')
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
