import { describe, expect, it } from 'vitest'
import { ConfigError, parseConfig } from '../../src/config/load.js'

const sources = [
  { type: 'github', name: 'acme', organization: 'acme', 'token-env': 'GH' },
  { type: 'file', name: 'hr', path: 'hr.yaml' }
]
const parse = (top: Record<string, unknown>) => parseConfig({ sources, ...top }, 'cfg.yml')
const confluence = (pages: unknown, extra: Record<string, unknown> = {}) => ({
  confluence: { url: 'https://acme.atlassian.net', 'user-env': 'CONF_USER', 'token-env': 'CONF_TOKEN', pages, ...extra }
})

describe('identities and confluence in the config', () => {
  it('reads identities keyed by source type or type/name, and the confluence pages', () => {
    const config = parse({
      identities: { 'alice@corp.com': { github: 'alice-gh', 'file/hr': ['alice', 'alice.admin'] } },
      ...confluence([
        { 'page-id': '12345', source: 'github/acme' },
        { space: 'SEC', title: 'Everyone' }
      ])
    })
    expect(config.identities).toEqual({ 'alice@corp.com': { github: 'alice-gh', 'file/hr': ['alice', 'alice.admin'] } })
    expect(config.confluence?.pages).toEqual([
      { 'page-id': '12345', source: 'github/acme' },
      { space: 'SEC', title: 'Everyone' }
    ])
    expect(config.emails).toBe('keep')
  })

  it('rejects a source in identities or confluence that the config does not have, naming the key', () => {
    expect(() => parse({ identities: { 'a@b.c': { gihub: 'x' } } })).toThrow(
      'cfg.yml: identities.a@b.c.gihub: not a source type'
    )
    expect(() => parse({ identities: { 'a@b.c': { 'github/other': 'x' } } })).toThrow(ConfigError)
    expect(() => parse(confluence([{ 'page-id': '1', source: 'octopus/prod' }]))).toThrow(
      "cfg.yml: confluence.pages[0].source: 'octopus/prod' is not the type/name of a configured source (github/acme, file/hr)"
    )
  })

  it('wants exactly one of page-id or space, numeric ids, and credentials only through variables', () => {
    expect(() => parse(confluence([{ source: 'github/acme' }]))).toThrow(
      /confluence\.pages\[0\]: give either page-id or space/
    )
    expect(() => parse(confluence([{ 'page-id': '1', space: 'SEC' }]))).toThrow(/give either page-id or space/)
    expect(() => parse(confluence([{ 'page-id': 'abc' }]))).toThrow(/must be the numeric id of a page/)
    expect(() => parse(confluence([{ 'page-id': '1' }], { token: 'atl-secret' }))).toThrow(
      "cfg.yml: confluence.token: credentials are not accepted inline. Put the value in a secret, pass it to the step as an environment variable, and name that variable with 'token-env'."
    )
  })
})
