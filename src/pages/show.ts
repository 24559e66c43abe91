/**
 * What `show` prints in Markdown or text: the same views as the committed
 * pages, narrowed. One person across systems (their accounts, then each
 * account's effective access), one scope in every source that has it, one
 * source's whole page, or the index and the people page.
 */
import { sourceKey, type Person } from '../model/people.js'
import { createFormat, own, type FormatName } from './format.js'
import { indexDocument } from './index-page.js'
import { sourceDocument } from './layout.js'
import { peopleDocument } from './people-page.js'
import type { State } from './pages.js'
import { accountGrants, matchingScopes, selectedViews, type Selection } from './rows.js'
import { personBody, scopeSection } from './source-page.js'

export function showDocument(state: State, selection: Selection, format: Exclude<FormatName, 'storage'>): string {
  const f = createFormat(format)
  const views = selectedViews(state, selection)
  if (selection.people !== undefined) return people(state, selection, selection.people, format)
  if (selection.scope !== undefined) {
    let out = ''
    for (const view of views) {
      for (const scope of matchingScopes(view, selection.scope))
        out += f.heading(2, view.key) + scopeSection(view, f, scope)
    }
    return out
  }
  if (selection.source !== undefined) return views.map((view) => sourceDocument(view, f)).join('')
  return indexDocument(state.views, f) + peopleDocument({ ...state }, f)
}

function people(state: State, selection: Selection, people: readonly Person[], format: 'markdown' | 'text'): string {
  const f = createFormat(format)
  let out = ''
  for (const person of people) {
    out += f.heading(1, person.label)
    const accounts = person.accounts.filter(
      (a) => selection.source === undefined || sourceKey(a.source) === selection.source
    )
    const rows = accounts.map((a) => {
      const view = state.views.find((v) => v.key === sourceKey(a.source))!
      return [view.key, view.principalLabel(a.principal.id), own(view.highestLabel(a.principal.id))]
    })
    if (rows.length > 0)
      out += f.table([{ title: 'Source' }, { title: 'Account' }, { title: 'Highest privilege' }], rows)
    for (const missing of person.missing) {
      out += f.paragraph([
        own('Not found in '),
        sourceKey(missing.source),
        own(': '),
        missing.login,
        own(' (named by the identities map).')
      ])
    }
    for (const a of accounts) {
      const view = state.views.find((v) => v.key === sourceKey(a.source))!
      out += f.heading(2, view.key)
      out += personBody(view, f, a.principal, accountGrants(view, a.principal, selection.scope), 3)
    }
  }
  return out
}
