/**
 * Confluence Cloud's REST API v2 pages and spaces on loopback, following the
 * contract written down in README.md beside this file: Basic auth (email +
 * API token), 404 for pages the account cannot see, 403 for writes it may
 * not make, the version rule (409 unless the new version is the current one
 * plus one), storage bodies that must be well-formed XHTML, and stored bodies
 * normalised as Confluence does.
 */
import { SimServer, type SimRequest, type SimResponse } from '../server.js'

export interface SimPage {
  id: string
  spaceId: string
  parentId: string | null
  title: string
  status: 'current'
  body: string
  version: { number: number; message: string; createdAt: string }
  /** Every version's body, oldest first, for assertions. */
  history: string[]
}

export interface SimAccount {
  email: string
  token: string
  /** May read but not write. */
  readOnly?: boolean
}

const API = '/wiki/api/v2'
/** Storage elements the publisher may write; anything else (`ac:*`, `ri:*`, `script`) is recorded. */
const PLAIN_ELEMENTS = new Set([
  'h1',
  'h2',
  'h3',
  'h4',
  'p',
  'ul',
  'li',
  'table',
  'tbody',
  'tr',
  'th',
  'td',
  'strong',
  'a',
  'pre'
])
const ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'apos', '#39'])

const error = (status: number, code: string, title: string): SimResponse => ({
  status,
  json: { errors: [{ status, code, title, detail: null }] }
})

export class ConfluenceSim {
  readonly server = new SimServer()
  readonly pages = new Map<string, SimPage>()
  readonly spaces = new Map<string, { id: string; key: string; name: string }>()
  /** Elements other than plain XHTML seen in any written body: a macro injected through data would show here. */
  readonly foreignElements: string[] = []
  /** Runs before a PUT is checked: a test edits the page here to play a concurrent editor. */
  beforeUpdate?: (page: SimPage) => void
  private nextId = 1000

  constructor(readonly accounts: SimAccount[] = [{ email: 'bot@example.com', token: 'atl-token-1' }]) {
    this.server.notFound = () => error(404, 'NOT_FOUND', 'Not Found')
    this.server.route('GET', `${API}/pages/:id`, (req) => this.guard(req, false, () => this.get(req)))
    this.server.route('PUT', `${API}/pages/:id`, (req) => this.guard(req, true, () => this.update(req)))
    this.server.route('GET', `${API}/pages`, (req) => this.guard(req, false, () => this.list(req)))
    this.server.route('POST', `${API}/pages`, (req) => this.guard(req, true, () => this.create(req)))
    this.server.route('GET', `${API}/spaces`, (req) => this.guard(req, false, () => this.listSpaces(req)))
  }

  get url(): string {
    return this.server.url
  }

  start(): Promise<string> {
    return this.server.start()
  }

  stop(): Promise<void> {
    return this.server.stop()
  }

  addSpace(key: string, name = key): string {
    const id = String(this.nextId++)
    this.spaces.set(id, { id, key, name })
    return id
  }

  addPage(spaceId: string, title: string, body = '<p>Placeholder</p>'): SimPage {
    const page: SimPage = {
      id: String(this.nextId++),
      spaceId,
      parentId: null,
      title,
      status: 'current',
      body,
      version: { number: 1, message: '', createdAt: new Date().toISOString() },
      history: [body]
    }
    this.pages.set(page.id, page)
    return page
  }

  /** What a person editing the page in the browser does: a new version with other content. */
  editByHand(page: SimPage, body: string): void {
    this.store(page, page.title, body, '')
  }

  private guard(req: SimRequest, write: boolean, handle: () => SimResponse): SimResponse {
    const match = /^Basic (.+)$/.exec(String(req.headers.authorization ?? ''))
    const [email, token] = match ? Buffer.from(match[1]!, 'base64').toString('utf8').split(':') : []
    const account = this.accounts.find((a) => a.email === email && a.token === token)
    if (!account) return error(401, 'UNAUTHORIZED', 'Unauthorized; scope does not match')
    if (write && account.readOnly) return error(403, 'FORBIDDEN', 'User not permitted to edit this content')
    return handle()
  }

  private get(req: SimRequest): SimResponse {
    const page = this.pages.get(req.params.id!)
    if (!page) return error(404, 'NOT_FOUND', 'Not Found')
    return { json: this.render(page, req.query.get('body-format') === 'storage') }
  }

  private list(req: SimRequest): SimResponse {
    const spaceIds = req.query.getAll('space-id').flatMap((v) => v.split(','))
    const title = req.query.get('title')
    const results = [...this.pages.values()].filter(
      (p) => (spaceIds.length === 0 || spaceIds.includes(p.spaceId)) && (title === null || p.title === title)
    )
    return {
      json: { results: results.map((p) => this.render(p, req.query.get('body-format') === 'storage')), _links: {} }
    }
  }

  private listSpaces(req: SimRequest): SimResponse {
    const keys = req.query.getAll('keys').flatMap((v) => v.split(','))
    const results = [...this.spaces.values()]
      .filter((s) => keys.length === 0 || keys.includes(s.key))
      .map((s) => ({ ...s, type: 'global', status: 'current' }))
    return { json: { results, _links: {} } }
  }

  private update(req: SimRequest): SimResponse {
    const page = this.pages.get(req.params.id!)
    if (!page) return error(404, 'NOT_FOUND', 'Not Found')
    this.beforeUpdate?.(page)
    const body = parseJson(req.body)
    if (!body || body.id !== page.id)
      return error(400, 'INVALID_REQUEST_PARAMETER', 'id must match the page id in the path')
    if (body.status !== 'current') return error(400, 'INVALID_REQUEST_PARAMETER', 'status is required')
    const problem = checkContent(body)
    if (problem) return error(400, 'INVALID_REQUEST_PARAMETER', problem)
    const version = body.version as { number?: unknown; message?: unknown } | undefined
    if (typeof version?.number !== 'number')
      return error(400, 'INVALID_REQUEST_PARAMETER', 'version.number is required')
    if (version.number !== page.version.number + 1) {
      return error(409, 'CONFLICT', `Version must be incremented on update. Current version is: ${page.version.number}`)
    }
    const storage = (body.body as { value: string }).value
    const foreign = this.inspect(storage)
    if (foreign) return error(400, 'INVALID_REQUEST_PARAMETER', foreign)
    this.store(page, body.title as string, storage, typeof version.message === 'string' ? version.message : '')
    return { json: this.render(page, false) }
  }

  private create(req: SimRequest): SimResponse {
    const body = parseJson(req.body)
    if (!body || typeof body.spaceId !== 'string' || !this.spaces.has(body.spaceId))
      return error(400, 'INVALID_REQUEST_PARAMETER', 'spaceId must name a space')
    const problem = checkContent(body)
    if (problem) return error(400, 'INVALID_REQUEST_PARAMETER', problem)
    if ([...this.pages.values()].some((p) => p.spaceId === body.spaceId && p.title === body.title))
      return error(400, 'INVALID_REQUEST_PARAMETER', 'A page with this title already exists')
    const storage = (body.body as { value: string }).value
    const foreign = this.inspect(storage)
    if (foreign) return error(400, 'INVALID_REQUEST_PARAMETER', foreign)
    const page = this.addPage(body.spaceId, body.title as string, normalize(storage))
    if (typeof body.parentId === 'string') page.parentId = body.parentId
    return { json: this.render(page, false) }
  }

  private store(page: SimPage, title: string, body: string, message: string): void {
    page.title = title
    page.body = normalize(body)
    page.version = { number: page.version.number + 1, message, createdAt: new Date().toISOString() }
    page.history.push(page.body)
  }

  /** Well-formedness, and the record of foreign elements; returns the problem, if any. */
  private inspect(xhtml: string): string | undefined {
    const stack: string[] = []
    const token = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>|&([^;\s&<]*);|[<>&]/g
    for (const m of xhtml.matchAll(token)) {
      if (m[2] === undefined && m[5] === undefined) return `unescaped ${JSON.stringify(m[0])} in the storage format`
      if (m[5] !== undefined) {
        if (!ENTITIES.has(m[5]) && !/^#x?[0-9a-f]+$/i.test(m[5])) return `unknown entity &${m[5]};`
        continue
      }
      const name = m[2]!.toLowerCase()
      if (!PLAIN_ELEMENTS.has(name)) this.foreignElements.push(name)
      if (m[4] === '/') continue
      if (m[1] === '/') {
        if (stack.pop() !== name) return `mismatched closing tag </${name}>`
      } else stack.push(name)
    }
    return stack.length === 0 ? undefined : `unclosed <${stack[stack.length - 1]}>`
  }

  private render(page: SimPage, withBody: boolean) {
    return {
      id: page.id,
      status: page.status,
      title: page.title,
      spaceId: page.spaceId,
      parentId: page.parentId,
      parentType: page.parentId ? 'page' : null,
      authorId: '5b10ac8d82e05b22cc7d4ef5',
      createdAt: '2026-01-05T09:00:00.000Z',
      version: { ...page.version, minorEdit: false, authorId: '5b10ac8d82e05b22cc7d4ef5' },
      body: withBody ? { storage: { representation: 'storage', value: page.body } } : {},
      _links: {
        webui: `/spaces/${page.spaceId}/pages/${page.id}`,
        editui: `/pages/resumedraft.action?draftId=${page.id}`,
        tinyui: `/x/${page.id}`
      }
    }
  }
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text) as unknown
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}

function checkContent(body: Record<string, unknown>): string | undefined {
  if (typeof body.title !== 'string' || body.title.trim() === '') return 'title is required'
  const content = body.body as { representation?: unknown; value?: unknown } | undefined
  if (content?.representation !== 'storage' || typeof content.value !== 'string')
    return 'body must be { representation: "storage", value }'
  return undefined
}

/** Confluence rewrites what it stores; here, numeric apostrophes become literal ones. */
function normalize(body: string): string {
  return body.replaceAll('&#39;', "'")
}
