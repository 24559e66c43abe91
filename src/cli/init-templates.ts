/**
 * The starter files `permission-snapshot init` writes: a config listing the
 * chosen sources with their optional keys as comments, and a workflow whose
 * `env` passes exactly the credentials the config names.
 */
import yaml from 'js-yaml'
import { slug } from '../store/paths.js'

/** The action as a workflow refers to it; the README's examples use the same. */
export const ACTION_REF = 'permission-snapshot/permission-snapshot@v1'

export const INIT_TYPES = ['github', 'octopus', 'uipath', 'cyberark-epm', 'opsera', 'file'] as const
export type InitType = (typeof INIT_TYPES)[number]

/** One source as init writes it; `value` is what its flag gave (organization, URL or path). */
export interface InitSource {
  type: InitType
  name: string
  value: string
  /** Environment variables the entry names, by config key (`token-env` → `GH_ORG_READ_TOKEN`). */
  env: Record<string, string>
}

interface Template {
  /** The key the flag's value goes to. */
  key: string
  /** The instance name when the value does not suggest one. */
  name: (value: string) => string
  /** Credential keys and the environment variable each names. */
  env: Record<string, string>
  /** Optional keys with their defaults or an example, and what they do. */
  optional: Array<[key: string, value: string, comment: string]>
}

const COMMON: Template['optional'] = [
  ['exclude', "['sandbox-*']", 'scopes (repositories, folders, spaces...) to leave out, as globs'],
  ['emails', 'hash', 'keep | redact | hash, for this source only (hash and redact need emails-key-env)'],
  ['timeout-minutes', '60', 'this source only'],
  ['mass-removal-threshold', '0.5', 'this source only']
]

const TEMPLATES: Record<InitType, Template> = {
  github: {
    key: 'organization',
    name: (organization) => organization,
    env: { 'token-env': 'GH_ORG_READ_TOKEN' },
    optional: [
      ['api-url', 'https://ghe.example.com/api/v3', 'GitHub Enterprise Server (GraphQL at /api/graphql)'],
      ['audit-log', 'true', 'Enterprise Cloud: name who made each change, from the audit log']
    ]
  },
  octopus: {
    key: 'url',
    name: () => 'octopus',
    env: { 'api-key-env': 'OCTOPUS_API_KEY' },
    optional: [
      ['page-size', '1000', '`take` for paged lists'],
      ['concurrency', '4', 'requests in flight'],
      ['event-document-types', '[ApiKeys, ScopedUserRoles, Spaces, Teams, UserRoles, Users]', 'events to read']
    ]
  },
  uipath: {
    key: 'url',
    name: () => 'uipath',
    env: { 'client-id-env': 'UIPATH_CLIENT_ID', 'client-secret-env': 'UIPATH_CLIENT_SECRET' },
    optional: [
      ['scopes', 'OR.Users.Read OR.Roles.Read OR.Folders.Read OR.Audit.Read', 'drop OR.Roles.Read on older versions'],
      ['personal-folders', 'false', 'personal workspaces are left out by default'],
      ['group-membership', 'true', 'one request per directory user'],
      ['audit-components', '[Users, Roles, Folders, Settings]', 'tenant audit components to archive'],
      ['platform-audit', 'off', 'the organization audit: classic (default on Automation Cloud) | unified | off']
    ]
  },
  'cyberark-epm': {
    key: 'url',
    name: () => 'epm',
    env: { 'username-env': 'EPM_USERNAME', 'password-env': 'EPM_PASSWORD' },
    optional: [
      ['sets', '[Servers]', 'set names or ids; default: every set the user can view'],
      ['account-audit', 'true', 'also read the account admin audit'],
      ['include-own-reads', 'false', "archive this tool's own reads too"],
      ['page-size', '500', 'rows per audit page']
    ]
  },
  opsera: {
    key: 'url',
    name: () => 'opsera',
    env: { 'token-env': 'OPSERA_TOKEN' },
    optional: [
      ['retention-days', '7', 'days Opsera is known to keep; a longer window is warned about'],
      ['include-own-reads', 'false', "archive this tool's own audit-log reads too"],
      [
        'admin-action-types',
        '[user, group, role, site_role, tool_registry, settings]',
        'who counts as an administrator'
      ]
    ]
  },
  file: {
    key: 'path',
    name: (path) => slug(path.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')) || 'export',
    env: {},
    optional: []
  }
}

/**
 * Names and credential variables for the chosen sources, in a fixed type
 * order: a second source of a type gets `-2` on its name and `_2` on its
 * variables, so two entries never share a folder or a secret.
 */
export function initSources(chosen: Partial<Record<InitType, string[]>>): InitSource[] {
  const sources: InitSource[] = []
  for (const type of INIT_TYPES) {
    const template = TEMPLATES[type]
    const names = new Set<string>()
    for (const [i, value] of (chosen[type] ?? []).entries()) {
      const base = template.name(value)
      let name = base
      for (let n = 2; names.has(name); n++) name = `${base}-${n}`
      names.add(name)
      const suffix = i === 0 ? '' : `_${i + 1}`
      const env = Object.fromEntries(Object.entries(template.env).map(([key, variable]) => [key, variable + suffix]))
      sources.push({ type, name, value, env })
    }
  }
  return sources
}

/** A YAML scalar for a value from the command line, quoted where YAML would read it otherwise. */
function scalar(value: string): string {
  return yaml.dump(value, { lineWidth: -1 }).trimEnd()
}

export function configText(sources: InitSource[]): string {
  const lines = [
    '# The systems permission-snapshot reads. Written by `permission-snapshot init`; the README has every',
    '# key. No credential is ever written here: each *-env key names an environment variable, which the',
    '# workflow (.github/workflows/permission-snapshot.yml) fills from a secret. Uncomment to change a default.',
    '# emails: keep                  # keep | redact | hash: how email addresses are stored',
    '# emails-key-env: EMAILS_KEY    # redact and hash: the variable holding the fingerprints’ key',
    '# timeout-minutes: 60           # each source’s deadline; past it the source fails and keeps its files',
    '# mass-removal-threshold: 0.25  # share of a source’s principals, memberships or grants whose removal is held back',
    '# mass-removal-minimum: 5       # ...and only when at least this many of that kind go',
    '# events:',
    '#   lookback-days: 7            # how far back the first run reads audit events',
    '#   overlap-minutes: 60         # later runs read again from the newest stored event minus this',
    'sources:'
  ]
  for (const source of sources) {
    const template = TEMPLATES[source.type]
    lines.push(
      `  - type: ${source.type}`,
      `    name: ${source.name}  # the folder snapshots/${source.type}/${source.name}/: rename it before the first run, not after`,
      `    ${template.key}: ${scalar(source.value)}`,
      ...Object.entries(source.env).map(([key, variable]) => `    ${key}: ${variable}`),
      ...[...template.optional, ...COMMON].map(([key, value, comment]) => `    # ${key}: ${value}  # ${comment}`)
    )
  }
  return `${lines.join('\n')}\n`
}

/** The step id of the App token for the `i`-th GitHub source (the first also publishes). */
const tokenStep = (i: number) => (i === 0 ? 'app-token' : `app-token-${i + 1}`)

export function workflowText(sources: InitSource[]): string {
  const github = sources.filter((s) => s.type === 'github')
  const files = sources.filter((s) => s.type === 'file')
  const tokenSteps = (github.length > 0 ? github : [undefined]).flatMap((source, i) => [
    `      - id: ${tokenStep(i)}`,
    '        uses: actions/create-github-app-token@v3',
    '        with:',
    '          app-id: ${{ vars.PERMISSION_SNAPSHOT_APP_ID }}',
    '          private-key: ${{ secrets.PERMISSION_SNAPSHOT_APP_KEY }}',
    ...(source
      ? [`          owner: ${source.value}  # the organization to read, so the token covers all of it`]
      : ['          # owner: acme  # add the organization when a github source reads it'])
  ])
  const env = sources.flatMap((source) =>
    Object.values(source.env).map((variable) =>
      source.type === 'github'
        ? `          ${variable}: \${{ steps.${tokenStep(github.indexOf(source))}.outputs.token }}`
        : `          ${variable}: \${{ secrets.${variable} }}`
    )
  )
  return `${[
    '# The daily permission snapshot, written by `permission-snapshot init`: it commits the state of every',
    '# source in .github/permission-snapshot.yml to snapshots/ and opens a pull request with the changes.',
    'name: Permission snapshot',
    'on:',
    '  schedule:',
    "    - cron: '17 5 * * *'  # daily, 05:17 UTC",
    '  workflow_dispatch:',
    '    inputs:',
    '      allow-mass-removal:',
    '        description: Accept the removals the mass-removal guard held back (check the pull request first)',
    '        type: boolean',
    '        default: false',
    '',
    '# One run at a time: a manual run and the schedule never race for the branch.',
    'concurrency:',
    '  group: permission-snapshot',
    '  cancel-in-progress: false',
    '',
    'permissions:',
    '  contents: write  # commit the snapshot',
    '  pull-requests: write  # open and update the pull request',
    '',
    'jobs:',
    '  snapshot:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      # A GitHub App token: it reads the organization (GITHUB_TOKEN cannot), and its commits are signed.',
    ...tokenSteps,
    '      - uses: actions/checkout@v5',
    ...files.map((f) => `      # The file source ${f.name} reads ${f.value}: add the step that writes it here.`),
    `      - uses: ${ACTION_REF}`,
    '        with:',
    '          token: ${{ steps.app-token.outputs.token }}',
    '          allow-mass-removal: ${{ inputs.allow-mass-removal || false }}',
    // An `env:` with nothing under it is null, which Actions refuses: without credentials it stays a comment.
    env.length > 0 ? '        env:' : '        # env:',
    ...env,
    '          # EMAILS_KEY: ${{ secrets.EMAILS_KEY }}  # when the config sets emails-key-env: EMAILS_KEY'
  ].join('\n')}\n`
}
