import { createHash } from 'node:crypto'

/**
 * The git blob id of `content` (UTF-8), `sha1("blob <bytes>\0" + content)`:
 * the same id GitHub gives the blob, so unchanged files are recognised
 * without uploading or downloading them.
 */
export function gitBlobSha(content: string | Uint8Array): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex')
}
