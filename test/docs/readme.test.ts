import { readFile } from 'node:fs/promises'
import path from 'node:path'
import yaml from 'js-yaml'
import { describe, expect, it } from 'vitest'
import { parseConfig } from '../../src/config/load.js'

const README = path.resolve(import.meta.dirname, '../../README.md')

/** The README's YAML examples, as a reader would copy them. */
async function yamlBlocks(): Promise<string[]> {
  const text = await readFile(README, 'utf8')
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]!)
}

describe('the README', () => {
  it('shows a workflow whose env passes exactly the variables its config example names', async () => {
    const blocks = await yamlBlocks()
    const workflow = yaml.load(blocks.find((b) => b.includes('jobs:'))!) as {
      jobs: { snapshot: { steps: { uses?: string; env?: Record<string, string> }[] } }
    }
    const config = parseConfig(yaml.load(blocks.find((b) => b.startsWith('emails: keep'))!), 'README.md')
    const named = config.sources.flatMap((s) =>
      Object.entries(s.settings as Record<string, unknown>)
        .filter(([key]) => key.endsWith('-env'))
        .map(([, variable]) => variable)
    )
    const step = workflow.jobs.snapshot.steps.find((s) => s.uses?.startsWith('permission-snapshot/'))!
    expect(Object.keys(step.env!).sort()).toEqual([...named].sort())
  })
})
