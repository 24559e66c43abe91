import { parseArgs } from 'node:util'

/** A usage problem (an unknown option, a missing value): the CLI prints it with the command's help and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'UsageError'
  }
}

/**
 * A well-formed argument that cannot work: a path that is a file where a
 * folder is needed, a revision or folder git does not have. One line, exit 2;
 * the help would only bury it.
 */
export class ArgumentError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'ArgumentError'
  }
}

const EXIT_STATUS = `Exit status:
  0  success, with or without changes
  1  a source failed or was held back (the others were still written), or the
     command failed
  2  bad usage, paths or config (nothing was fetched or written)
`

export const HELP: Record<string, string> = {
  main: `permission-snapshot: who can do what across your tools, and what changed.

Usage: permission-snapshot <command> [options]

Commands:
  init           write a starter config and workflow into .github/
  run            fetch every configured source, write the snapshot, print the changes
  diff           print the change report between two git revisions of the snapshot folder
  show           print the current state from the snapshot folder: a source, a person, a scope
  publish-pages  update the Confluence pages named in the config with the current state
  demo           run the offline demo against the bundled simulators

Options:
  --version    print the version
  -h, --help   this help

Run 'permission-snapshot <command> --help' for a command's options.

${EXIT_STATUS}`,
  init: `Usage: permission-snapshot init [sources] [options]

Writes a starter config (.github/permission-snapshot.yml) with the chosen
sources and their optional keys as comments, and a daily workflow
(.github/workflows/permission-snapshot.yml) whose env passes each credential
the config names. Refuses to overwrite either file.

Sources (at least one; each may be repeated):
  --github <organization>      a GitHub organization
  --octopus <url>              an Octopus Deploy server
  --uipath <url>               a UiPath Orchestrator (cloud URL with tenant, or standalone)
  --cyberark-epm <url>         a CyberArk EPM logon host
  --opsera <url>               an Opsera API server (https://app.opsera.io)
  --file <path>                an export of any other system (YAML or JSON)

Options:
  --dir <dir>            where .github/ is written (default: the current directory)
  -h, --help             this help

${EXIT_STATUS}`,
  run: `Usage: permission-snapshot run [options]

Fetches every source in the config, writes the snapshot and prints the text
report of changes against what the snapshot folder held before.

Options:
  --config <file>        config file (default .github/permission-snapshot.yml)
  --out <dir>            snapshot folder (default snapshots)
  --source <type/name>   fetch only this source, leaving the others' files as
                         they are (repeatable)
  --dry-run              fetch and report, write nothing
  --report <file.md>     also write the Markdown report ('-': to stdout, instead of the text)
  --json <file.json>     also write the JSON report ('-': to stdout, instead of the text)
  --allow-mass-removal   write sources even when they remove more than the mass-removal guard allows
  --verbose              show a unified diff of every changed file, and debug lines
  --quiet                no progress on stderr: warnings and errors only
  -h, --help             this help

Paths are checked before anything is fetched.

${EXIT_STATUS}`,
  diff: `Usage: permission-snapshot diff [options]

Prints the change report between two revisions of the snapshot folder in the
git repository of the current directory: the history is the audit trail.

Options:
  --from <rev>     older revision (default: the parent of --to; the empty tree
                   when --to is the first commit)
  --to <rev>       newer revision (default HEAD)
  --dir <dir>      snapshot folder (default snapshots)
  --format <f>     text (default), markdown or json
  --verbose        show a unified diff of every changed file
  --quiet          notices on stderr only when something is wrong
  -h, --help       this help

${EXIT_STATUS}`,
  show: `Usage: permission-snapshot show [options]

Prints the current state from the snapshot folder (nothing is fetched): the
index of sources and the people page, one source's page, one person across
every system, or who holds what at one scope.

Options:
  --dir <dir>        snapshot folder (default snapshots)
  --source <t/n>     one source, as type/name (github/acme)
  --who <who>        one person: a login, an email address or a person's label
  --scope <name>     one scope (repository, space, folder...) by name
  --format <f>       text (default), markdown, csv (one row per effective grant) or json
  --config <file>    config for identities and emails (default: .github/permission-snapshot.yml if present)
  -h, --help         this help

Exit status:
  0  printed
  1  nobody, or no scope, matched
  2  bad usage, or no snapshot folder
`,
  'publish-pages': `Usage: permission-snapshot publish-pages [options]

Updates the Confluence pages the config's confluence block names with the
current state from the snapshot folder. A page whose content is unchanged
is not rewritten. Credentials come from the variables user-env and token-env name.

Options:
  --config <file>    config file (default .github/permission-snapshot.yml)
  --dir <dir>        snapshot folder (default snapshots)
  -h, --help         this help

Exit status:
  0  published, or nothing to change
  1  Confluence refused or failed
  2  bad usage or config
`,
  demo: `Usage: permission-snapshot demo

Starts the simulators on loopback, runs the daily job twice in a scratch git
repository (day 1 baseline, day 2 after scripted permission changes) and prints
the day-2 report. Needs a checkout with dev dependencies (npm ci); no network,
no credentials.
`
}

/** `parseArgs` with its errors turned into usage errors. */
export function parseOptions<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  args: string[],
  options: T
) {
  try {
    return parseArgs({
      args,
      options: { ...options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: false,
      strict: true
    })
  } catch (error) {
    throw new UsageError((error as Error).message)
  }
}
