import { readFile } from 'node:fs/promises'
import yaml from 'js-yaml'
import type { z } from 'zod'
import type { MassRemovalPolicy } from '../diff/mass-removal.js'
import type { SourceRef } from '../model/types.js'
import { findSource, sourceTypes } from '../sources/registry.js'
import type { SourceDefinition } from '../sources/types.js'
import { commonSourceKeys, topLevel, type confluence, type EmailPolicy, type identities } from './schema.js'

export interface ConfiguredSource {
  type: string
  /** The instance name: the folder under `snapshots/<type>/`. */
  name: string
  include?: string[]
  exclude?: string[]
  emails: EmailPolicy
  /** The source's deadline: the loader always sets it (hand-built configs in tests may not). */
  timeoutMinutes?: number
  /** This entry's own `mass-removal-threshold` / `mass-removal-minimum`, which win over the top level's. */
  massRemoval?: Partial<MassRemovalPolicy>
  definition: SourceDefinition
  /** The type-specific settings, validated by the definition's schema. */
  settings: unknown
}

export interface Config {
  /** The file the config was read from, for messages. */
  file: string
  /** The environment variable with the key of email fingerprints; set whenever a source does not `keep`. */
  emailsKeyEnv?: string
  /** The top-level mass-removal guard (the action input `mass-removal-threshold` replaces the threshold). */
  massRemovalThreshold: number
  massRemovalMinimum: number
  eventsLookbackDays: number
  eventsOverlapMinutes: number
  /** The top-level `emails` policy (sources may override it); `keep` when absent. */
  emails?: EmailPolicy
  sources: ConfiguredSource[]
  /** Accounts of one person across systems, for the people page. */
  identities?: z.infer<typeof identities>
  /** Where the state pages are published in Confluence. */
  confluence?: z.infer<typeof confluence>
}

/** A config problem: names the file, the key and what was expected. */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

/** Keys that would hold a credential inline; credentials are named by environment variable instead. */
const INLINE_SECRET = /(^|-)(token|password|secret|api-?key|private-key|client-secret|pat)$/i

export async function loadConfig(file: string): Promise<Config> {
  let text: string
  try {
    text = await readFile(file, 'utf8')
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    throw new ConfigError(
      code === 'ENOENT'
        ? `${file}: config file not found. Create it (see the README's config reference) or pass another path.`
        : `${file}: cannot read the config file (${code ?? String(error)})`
    )
  }
  let raw: unknown
  try {
    raw = yaml.load(text, { filename: file })
  } catch (error) {
    // js-yaml's message quotes the lines around the mistake, which may hold a pasted secret: position only.
    const { reason, mark } = error as { reason?: string; mark?: { line: number; column: number } }
    const where = mark ? ` at line ${mark.line + 1}, column ${mark.column + 1}` : ''
    throw new ConfigError(`${file}: not valid YAML${where}: ${reason ?? 'unreadable'}`)
  }
  return parseConfig(raw, file)
}

export function parseConfig(raw: unknown, file: string): Config {
  rejectInlineSecrets(file, 'confluence', (raw as { confluence?: unknown } | null)?.confluence)
  const top = topLevel.safeParse(raw ?? {})
  if (!top.success) throw new ConfigError(formatIssues(file, '', top.error.issues))
  const seen = new Set<string>()
  const sources = top.data.sources.map((entry, index) => {
    const where = `sources[${index}]`
    const definition = findSource(String(entry.type))
    if (!definition) {
      throw new ConfigError(
        `${file}: ${where}.type: ${entry.type === undefined ? 'missing' : `unknown source type '${String(entry.type)}'`}; expected one of ${sourceTypes().join(', ')}`
      )
    }
    rejectInlineSecrets(file, where, entry)
    const commonKeys = Object.keys(commonSourceKeys.shape)
    const common = commonSourceKeys.safeParse(
      Object.fromEntries(Object.entries(entry).filter(([k]) => commonKeys.includes(k)))
    )
    if (!common.success) throw new ConfigError(formatIssues(file, where, common.error.issues))
    const label = `${where} (${definition.type} '${common.data.name}')`
    const settings = definition.settings.safeParse(
      Object.fromEntries(Object.entries(entry).filter(([k]) => !commonKeys.includes(k)))
    )
    if (!settings.success) throw new ConfigError(formatIssues(file, label, settings.error.issues))
    const id = `${definition.type}/${common.data.name}`
    if (seen.has(id))
      throw new ConfigError(
        `${file}: ${where}.name: '${common.data.name}' is used by two ${definition.type} sources; names must be unique per type`
      )
    seen.add(id)
    return {
      type: definition.type,
      name: common.data.name,
      include: common.data.include,
      exclude: common.data.exclude,
      emails: common.data.emails ?? top.data.emails,
      timeoutMinutes: common.data['timeout-minutes'] ?? top.data['timeout-minutes'],
      massRemoval: {
        threshold: common.data['mass-removal-threshold'],
        minimum: common.data['mass-removal-minimum']
      },
      definition,
      settings: settings.data
    } satisfies ConfiguredSource
  })
  requireEmailsKey(file, top.data, sources)
  checkPageKeys(file, top.data, sources)
  return {
    file,
    emailsKeyEnv: top.data['emails-key-env'],
    massRemovalThreshold: top.data['mass-removal-threshold'],
    massRemovalMinimum: top.data['mass-removal-minimum'],
    eventsLookbackDays: top.data.events['lookback-days'],
    eventsOverlapMinutes: top.data.events['overlap-minutes'],
    emails: top.data.emails,
    sources,
    identities: top.data.identities,
    confluence: top.data.confluence
  }
}

/**
 * `redact` and `hash` turn addresses into fingerprints (the field under
 * `hash`, addresses inside names and events under both). Unkeyed, a
 * fingerprint is reversed by hashing a staff list: without a key there is no
 * protection to offer, so the config is refused rather than pretending.
 */
function requireEmailsKey(
  file: string,
  top: { emails: EmailPolicy; 'emails-key-env'?: string },
  sources: ConfiguredSource[]
): void {
  if (top['emails-key-env']) return
  const index = top.emails === 'keep' ? sources.findIndex((s) => s.emails !== 'keep') : -1
  if (top.emails === 'keep' && index < 0) return
  const policy = index < 0 ? top.emails : sources[index]!.emails
  const where = index < 0 ? 'emails' : `sources[${index}] (${sources[index]!.type} '${sources[index]!.name}').emails`
  throw new ConfigError(
    `${file}: ${where}: \`${policy}\` needs a key for its fingerprints: set emails-key-env to the name of the environment variable that holds one (a long random secret, e.g. from \`openssl rand -hex 32\`)`
  )
}

/**
 * The mass-removal guard of one source: its own entry's keys, else the top
 * level's. A source no longer in the config (a folder left in the history)
 * gets the top level's.
 */
export function massRemovalPolicy(config: Config, source: SourceRef): MassRemovalPolicy {
  const own = config.sources.find((s) => s.type === source.type && s.name === source.name)?.massRemoval
  return {
    threshold: own?.threshold ?? config.massRemovalThreshold,
    minimum: own?.minimum ?? config.massRemovalMinimum
  }
}

function rejectInlineSecrets(file: string, where: string, entry: unknown): void {
  if (!entry || typeof entry !== 'object') return
  for (const key of Object.keys(entry)) {
    if (INLINE_SECRET.test(key)) {
      throw new ConfigError(
        `${file}: ${where}.${key}: credentials are not accepted inline. Put the value in a secret, pass it to the step as an environment variable, and name that variable with '${key}-env'.`
      )
    }
  }
}

/** `identities` and `confluence` name sources: a typo there would silently join or publish nothing. */
function checkPageKeys(file: string, top: z.infer<typeof topLevel>, sources: ConfiguredSource[]): void {
  const instances = new Set(sources.map((s) => `${s.type}/${s.name}`))
  const types = new Set(sourceTypes())
  for (const [email, accounts] of Object.entries(top.identities ?? {})) {
    for (const key of Object.keys(accounts)) {
      if (types.has(key) || instances.has(key)) continue
      throw new ConfigError(
        `${file}: identities.${email}.${key}: not a source type (${sourceTypes().join(', ')}) nor the type/name of a configured source`
      )
    }
  }
  top.confluence?.pages.forEach((page, i) => {
    if (page.source !== undefined && !instances.has(page.source)) {
      throw new ConfigError(
        `${file}: confluence.pages[${i}].source: '${page.source}' is not the type/name of a configured source (${[...instances].join(', ')})`
      )
    }
  })
}

function formatIssues(file: string, where: string, issues: z.core.$ZodIssue[]): string {
  const lines = issues.map((issue) => {
    const path = [where, ...issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))]
      .filter(Boolean)
      .join('.')
      .replace(/\.\[/g, '[')
    // Zod's messages already name what is wrong, unrecognized keys included (`Unrecognized key: "tokn"`).
    return `${file}: ${path || '(top level)'}: ${issue.message}`
  })
  return lines.join('\n')
}
