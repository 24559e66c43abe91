/** Defaults shared by the action's inputs and the CLI's options. */
export const DEFAULT_CONFIG_PATH = '.github/permission-snapshot.yml'
export const DEFAULT_SNAPSHOT_DIR = 'snapshots'

/**
 * How long one source may fetch before it fails (and keeps its previous
 * snapshot): long enough for a large tenant behind throttling, short enough
 * that a hung source leaves a daily job time to publish the others. GitHub
 * stops a job after 360 minutes.
 */
export const DEFAULT_TIMEOUT_MINUTES = 60
