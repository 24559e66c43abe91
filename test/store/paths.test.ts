import path from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { assignFileNames, slug } from '../../src/store/paths.js'
import { containedPath } from '../../src/store/safe-fs.js'
import { Random } from '../sim/random.js'
import { anyString, HOSTILE_STRINGS } from './arbitraries.js'

const SAFE_FILE = /^[A-Za-z0-9_~][A-Za-z0-9._~-]*$/
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i

function expectSafeFileNames(names: Iterable<string>): void {
  const seen = new Set<string>()
  for (const name of names) {
    const file = `${name}.yaml`
    expect(file).toMatch(SAFE_FILE)
    expect(file).not.toMatch(WINDOWS_DEVICE)
    expect(Buffer.byteLength(file)).toBeLessThanOrEqual(100)
    expect(seen.has(file.toLowerCase()), `${file} collides`).toBe(false)
    seen.add(file.toLowerCase())
    const root = path.resolve('/store/groups')
    expect(path.dirname(containedPath(root, file))).toBe(root)
  }
}

describe('slug', () => {
  it.each([
    ['Admins', 'Admins'],
    ['Release Managers (EU)', 'Release-Managers-EU'],
    ['../../.github/workflows/x', 'github-workflows-x'],
    ['/etc/passwd', 'etc-passwd'],
    ['C:\\x', 'C-x'],
    ['.', ''],
    ['..', ''],
    ['...', ''],
    ['.git', 'git'],
    ['.github', 'github'],
    ['CON', 'CON_'],
    ['nul.txt', 'nul_.txt'],
    ['COM1', 'COM1_'],
    ['console', 'console'],
    ['trailing dots...', 'trailing-dots'],
    ['trailing space ', 'trailing-space'],
    ['-rf', 'rf'],
    ['a~b', 'a-b'],
    ['Café Ünïcode', 'Cafe-Unicode'],
    ['Ａｄｍｉｎｓ', 'Admins'],
    ['😀', ''],
    ['עברית', ''],
    ['nul\u0000byte', 'nul-byte']
  ])('%j → %j', (name, expected) => {
    expect(slug(name)).toBe(expected)
  })

  it('keeps long names short', () => {
    expect(slug('x'.repeat(10_000)).length).toBeLessThan(60)
  })
})

describe('assignFileNames', () => {
  it('gives hostile names safe, distinct file names', () => {
    const names = assignFileNames(HOSTILE_STRINGS.map((name, i) => ({ id: `Teams-${i}`, name })))
    expect(names.size).toBe(HOSTILE_STRINGS.length)
    expectSafeFileNames(names.values())
  })

  it('names Admins and admins apart, by id, whatever the order', () => {
    const entities = [
      { id: 'T_1', name: 'Admins' },
      { id: 'T_2', name: 'admins' },
      { id: 'T_3', name: 'Developers' }
    ]
    const expected = new Map([
      ['T_1', 'Admins~T_1'],
      ['T_2', 'admins~T_2'],
      ['T_3', 'Developers']
    ])
    expect(assignFileNames(entities)).toEqual(expected)
    expect(assignFileNames([...entities].reverse())).toEqual(expected)
  })

  it('falls back to a hash when ids differ only in case or in dropped characters', () => {
    const names = assignFileNames([
      { id: 'abc', name: 'x' },
      { id: 'ABC', name: 'x' },
      { id: 'a/b', name: 'y' },
      { id: 'a:b', name: 'y' },
      { id: '😀', name: '' },
      // Lone surrogates: UTF-8 would turn both into U+FFFD, so the hash must see the code units.
      { id: '\ud800', name: '' },
      { id: '\udfff', name: '' }
    ])
    expect([...names.values()].every((name) => /~~[0-9a-f]{16}$/.test(name))).toBe(true)
    expectSafeFileNames(names.values())
  })

  it('refuses two entities with one id', () => {
    expect(() =>
      assignFileNames([
        { id: 'a', name: 'x' },
        { id: 'a', name: 'y' }
      ])
    ).toThrow(/share the id "a"/)
  })

  it('is safe, collision-free and order-independent for any names and ids', () => {
    const entities = fc.uniqueArray(fc.record({ id: anyString, name: anyString }), {
      selector: (e) => e.id,
      maxLength: 30
    })
    fc.assert(
      fc.property(entities, fc.integer(), (items, seed) => {
        const names = assignFileNames(items)
        expect(names.size).toBe(items.length)
        expectSafeFileNames(names.values())
        expect(assignFileNames(new Random(seed).shuffle(items))).toEqual(names)
      }),
      { numRuns: 500 }
    )
  })
})

describe('containedPath', () => {
  const root = path.resolve('/store/github/acme')
  it.each([
    '../x.yaml',
    'groups/../../x.yaml',
    '/etc/passwd',
    '.git/config',
    'groups/.hidden',
    'a\\b',
    'C:x',
    '',
    'a//b'
  ])('refuses %j', (relative) => {
    expect(() => containedPath(root, relative)).toThrow(/refusing to use the path/)
  })

  it('accepts store-made paths', () => {
    expect(containedPath(root, 'scopes/repository/api.yaml')).toBe(path.join(root, 'scopes', 'repository', 'api.yaml'))
  })
})
