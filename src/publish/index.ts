/** Publishing a snapshot to GitHub: a signed commit through the Git Data API and a rolling pull request. */
export { gitBlobSha } from './blob-sha.js'
export { limitBody, MAX_PULL_REQUEST_BODY } from './body-limit.js'
export { commitSnapshot, type CommitSnapshotOptions, type CommittedSnapshot, type PublishMode } from './branch.js'
export { createSnapshotCommit, type SnapshotCommit } from './commit.js'
export { describeGitHubError } from './errors.js'
export { branchCommits } from './branch-history.js'
export {
  findOpenPullRequest,
  lastClosedPullRequest,
  type ClosedPullRequest,
  type OpenPullRequest
} from './open-pull.js'
export {
  inspectPublishTarget,
  publishSnapshot,
  type PublishResult,
  type PublishSnapshotOptions,
  type PublishState
} from './publish.js'
export {
  syncPullRequest,
  type MergeMethod,
  type PullRequestOperation,
  type PullRequestResult,
  type PullRequestSettings
} from './pull-request.js'
export { readSnapshotAt, type ReadSnapshotOptions } from './snapshot-tree.js'
export type { PublishTarget } from './target.js'
