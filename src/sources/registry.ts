import { cyberarkEpmSource } from './cyberark-epm/index.js'
import { fileSource } from './file/index.js'
import { githubSource } from './github/index.js'
import { octopusSource } from './octopus/index.js'
import { opseraSource } from './opsera/index.js'
import type { SourceDefinition } from './types.js'
import { uipathSource } from './uipath/index.js'

/** Every system the tool can read. A new source adds one line here and nothing anywhere else. */
// Settings types differ per source; each definition pairs its schema with its factory, so `any` is safe here.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const definitions: SourceDefinition<any>[] = [
  cyberarkEpmSource,
  fileSource,
  githubSource,
  octopusSource,
  opseraSource,
  uipathSource
]

export function findSource(type: string): SourceDefinition | undefined {
  return definitions.find((d) => d.type === type)
}

export function sourceTypes(): string[] {
  return definitions.map((d) => d.type)
}
