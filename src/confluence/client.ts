/**
 * The few Confluence Cloud REST API v2 calls the publisher makes (the
 * contract is written down in test/sim/confluence/README.md), through the
 * shared HTTP client: Basic auth with an account email and API token,
 * retries on throttling and 5xx, errors that name the path and what to fix.
 */
import { HttpClient } from '../http/client.js'
import type { Logger } from '../util/log.js'

export interface ConfluencePage {
  id: string
  title: string
  spaceId: string
  version: { number: number; message?: string }
  body?: { storage?: { value: string } }
}

interface Results<T> {
  results: T[]
}

export const SYSTEM = 'Confluence'

export class ConfluenceClient {
  private readonly http: HttpClient

  constructor(options: { url: string; user: string; token: string; userEnv: string; tokenEnv: string; log?: Logger }) {
    const site = options.url.replace(/\/+$/, '').replace(/\/wiki$/, '')
    const basic = Buffer.from(`${options.user}:${options.token}`).toString('base64')
    this.http = new HttpClient({
      system: SYSTEM,
      baseUrl: `${site}/wiki/api/v2/`,
      auth: () => ({ authorization: `Basic ${basic}` }),
      log: options.log,
      hint: (status) => {
        if (status === 401)
          return `Check ${options.userEnv} (the Atlassian account's email) and ${options.tokenEnv} (an API token of that account, not expired).`
        if (status === 403)
          return 'The account may not edit this page: check the page restrictions and the space permissions.'
        if (status === 404)
          return 'No such page or space, or the account cannot view it: check the page id or space key and its permissions.'
        return undefined
      }
    })
  }

  getPage(id: string): Promise<ConfluencePage> {
    return this.http.get<ConfluencePage>(`pages/${encodeURIComponent(id)}`, { 'body-format': 'storage' })
  }

  async findSpaceId(key: string): Promise<string | undefined> {
    const answer = await this.http.get<Results<{ id: string; key: string }>>('spaces', { keys: key })
    return answer.results.find((s) => s.key === key)?.id
  }

  async findPage(spaceId: string, title: string): Promise<ConfluencePage | undefined> {
    const answer = await this.http.get<Results<ConfluencePage>>('pages', {
      'space-id': spaceId,
      title,
      status: 'current',
      'body-format': 'storage'
    })
    return answer.results.find((p) => p.title === title)
  }

  createPage(spaceId: string, title: string, value: string, parentId?: string): Promise<ConfluencePage> {
    return this.http.post<ConfluencePage>('pages', {
      json: {
        spaceId,
        status: 'current',
        title,
        ...(parentId ? { parentId } : {}),
        body: { representation: 'storage', value }
      }
    })
  }

  /** Replaces the body, keeping the title; `version` is the page's current number plus one. */
  async updatePage(page: ConfluencePage, value: string, message: string): Promise<ConfluencePage> {
    const answer = await this.http.request<ConfluencePage>('PUT', `pages/${encodeURIComponent(page.id)}`, {
      json: {
        id: page.id,
        status: 'current',
        title: page.title,
        body: { representation: 'storage', value },
        version: { number: page.version.number + 1, message }
      }
    })
    return answer.body
  }
}
