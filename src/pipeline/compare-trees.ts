import { diffSnapshots } from '../diff/diff.js'
import { DEFAULT_MASS_REMOVAL, type MassRemovalPolicy } from '../diff/mass-removal.js'
import { compareSources } from '../model/keys.js'
import type { AuditEvent, SourceRef } from '../model/types.js'
import type { Report, SourceOutcome } from '../report/types.js'
import { parseEventDay } from '../store/events-files.js'
import { parseState } from '../store/folder.js'
import { isPage } from '../store/page-files.js'
import { parseSnapshot } from '../store/snapshot-files.js'
import { changedFiles } from './changed-files.js'

/**
 * The report between two states of a snapshot folder (two git revisions,
 * or a branch and its base), each given as path → content relative to the
 * folder. Audit events present only in `after` explain who made the changes.
 */
export function compareSnapshotTrees(
  before: Map<string, string>,
  after: Map<string, string>,
  massRemovalThreshold: number,
  /** Each source's mass-removal guard (`massRemovalPolicy` of the config); the threshold and the default minimum when absent. */
  massRemoval: (source: SourceRef) => MassRemovalPolicy = () => ({
    ...DEFAULT_MASS_REMOVAL,
    threshold: massRemovalThreshold
  })
): Report {
  const beforeBySource = splitBySource(before)
  const afterBySource = splitBySource(after)
  const outcomes: SourceOutcome[] = []
  for (const [key, afterFiles] of afterBySource) {
    const [type, name] = key.split('/') as [string, string]
    const source: SourceRef = { type, name }
    const beforeFiles = beforeBySource.get(key) ?? new Map<string, string>()
    const beforeSnapshot = parseState(beforeFiles, source)
    const afterSnapshot = parseState(afterFiles, source) ?? parseSnapshot(new Map(), source)
    outcomes.push({
      source,
      status: 'ok',
      notes: [],
      baseline: beforeSnapshot === undefined,
      before: beforeSnapshot,
      after: afterSnapshot,
      changes: diffSnapshots(beforeSnapshot, afterSnapshot),
      massRemoval: massRemoval(source),
      events: newEvents(beforeFiles, afterFiles),
      files: changedFiles(beforeFiles, afterFiles, key)
    })
  }
  return { outcomes: outcomes.sort((a, b) => compareSources(a.source, b.source)), massRemovalThreshold }
}

/** Groups `type/name/rest` paths by `type/name`, keyed rest → content; pages are not state and are left out. */
function splitBySource(files: Map<string, string>): Map<string, Map<string, string>> {
  const bySource = new Map<string, Map<string, string>>()
  for (const [path, content] of files) {
    const parts = path.split('/')
    if (parts.length < 3 || isPage(path)) continue
    const key = `${parts[0]}/${parts[1]}`
    if (!bySource.has(key)) bySource.set(key, new Map())
    bySource.get(key)!.set(parts.slice(2).join('/'), content)
  }
  return bySource
}

function newEvents(before: Map<string, string>, after: Map<string, string>): AuditEvent[] {
  const known = new Set<string>()
  for (const [path, text] of before) {
    if (path.startsWith('events/')) for (const event of parseEventDay(text, path)) known.add(event.id)
  }
  const events: AuditEvent[] = []
  for (const [path, text] of after) {
    if (!path.startsWith('events/') || before.get(path) === text) continue
    for (const event of parseEventDay(text, path)) if (!known.has(event.id)) events.push(event)
  }
  return events
}
