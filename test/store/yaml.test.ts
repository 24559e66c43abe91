import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { fromYaml, toYaml } from '../../src/store/yaml.js'
import { anyString, HOSTILE_STRINGS } from './arbitraries.js'

/** A string as a value, as a map key and inside a list: every position a stored string can take. */
const roundTrip = (s: string) => {
  const value = { value: s, map: { [s]: s }, list: [s, s] }
  expect(fromYaml(toYaml(value))).toEqual(value)
}

describe('toYaml / fromYaml', () => {
  it.each(HOSTILE_STRINGS.map((s) => [JSON.stringify(s).slice(0, 60), s]))('round-trips %s', (_label, s) => {
    roundTrip(s)
  })

  it('round-trips any string, lone surrogates included', () => {
    fc.assert(fc.property(anyString, roundTrip), { numRuns: 2000 })
  })

  it('keeps strings that read as other types as strings, in YAML 1.1 readers too', () => {
    const text = toYaml({ a: 'yes', b: 'on', c: '2024-01-01', d: '123', e: 'null', f: '~' })
    expect(text).toBe("a: 'yes'\nb: 'on'\nc: '2024-01-01'\nd: '123'\ne: 'null'\nf: '~'\n")
  })

  it('writes no anchors, no folding, LF only, keys in the given order', () => {
    const shared = { id: 'x' }
    const long = 'word '.repeat(100).trim()
    const text = toYaml({ z: shared, a: shared, long })
    expect(text).not.toMatch(/[&*]/)
    expect(text).not.toContain('\r')
    expect(text).toBe(`z:\n  id: x\na:\n  id: x\nlong: ${long}\n`)
  })

  it('refuses values that have no faithful plain form', () => {
    expect(() => toYaml({ when: new Date(0) })).toThrow(/\$\."when" is a Date/)
    expect(() => toYaml({ a: undefined })).toThrow(/undefined/)
    expect(() => toYaml({ n: Number.NaN })).toThrow(/NaN/)
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(() => toYaml(cyclic)).toThrow(/contains itself/)
  })

  it('reads only plain data: no timestamps, no binary, no custom tags, no merge keys', () => {
    expect(fromYaml('a: 2024-01-01\nb: yes\n')).toEqual({ a: '2024-01-01', b: 'yes' })
    expect(fromYaml('base: 1\n<<: {x: 1}\n')).toEqual({ base: 1, '<<': { x: 1 } })
    expect(() => fromYaml('a: !!binary aGk=\n', 'x.yaml')).toThrow(/^x\.yaml:1:\d+: invalid YAML: unknown tag/)
    expect(() => fromYaml('a: !custom x\n', 'x.yaml')).toThrow(/^x\.yaml:1:\d+: invalid YAML/)
  })

  it('refuses anchors and aliases (alias bombs)', () => {
    const bomb = 'a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\n'
    expect(() => fromYaml(bomb, 'bomb.yaml')).toThrow('bomb.yaml: YAML anchors and aliases are not allowed')
  })

  it('names the file and line of a syntax error, duplicate key or second document', () => {
    expect(() => fromYaml('a: 1\na: 2\n', 'dup.yaml')).toThrow(/^dup\.yaml:2:\d+: invalid YAML: duplicated mapping key/)
    expect(() => fromYaml('a: [\n', 'broken.yaml')).toThrow(/^broken\.yaml:\d+:\d+: invalid YAML/)
    expect(() => fromYaml('a: 1\n---\nb: 2\n', 'two.yaml')).toThrow(
      /^two\.yaml: invalid YAML: expected a single document/
    )
  })
})
