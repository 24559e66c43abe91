import * as core from '@actions/core'

/** The runner rejects a step summary over 1 MiB; stay well under it. */
const JOB_SUMMARY_LIMIT = 1_000_000

/** Writes the report to the job summary, when the runner offers one. */
export async function writeJobSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return
  const body =
    Buffer.byteLength(markdown) > JOB_SUMMARY_LIMIT
      ? `${Buffer.from(markdown)
          .subarray(0, JOB_SUMMARY_LIMIT)
          .toString('utf8')
          .replace(/\uFFFD$/, '')}\n\n_The report was cut to fit the job summary's size limit._\n`
      : markdown
  await core.summary.addRaw(body, true).write()
}
