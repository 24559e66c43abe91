import { compareStrings } from '../diff/canonical.js'
import type { AuditEvent } from '../model/types.js'

/** Who made a change and when, from the audit event that mentions it. */
export interface Attribution {
  actor?: string
  time: string
  event: string
}

// Word characters of names and ids (`acme/api` is two words, `deploy-bot` one).
const WORD = /[^\p{L}\p{N}_.-]+/u
const isWordChar = (c: string | undefined) => c !== undefined && !WORD.test(c)

/**
 * Indexes audit events by what they mention (target id and name, detail
 * values, words of the message) so each change looks up its candidates
 * instead of scanning every event. Matching never guesses: an event counts
 * only when it mentions the changed subject and, where there is one, the
 * scope, each by id or by name.
 */
export class EventIndex {
  private readonly events: AuditEvent[]
  /** Whole structured values (target id/name, detail values), lower-cased. */
  private readonly exact = new Map<string, Set<number>>()
  /** Words of all the text, lower-cased; candidates verified against `texts`. */
  private readonly words = new Map<string, Set<number>>()
  private readonly texts: string[]

  constructor(events: AuditEvent[]) {
    this.events = events
    this.texts = events.map((event, i) => {
      const values = [event.target?.id, event.target?.name, ...Object.values(event.details ?? {})].filter(
        (v): v is string => typeof v === 'string' && v !== ''
      )
      for (const value of values) add(this.exact, value.toLowerCase(), i)
      const text = [...values, event.message ?? ''].join('\n').toLowerCase()
      for (const word of text.split(WORD)) if (word) add(this.words, word, i)
      return text
    })
  }

  /**
   * The latest event mentioning one of `subject` (ids or names) and, when
   * `scope` is given, also one of `scope`; undefined when none does.
   */
  find(subject: string[], scope?: string[]): Attribution | undefined {
    if (this.events.length === 0) return undefined
    let candidates = this.mentioning(subject)
    if (scope) {
      const scoped = this.mentioning(scope)
      candidates = new Set([...candidates].filter((i) => scoped.has(i)))
    }
    let best: AuditEvent | undefined
    for (const i of candidates) {
      const event = this.events[i]!
      if (
        !best ||
        compareStrings(event.time, best.time) > 0 ||
        (event.time === best.time && compareStrings(event.id, best.id) > 0)
      ) {
        best = event
      }
    }
    return best && { actor: best.actor?.name, time: best.time, event: best.id }
  }

  private mentioning(values: string[]): Set<number> {
    const found = new Set<number>()
    for (const raw of values) {
      const value = raw.trim().toLowerCase()
      if (!value) continue
      for (const i of this.exact.get(value) ?? []) found.add(i)
      // Short or numeric ids (`7`, `42`) occur in too much unrelated text:
      // they count only as a whole structured value.
      if (value.length < 3 || /^\d+$/.test(value)) continue
      // Every event mentions the organization: look up the value's rarest word.
      let rarest: Set<number> | undefined
      for (const word of value.split(WORD)) {
        if (!word) continue
        const events = this.words.get(word) ?? new Set<number>()
        if (!rarest || events.size < rarest.size) rarest = events
      }
      for (const i of rarest ?? []) if (containsWord(this.texts[i]!, value)) found.add(i)
    }
    return found
  }
}

function add(map: Map<string, Set<number>>, key: string, i: number): void {
  const set = map.get(key)
  if (set) set.add(i)
  else map.set(key, new Set([i]))
}

/** `value` occurs in `text` not as part of a longer word (`bob` is not in `bobby`). */
function containsWord(text: string, value: string): boolean {
  for (let at = text.indexOf(value); at >= 0; at = text.indexOf(value, at + 1)) {
    if (!isWordChar(text[at - 1]) && !isWordChar(text[at + value.length])) return true
  }
  return false
}
