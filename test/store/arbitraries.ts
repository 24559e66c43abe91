import fc from 'fast-check'
import {
  CHANGE_KINDS,
  type AuditEvent,
  type EventEffect,
  type EventRef,
  type Grant,
  type Group,
  type Principal,
  type Role,
  type Scope,
  type Snapshot
} from '../../src/model/types.js'
import { Random } from '../sim/random.js'

/** Strings that break naive YAML writers, path builders or readers. */
export const HOSTILE_STRINGS = [
  '',
  ' ',
  'yes',
  'No',
  'on',
  'OFF',
  'y',
  'true',
  'False',
  'null',
  'Null',
  '~',
  '123',
  '-1.5e3',
  '0x1F',
  '0o17',
  '017',
  '1_000',
  '.inf',
  '.NaN',
  '12:30:00',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '- x',
  'key: value',
  'a: ',
  ': ',
  '#comment',
  'a #b',
  '&anchor',
  '*alias',
  '!tag',
  '!!binary',
  '{}',
  '[]',
  '{a: 1}',
  '[1, 2]',
  '---',
  '...',
  '? key',
  '|',
  '>',
  '%YAML 1.2',
  '@x',
  '`x',
  '"quoted"',
  "'single'",
  '<<',
  ' leading',
  'trailing ',
  'line\nbreak',
  'trailing newline\n',
  '\n',
  '\n\n\n',
  ' \n indented\n',
  'crlf\r\nline',
  'tab\there',
  '\t',
  'nul\u0000byte',
  '\u0000',
  '\u0007bell\u001b[31mred',
  '\u007f',
  '\u0085next line',
  '\u2028\u2029',
  '\ufeffbom',
  'lone \ud800 surrogate',
  '\udfff',
  '😀 emoji 👩‍👩‍👧',
  'עברית RTL',
  '\u202eevil\u202c',
  'Ａｄｍｉｎｓ',
  'é vs e\u0301',
  'x'.repeat(10_000),
  '../../.github/workflows/x',
  '/etc/passwd',
  'C:\\x',
  '\\\\server\\share',
  '.',
  '..',
  '...',
  '.git',
  '.github',
  'CON',
  'nul.txt',
  'COM1',
  'lpt9.yaml',
  'trailing dots...',
  'trailing space ',
  '-rf',
  '~user',
  'a~b',
  '__proto__',
  'constructor',
  'toString'
]

const hostile = fc.constantFrom(...HOSTILE_STRINGS)
/** Any UTF-16 code unit, lone surrogates included: JSON APIs can deliver those. */
const codeUnits = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 12
})
export const anyString = fc.oneof(
  hostile,
  fc.string({ unit: 'binary', maxLength: 16 }),
  fc.string({ unit: 'grapheme', maxLength: 8 }),
  codeUnits,
  fc.string({ maxLength: 6 })
)

const attributes = fc.dictionary(anyString, anyString, { maxKeys: 3 })
const strings = fc.array(anyString, { maxLength: 4 })

const principal: fc.Arbitrary<Principal> = fc.record(
  {
    id: anyString,
    name: anyString,
    displayName: anyString,
    kind: fc.constantFrom('user', 'service-account', 'bot', 'app'),
    email: anyString,
    active: fc.boolean(),
    external: fc.boolean(),
    pending: fc.boolean(),
    attributes
  },
  { requiredKeys: ['id', 'name', 'kind'] }
)

const role: fc.Arbitrary<Role> = fc.record(
  {
    id: anyString,
    name: anyString,
    description: anyString,
    permissions: strings,
    privilege: fc.constantFrom('read', 'write', 'admin', 'owner'),
    builtIn: fc.boolean(),
    attributes
  },
  { requiredKeys: ['id', 'name', 'permissions'] }
)

const group: fc.Arbitrary<Group> = fc.record(
  {
    id: anyString,
    name: anyString,
    description: anyString,
    parent: anyString,
    members: fc.array(fc.record({ id: anyString, role: anyString }), { maxLength: 4 }),
    externalMembers: strings,
    attributes
  },
  { requiredKeys: ['id', 'name', 'members'] }
)

const scope: fc.Arbitrary<Scope> = fc.record(
  {
    id: anyString,
    type: fc.oneof(fc.constantFrom('repository', 'Repository', 'organization', 'folder'), anyString),
    name: anyString,
    parent: anyString,
    attributes
  },
  { requiredKeys: ['id', 'type', 'name'] }
)

const grantFor = (scopeIds: string[]): fc.Arbitrary<Grant> =>
  fc.record(
    {
      id: anyString,
      subject: fc.record({ type: fc.constantFrom('principal' as const, 'group' as const), id: anyString }),
      role: anyString,
      scope: fc.constantFrom(...scopeIds),
      via: anyString,
      restrictions: fc.dictionary(anyString, strings, { maxKeys: 3 }),
      attributes
    },
    { requiredKeys: ['subject', 'role', 'scope'] }
  )

export const snapshotArb: fc.Arbitrary<Snapshot> = fc
  .record({
    source: fc.constant({ type: 'github', name: 'acme' }),
    principals: fc.uniqueArray(principal, { selector: (p) => p.id, maxLength: 6 }),
    groups: fc.uniqueArray(group, { selector: (g) => g.id, maxLength: 6 }),
    roles: fc.uniqueArray(role, { selector: (r) => r.id, maxLength: 4 }),
    scopes: fc.uniqueArray(scope, { selector: (s) => s.id, minLength: 1, maxLength: 6 })
  })
  .chain((base) =>
    fc.array(grantFor(base.scopes.map((s) => s.id)), { maxLength: 12 }).map((grants) => ({ ...base, grants }))
  )

const refArb: fc.Arbitrary<EventRef> = fc.record(
  { type: anyString, id: anyString, name: anyString, slug: anyString },
  { requiredKeys: ['id'] }
)

const effectArb: fc.Arbitrary<EventEffect> = fc.record(
  {
    kinds: fc.uniqueArray(fc.constantFrom(...CHANGE_KINDS), { minLength: 1, maxLength: 3 }),
    subject: refArb,
    scope: refArb,
    group: refArb,
    grant: refArb,
    setting: anyString,
    uncertain: fc.constant(true)
  },
  { requiredKeys: ['kinds'] }
)

export const eventArb: fc.Arbitrary<AuditEvent> = fc.record(
  {
    id: anyString,
    time: fc
      .date({ min: new Date('2020-01-01T00:00:00Z'), max: new Date('2030-12-31T23:59:59Z'), noInvalidDate: true })
      .map((d) => d.toISOString()),
    actor: fc.record({ id: anyString, name: anyString }, { requiredKeys: ['name'] }),
    action: anyString,
    category: anyString,
    target: fc.record({ type: anyString, id: anyString, name: anyString }, { requiredKeys: [] }),
    message: anyString,
    details: attributes,
    effects: fc.array(effectArb, { minLength: 1, maxLength: 3 })
  },
  { requiredKeys: ['id', 'time', 'action'] }
)

/** The same state with every list, and the key order of every map, shuffled. */
export function shuffleDeep<T>(value: T, random: Random): T {
  if (Array.isArray(value)) return random.shuffle(value.map((item) => shuffleDeep(item, random))) as T
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(random.shuffle(Object.entries(value).map(([k, v]) => [k, shuffleDeep(v, random)]))) as T
}

/**
 * Every meaningful leaf of a value: strings and booleans, plus the keys of
 * non-empty maps. Comparing these as sorted lists shows nothing was lost or
 * invented, independent of order and of empty optional fields.
 */
export function leaves(value: unknown, out: string[] = []): string[] {
  if (typeof value === 'string' || typeof value === 'boolean') out.push(JSON.stringify(value))
  else if (Array.isArray(value)) value.forEach((item) => leaves(item, out))
  else if (typeof value === 'object' && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      if (item === undefined || (typeof item === 'object' && item !== null && Object.keys(item).length === 0)) continue
      out.push(`key:${JSON.stringify(key)}`)
      leaves(item, out)
    }
  }
  return out.sort()
}
