import { ConfigError } from '../config/load.js'
import { redact } from '../util/secrets.js'
import { diffCommand } from './diff-command.js'
import { demoCommand } from './demo-command.js'
import { initCommand } from './init-command.js'
import { publishPagesCommand } from './publish-pages-command.js'
import { runCommand } from './run-command.js'
import { showCommand } from './show-command.js'
import { ArgumentError, HELP, UsageError } from './usage.js'
import { packageVersion } from './version.js'

const COMMANDS: Record<string, (args: string[]) => Promise<number>> = {
  init: initCommand,
  run: runCommand,
  diff: diffCommand,
  demo: demoCommand,
  show: showCommand,
  'publish-pages': publishPagesCommand
}

/** Runs the CLI and returns its exit status: 0 success, 1 a source failed, 2 bad usage or config. */
export async function runCli(argv: string[]): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '-h' || command === '--help' || command === 'help') {
    process.stdout.write(HELP.main)
    return command === undefined ? 2 : 0
  }
  if (command === '--version') {
    process.stdout.write(`${await packageVersion()}\n`)
    return 0
  }
  const handler = COMMANDS[command]
  if (!handler) {
    process.stderr.write(`permission-snapshot: unknown command '${command}'\n\n${HELP.main}`)
    return 2
  }
  try {
    return await handler(rest)
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`permission-snapshot ${command}: ${error.message}\n\n${HELP[command]}`)
      return 2
    }
    if (error instanceof ArgumentError) {
      process.stderr.write(`permission-snapshot ${command}: ${redact(error.message)}\n`)
      return 2
    }
    if (error instanceof ConfigError) {
      process.stderr.write(`permission-snapshot: ${redact(error.message)}\n`)
      return 2
    }
    process.stderr.write(
      `permission-snapshot ${command}: ${redact(error instanceof Error ? error.message : String(error))}\n`
    )
    return 1
  }
}
