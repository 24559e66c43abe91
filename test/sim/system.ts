/**
 * What every simulator offers the offline demo and the end-to-end tests: a
 * running system, the config entry that reads it, the credentials that entry
 * names, and a scripted set of "day 2" permission changes.
 */
export interface SimulatedSystem {
  /** A `sources[]` entry for the config file; credentials are named by environment variable. */
  source: Record<string, unknown>
  /** The environment variables that entry names, with the simulator's credentials. */
  env: Record<string, string>
  /** Applies the scripted day-2 changes (with audit events naming who made them) and describes them. */
  day2(): string[]
  stop(): Promise<void>
}
