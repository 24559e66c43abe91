/** A file of the snapshot folder that differs between two states; absent content means absent file. */
export interface FileChange {
  path: string
  before?: string
  after?: string
}

/** Compares two rendered snapshot folders; paths are prefixed with `prefix/` (the source's folder). */
export function changedFiles(before: Map<string, string>, after: Map<string, string>, prefix: string): FileChange[] {
  const paths = new Set([...before.keys(), ...after.keys()])
  const changes: FileChange[] = []
  for (const path of [...paths].sort()) {
    const old = before.get(path)
    const next = after.get(path)
    if (old !== next) changes.push({ path: `${prefix}/${path}`, before: old, after: next })
  }
  return changes
}
