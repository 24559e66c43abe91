import { describe, expect, it } from 'vitest'
import { redact, registerSecret } from '../../src/util/secrets.js'

// The registry is process-wide; vitest gives each test file a fresh module, and these tests only add to it.
describe('secret redaction', () => {
  it('leaves text alone until a secret is registered, then replaces every occurrence', () => {
    expect(redact('token s3cr3t-value')).toBe('token s3cr3t-value')
    registerSecret('s3cr3t-value')
    expect(redact('token s3cr3t-value, again s3cr3t-value')).toBe('token ***, again ***')
  })

  it('ignores empty and very short values, which would redact ordinary words', () => {
    registerSecret(undefined)
    registerSecret('')
    registerSecret('abc')
    expect(redact('abc is fine')).toBe('abc is fine')
  })

  it('treats regular-expression characters in a secret literally', () => {
    registerSecret('a.b*c+(d)')
    expect(redact('x a.b*c+(d) y aXbbc+(d)')).toBe('x *** y aXbbc+(d)')
  })

  it('redacts the longest match first when one secret contains another', () => {
    registerSecret('prefix')
    registerSecret('prefix-and-more')
    expect(redact('prefix-and-more / prefix')).toBe('*** / ***')
  })

  it('redacts a multi-line secret whole and line by line, with LF or CRLF', () => {
    const pem = [
      '-----BEGIN PRIVATE KEY-----',
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC',
      '  BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj  ',
      'short',
      '-----END PRIVATE KEY-----'
    ].join('\r\n')
    registerSecret(pem)
    expect(redact(`key: ${pem}`)).toBe('key: ***')
    expect(redact('error near MIIEvQIBADANBgkqhkiG9w0BAQEFAASC in line 2')).toBe('error near *** in line 2')
    // Lines are matched without the indentation they had in the secret.
    expect(redact('"BKcwggSjAgEAAoIBAQC7VJTUt9Us8cKj"')).toBe('"***"')
    // Lines under eight characters are too common to redact on their own.
    expect(redact('a short word')).toBe('a short word')
  })
})
