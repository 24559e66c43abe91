import * as core from '@actions/core'
import { writeFile } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { loadConfig, massRemovalPolicy, type Config } from '../config/load.js'
import { hasChanges } from '../diff/types.js'
import type { SourceRef } from '../model/types.js'
import { createGitHubClient } from '../github/octokit.js'
import { publishToConfluence } from '../confluence/publish.js'
import { compareSnapshotTrees } from '../pipeline/compare-trees.js'
import { readState } from '../pipeline/pages.js'
import { runSnapshot, type RunResult } from '../pipeline/run.js'
import {
  inspectPublishTarget,
  publishSnapshot,
  type PublishMode,
  type PublishResult,
  type PublishState,
  type PublishTarget
} from '../publish/index.js'
import { renderMarkdown, summarize } from '../report/render.js'
import { carryEvents } from '../store/disk.js'
import { readFolder, replaceFolder } from '../store/folder.js'
import { sourceFolder } from '../store/paths.js'
import { redact } from '../util/secrets.js'
import { assembleCollected } from './assemble.js'
import { fingerprint, readCollected, writeCollected } from './collected.js'
import { getSettings, InputError, type ActionSettings } from './inputs.js'
import { actionLogger as log } from './logger.js'
import { withRunStatus } from './report.js'
import { maskSourceCredentials } from './secrets.js'
import { startingPoint, startNotices, type StartingPoint } from './start.js'
import { writeJobSummary } from './summary.js'

/**
 * The action: load the config, snapshot every source into the workspace,
 * then commit the folder and open, update or close the pull request whose
 * body is the change report. A failed source keeps its previous files and
 * fails the step after everything that succeeded was published.
 */
export async function run(): Promise<void> {
  try {
    const settings = getSettings()
    const config = await loadConfig(settings.configPath)
    if (settings.massRemovalThreshold !== undefined) config.massRemovalThreshold = settings.massRemovalThreshold
    maskSourceCredentials(config, process.env)
    const date = new Date().toISOString().slice(0, 10)
    const title = settings.title.replaceAll('{date}', date)
    const { result, body, published } = await runMode(settings, config, title, date)

    const reportPath = join(process.env.RUNNER_TEMP || settings.workspace, 'permission-snapshot-report.md')
    await writeFile(reportPath, body)
    await writeJobSummary(body)
    setOutputs(result, published, reportPath)
    if (settings.mode === 'collect') core.setOutput('collected-path', settings.collectedPath)
    // A collect job publishes nothing: the assemble job publishes the pages of what it put together.
    if (config.confluence && settings.mode !== 'dry-run' && settings.mode !== 'collect')
      await publishConfluence(config, join(settings.workspace, settings.path))
    const failed = result.report.outcomes.filter((o) => o.status !== 'ok')
    if (failed.length > 0) {
      core.setFailed(
        failed
          .map(
            (o) => `${o.source.type}/${o.source.name} ${o.status === 'held' ? 'was held back' : 'failed'}: ${o.error}`
          )
          .join('\n')
      )
    }
  } catch (error) {
    core.setFailed(redact(error instanceof Error ? error.message : String(error)))
  }
}

interface Outcome {
  result: RunResult
  body: string
  published?: PublishResult
}

function runMode(settings: ActionSettings, config: Config, title: string, date: string): Promise<Outcome> {
  switch (settings.mode) {
    case 'dry-run':
      return dryRun(settings, config, title)
    case 'collect':
      return collect(settings, config, title)
    case 'assemble':
      return snapshotAndPublish({ ...settings, mode: 'pull-request' }, config, title, date, (run) =>
        readCollected(settings.collectedPath).then((collected) =>
          assembleCollected({ ...run, collected, collectedPath: relative(settings.workspace, settings.collectedPath) })
        )
      )
    default:
      return snapshotAndPublish({ ...settings, mode: settings.mode }, config, title, date, (run) => runSnapshot(run))
  }
}

async function dryRun(settings: ActionSettings, config: Config, title: string): Promise<Outcome> {
  const root = join(settings.workspace, settings.path)
  const result = await runSnapshot({ config, root, dryRun: true, allowMassRemoval: settings.allowMassRemoval, log })
  return { result, body: renderMarkdown(result.report, { title }) }
}

/** What a publishing run (or a collect job) starts from, put in the workspace's snapshot folder. */
interface Begun {
  target: PublishTarget
  state: PublishState
  start: StartingPoint
  /** Events carried from an unmerged branch this run replaces. */
  carried: number
  /** What the run passes the pipeline: the folder, what its mass-removal guard also compares with, what was carried. */
  run: {
    config: Config
    root: string
    allowMassRemoval: boolean
    base?: Map<string, string>
    carriedSince: Map<string, string>
    log: typeof log
  }
}

async function begin(settings: ActionSettings & { mode: PublishMode }, config: Config): Promise<Begun> {
  const root = join(settings.workspace, settings.path)
  const target: PublishTarget = {
    client: createGitHubClient({ auth: settings.token, baseUrl: settings.apiUrl, log, urlSetting: 'GITHUB_API_URL' }),
    owner: settings.owner,
    repo: settings.repo,
    log
  }
  const state = await inspectPublishTarget(target, settings)
  // The run starts from the commit it builds on: the open pull request's head (yesterday's snapshot, so
  // the report is what is new since the last run and a failed source keeps yesterday's files), else the
  // base's head. The workspace only saves downloads.
  const start = await startingPoint(target, state, settings.path, await readFolder(root))
  await replaceFolder(root, start.start)
  const carry = start.carry ? await carryEvents(root, start.carry.files) : { added: 0, changed: [] }
  return {
    target,
    state,
    start,
    carried: carry.added,
    run: {
      config,
      root,
      allowMassRemoval: settings.allowMassRemoval,
      ...(state.openPull ? { base: start.reviewFrom } : {}),
      carriedSince: firstDays(carry.changed),
      log
    }
  }
}

/** Per source folder, the first day of the carried event files (`<type>/<name>/events/<day>.yaml`). */
function firstDays(files: string[]): Map<string, string> {
  const first = new Map<string, string>()
  for (const file of files) {
    const [type, name, , day] = file.replace(/\.yaml$/, '').split('/') as [string, string, string, string]
    const known = first.get(`${type}/${name}`)
    if (known === undefined || day < known) first.set(`${type}/${name}`, day)
  }
  return first
}

/**
 * `mode: collect`: the sources named by `sources`, run from exactly the state a single run would start
 * from, each written to the collected folder for the assemble job. Nothing is published.
 */
async function collect(settings: ActionSettings, config: Config, title: string): Promise<Outcome> {
  const selected = selectSources(config, settings.sources)
  const { run, start, carried } = await begin({ ...settings, mode: 'pull-request' }, selected)
  const startFiles = await readFolder(run.root)
  const result = await runSnapshot(run)
  for (const outcome of result.report.outcomes) {
    const folder = sourceFolder(outcome.source)
    const source = selected.sources.find((s) => sourceFolder(s) === folder)!
    await writeCollected(settings.collectedPath, run.root, {
      outcome,
      fingerprint: fingerprint({ ...run, source, start: startFiles }),
      changed: result.changed.filter((file) => file.startsWith(`${folder}/`))
    })
  }
  log.info(
    `Collected ${result.report.outcomes.length} source(s) into ${relative(settings.workspace, settings.collectedPath)}; the assemble job publishes them`
  )
  const notices = [
    `Collected for the assemble job, which publishes the pull request; nothing was published here.`,
    ...startNotices(start, carried)
  ]
  return { result, body: renderMarkdown(result.report, { title, notices }) }
}

/** The configured sources a collect job fetches: the ones `sources` names (`type/name`), or all of them. */
function selectSources(config: Config, wanted: string[]): Config {
  if (wanted.length === 0) return config
  const known = config.sources.map((s) => `${s.type}/${s.name}`)
  const unknown = wanted.filter((w) => !known.includes(w))
  if (unknown.length > 0) {
    throw new InputError(
      `Input 'sources' names ${unknown.map((u) => `'${u}'`).join(', ')}, which ${config.file} does not configure; expected type/name entries among ${known.join(', ')}.`
    )
  }
  return { ...config, sources: config.sources.filter((s) => wanted.includes(`${s.type}/${s.name}`)) }
}

/**
 * Starts from the commits the run builds on, produces the run's result there (the pipeline, or the
 * collected results put together), and publishes the folder with the report as the pull request body.
 */
async function snapshotAndPublish(
  settings: ActionSettings & { mode: PublishMode },
  config: Config,
  title: string,
  date: string,
  produce: (run: Begun['run']) => Promise<RunResult>
): Promise<Outcome> {
  const { target, state, start, carried, run } = await begin(settings, config)
  const result = await produce(run)
  const files = await readFolder(run.root)
  const threshold = config.massRemovalThreshold
  const policies = (source: SourceRef) => massRemovalPolicy(config, source)
  const body = renderMarkdown(result.report, {
    title,
    notices: startNotices(start, carried),
    ...(state.openPull
      ? {
          awaiting: withRunStatus(compareSnapshotTrees(start.reviewFrom, files, threshold, policies), result.report),
          previouslyAwaiting: compareSnapshotTrees(start.reviewFrom, start.start, threshold, policies)
        }
      : {})
  })
  const published = await publishSnapshot(target, {
    mode: settings.mode,
    base: state.base,
    branch: settings.branch,
    path: settings.path,
    files,
    // Whatever the folder holds for them, sources that did not succeed keep the parent commit's files.
    keep: result.report.outcomes.filter((o) => o.status !== 'ok').map((o) => sourceFolder(o.source)),
    message: commitMessage(date, result),
    pullRequest: pullRequestSettings(settings, title, body)
  })
  for (const warning of published.warnings) log.warn(warning)
  return { result, body, published }
}

/** The state pages to Confluence, after the snapshot was committed; a failure fails the step, not the commit. */
async function publishConfluence(config: Config, root: string): Promise<void> {
  try {
    await publishToConfluence(config.confluence!, await readState(root, config), process.env, log)
  } catch (error) {
    core.setFailed(redact(error instanceof Error ? error.message : String(error)))
  }
}

function pullRequestSettings(settings: ActionSettings, title: string, body: string) {
  return {
    title,
    body,
    labels: settings.labels,
    reviewers: settings.reviewers,
    teamReviewers: settings.teamReviewers,
    draft: settings.draft,
    autoMerge: settings.autoMerge
  }
}

/** Counts only: a commit message must name no login (it would notify on every push). */
function commitMessage(date: string, result: RunResult): string {
  const lines = result.report.outcomes.map((o) => `${o.source.type}/${o.source.name}: ${o.status}`)
  return `Permission snapshot ${date}\n\n${lines.join('\n')}\n`
}

function setOutputs(result: RunResult, published: PublishResult | undefined, reportPath: string): void {
  // A dry run writes nothing, so `result.changed` is empty: it reports what the run would have committed.
  const changed = published
    ? published.changed
    : result.report.outcomes.some(
        (o) => o.status === 'ok' && (o.baseline || (o.changes !== undefined && hasChanges(o.changes)))
      )
  core.setOutput('changed', String(changed))
  core.setOutput('pull-request-number', published?.pullRequest?.number ?? '')
  core.setOutput('pull-request-url', published?.pullRequest?.url ?? '')
  core.setOutput('pull-request-operation', published?.operation ?? 'none')
  core.setOutput('commit-sha', published?.commitSha ?? '')
  core.setOutput('report-path', reportPath)
  core.setOutput('summary', JSON.stringify(summarize(result.report)))
}
