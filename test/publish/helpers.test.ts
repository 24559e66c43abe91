import { describe, expect, it } from 'vitest'
import { gitBlobSha, limitBody, MAX_PULL_REQUEST_BODY } from '../../src/publish/index.js'
import { snapshotFile, snapshotFolder } from '../../src/publish/snapshot-tree.js'
import { runGit } from '../sim/github/repository-git.js'

describe('publishing helpers', () => {
  it('computes the blob id git computes, for any UTF-8 content', async () => {
    for (const content of ['', 'a: 1\n', 'Zoë "zed" Müller 李 雷 🎉\r\n\0']) {
      const git = (await runGit(undefined, ['hash-object', '--stdin'], Buffer.from(content, 'utf8'))).toString().trim()
      expect(gitBlobSha(content)).toBe(git)
    }
  })

  it('cuts an over-long body at a line break with a notice, and leaves a fitting one alone', () => {
    expect(limitBody('short')).toBe('short')
    const long = limitBody('row\n'.repeat(20_000))
    expect(long.length).toBeLessThanOrEqual(MAX_PULL_REQUEST_BODY)
    expect(long).toMatch(/row\n\n…\n\n_The report was cut/)
    // No line break to cut at, and a surrogate pair straddling the cut: never half an emoji.
    const emoji = limitBody('🎉'.repeat(40_000))
    expect(emoji.length).toBeLessThanOrEqual(MAX_PULL_REQUEST_BODY)
    expect(emoji).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/)
  })

  it('accepts only folders and files that stay inside the snapshot folder', () => {
    expect(snapshotFolder('./snapshots/')).toBe('snapshots')
    expect(snapshotFolder('data/snapshots')).toBe('data/snapshots')
    for (const bad of ['', '.', '/', '../x', 'a/../b', '.git', 'a//b']) expect(() => snapshotFolder(bad)).toThrow()
    expect(snapshotFile('github/acme/principals.yaml')).toBe('github/acme/principals.yaml')
    for (const bad of ['', '../x', '/etc/passwd', 'a/./b', 'a\\b', 'x/.git/config'])
      expect(() => snapshotFile(bad)).toThrow()
  })
})
