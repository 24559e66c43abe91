/** The simulated event trail: history for a generated instance, and the recorder the change helpers use. */
import type { Random } from '../random.js'
import { nextId, type OctopusSize, type OctopusState, type SimEvent, type SimUser } from './data.js'

/** Access-related history plus deployments (which the source must not ask for), oldest first. */
export function generateHistory(state: OctopusState, random: Random, size: OctopusSize, now: Date): void {
  const times = Array.from(
    { length: size.events },
    () => now.getTime() - random.int(1, size.eventDays * 86_400) * 1000
  ).sort((a, b) => a - b)
  for (const time of times) {
    const actor = random.pick(state.users.filter((u) => u.IsActive))
    const kind = random.int(0, 4)
    if (kind === 0) {
      const project = random.pick(state.projects)
      const env = random.pick(state.environments.filter((e) => e.SpaceId === project.SpaceId))
      const deployment = nextId(state, 'Deployments')
      recordEvent(state, actor, new Date(time), {
        category: 'DeploymentStarted',
        message: `Deploy to ${env.Name} started for ${project.Name}`,
        document: { Id: deployment, Name: `Deploy to ${env.Name}` },
        related: [deployment, project.Id, env.Id],
        spaceId: project.SpaceId
      })
    } else if (kind === 1) {
      const t = random.pick(state.teams)
      recordEvent(state, actor, new Date(time), { category: 'Modified', document: t, noun: 'team', spaceId: t.SpaceId })
    } else if (kind === 2) {
      const u = random.pick(state.users)
      recordEvent(state, actor, new Date(time), {
        category: random.pick(['Created', 'Modified']),
        document: { Id: u.Id, Name: u.Username },
        noun: 'user',
        spaceId: null
      })
    } else if (kind === 3) {
      const role = random.pick(state.userRoles)
      recordEvent(state, actor, new Date(time), {
        category: 'Modified',
        document: role,
        noun: 'user role',
        spaceId: null
      })
    } else {
      const key = nextId(state, 'ApiKeys')
      recordEvent(state, actor, new Date(time), {
        category: 'Created',
        message: `API key created for ${actor.Username}`,
        document: { Id: key, Name: 'API key' },
        related: [key, actor.Id],
        spaceId: null
      })
    }
  }
}

export interface EventSpec {
  category: string
  document: { Id: string; Name: string }
  /** "team", "user": the message reads "<Category> <noun> <name>" like Octopus's document events. */
  noun?: string
  message?: string
  related?: string[]
  spaceId: string | null
}

/** Appends an event made by `actor`; the document's name is referenced in the message as Octopus does. */
export function recordEvent(state: OctopusState, actor: SimUser, at: Date, spec: EventSpec): SimEvent {
  const prefix = spec.message ? '' : `${spec.category} ${spec.noun ?? 'document'} `
  const message = spec.message ?? `${prefix}${spec.document.Name}`
  const event: SimEvent = {
    Id: nextId(state, 'Events'),
    Category: spec.category,
    Message: message,
    MessageHtml: message,
    MessageReferences: spec.message
      ? []
      : [{ ReferencedDocumentId: spec.document.Id, StartIndex: prefix.length, Length: spec.document.Name.length }],
    Username: actor.Username,
    UserId: actor.Id,
    IsService: actor.IsService,
    IdentityEstablishedWith: actor.IsService ? 'API key' : 'Session cookie',
    UserAgent: 'Mozilla/5.0',
    IpAddress: '10.0.0.7',
    // Octopus writes offsets, not Z: the source must turn them into UTC.
    Occurred: at.toISOString().replace('Z', '+00:00'),
    RelatedDocumentIds: spec.related ?? [spec.document.Id],
    SpaceId: spec.spaceId,
    Comments: null,
    Details: null,
    ChangeDetails: {
      DocumentContext: spec.related ? null : { Id: spec.document.Id, Name: spec.document.Name },
      Differences: [{ op: 'replace', path: '/Name', value: spec.document.Name }]
    }
  }
  state.events.push(event)
  return event
}
