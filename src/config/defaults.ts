/** Defaults shared by the action's inputs and the CLI's options. */
export const DEFAULT_CONFIG_PATH = '.github/permission-snapshot.yml'
export const DEFAULT_SNAPSHOT_DIR = 'snapshots'
