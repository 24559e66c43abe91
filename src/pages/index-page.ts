/**
 * `snapshots/README.md`: a row per source linking to its page, the link to
 * the people page, and a short explanation of the folder's layout (in a
 * repository that runs the tool, this generated page is what a reader sees
 * first when opening the folder).
 */
import { own, type Cell, type Format } from './format.js'
import type { SourceView } from './source-view.js'

const LAYOUT = `<type>/<name>/
  README.md                  this source's page: groups, roles, access by scope, effective access by person
  pages/                     the page split per group, scope and initial, when it is too large for one file
  principals.yaml            users, service accounts, bots, invitations
  roles.yaml                 the role catalogue: permissions and a privilege tier
  groups/<name>.yaml         one file per team or group: its immediate members
  scopes/<type>/<name>.yaml  one file per scope (organization, repository, space, folder, set) with its grants
  events/YYYY-MM-DD.yaml     audit events of that UTC day, append-only
people.md                    one person, all systems`

export function indexDocument(
  views: readonly SourceView[],
  f: Format,
  links: { source?: (view: SourceView) => string; people?: string } = {}
): string {
  let out = f.heading(1, 'Permission snapshots')
  out += f.paragraph(
    own(
      'Who can do what in each system permission-snapshot reads, as of the last run: one folder per source, written by the scheduled run and reviewed through its pull requests. The pages are generated from the YAML beside them; do not edit either by hand.'
    )
  )
  const rows: Cell[][] = views.map((view) => {
    const tiers = { owner: 0, admin: 0 }
    let flagged = 0
    for (const p of view.principals) {
      const highest = view.highest(p.id)
      if (highest === 'owner' || highest === 'admin') tiers[highest]++
      if (view.flagged(p)) flagged++
    }
    const s = view.snapshot
    const href = links.source?.(view)
    return [
      href === undefined ? view.key : { text: view.key, href },
      ...[s.principals.length, s.groups.length, s.roles.length, s.scopes.length, s.grants.length].map((n) => own(n)),
      own(tiers.owner),
      own(tiers.admin),
      own(flagged)
    ]
  })
  out += f.table(
    [
      { title: 'Source' },
      ...['Principals', 'Groups', 'Roles', 'Scopes', 'Grants', 'Owners', 'Admins', 'To review'].map((title) => ({
        title,
        align: 'right' as const
      }))
    ],
    rows
  )
  out += f.paragraph(
    own(
      'Owners and admins: principals whose highest privilege in that source is owner or admin, through any path. To review: inactive accounts and service accounts, bots or apps that still hold access.'
    )
  )
  out += f.paragraph([
    links.people === undefined ? own('People across systems') : { text: 'People across systems', href: links.people },
    own(': one person, all systems, joined by email and the identities map of the config.')
  ])
  out += f.heading(2, 'Layout')
  return out + f.code(LAYOUT)
}
