/**
 * The loopback HTTP server every simulator is built on: a route table, a
 * request log (for request counts in tests and benchmarks), per-route fault
 * injection (status codes, delays, dropped connections, truncated bodies) and
 * optional simulated latency. Simulators add routes; they never open sockets
 * of their own, so they all behave alike.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

export interface SimRequest {
  method: string
  path: string
  params: Record<string, string>
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  /** The raw request body (JSON, form or text). */
  body: string
  url: URL
}

export interface SimResponse {
  status?: number
  headers?: Record<string, string>
  /** Serialised as JSON. */
  json?: unknown
  text?: string
}

export type Handler = (req: SimRequest) => SimResponse | Promise<SimResponse>

export interface Fault {
  method?: string
  /** Matches the request path: a RegExp, or a prefix string. */
  path: RegExp | string
  /** How many matching requests the fault applies to (default 1; Infinity for all). */
  times?: number
  /** Answer with this status (and body, headers) instead of the route. */
  status?: number
  json?: unknown
  text?: string
  headers?: Record<string, string>
  /** Wait before answering (or before dropping). */
  delayMs?: number
  /** Destroy the connection without an answer. */
  drop?: boolean
  /** Send the route's real answer with a cut body (the declared length stays the full length). */
  truncate?: boolean
}

export interface LoggedRequest {
  method: string
  path: string
  query: string
  status: number
}

interface Route {
  method: string
  pattern: RegExp
  names: string[]
  handler: Handler
}

export class SimServer {
  readonly requests: LoggedRequest[] = []
  /** Added to every answer, to model network latency in benchmarks. */
  latencyMs = 0
  /** The answer for a path no route matches; simulators set the system's own 404 body. */
  notFound: Handler = () => ({ status: 404, json: { message: 'Not Found' } })
  /** Headers the system puts on every answer (routes, errors, injected faults); a route's own win. */
  answerHeaders: () => Record<string, string> = () => ({})
  private readonly routes: Route[] = []
  private readonly faults: Array<Fault & { remaining: number }> = []
  private server?: http.Server
  private origin = ''

  /** Registers a route. `:name` segments become params; a trailing `*` matches the rest. */
  route(method: string, path: string, handler: Handler): this {
    const names: string[] = []
    const source = path
      .split('/')
      .map((segment) => {
        if (segment.startsWith(':')) {
          names.push(segment.slice(1))
          return '([^/]+)'
        }
        if (segment === '*') {
          names.push('rest')
          return '(.*)'
        }
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      })
      .join('/')
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), names, handler })
    return this
  }

  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  /** Requests whose path matches, for assertions and benchmark counts. */
  count(path?: RegExp): number {
    return path ? this.requests.filter((r) => path.test(r.path)).length : this.requests.length
  }

  get url(): string {
    return this.origin
  }

  async start(): Promise<string> {
    this.server = http.createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        res.statusCode = 500
        res.end(JSON.stringify({ message: `simulator error: ${String(error)}` }))
      })
    })
    this.server.keepAliveTimeout = 1_000
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve))
    const { port } = this.server.address() as AddressInfo
    this.origin = `http://127.0.0.1:${port}`
    return this.origin
  }

  async stop(): Promise<void> {
    if (!this.server) return
    this.server.closeAllConnections()
    await new Promise<void>((resolve) => this.server!.close(() => resolve()))
    this.server = undefined
  }

  private takeFault(method: string, path: string): Fault | undefined {
    const fault = this.faults.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (typeof f.path === 'string' ? path.startsWith(f.path) : f.path.test(path))
    )
    if (fault) fault.remaining--
    return fault
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const url = new URL(req.url ?? '/', this.origin)
    const method = (req.method ?? 'GET').toUpperCase()
    const path = decodeURIComponent(url.pathname)
    const log: LoggedRequest = { method, path, query: url.search, status: 0 }
    this.requests.push(log)
    if (this.latencyMs > 0) await delay(this.latencyMs)

    const fault = this.takeFault(method, path)
    if (fault?.delayMs) await delay(fault.delayMs)
    if (fault?.drop) {
      log.status = -1
      req.socket.destroy()
      return
    }

    let answer: SimResponse
    if (fault?.status !== undefined) {
      answer = { status: fault.status, json: fault.json, text: fault.text, headers: fault.headers }
    } else {
      answer = await this.dispatch(method, path, {
        method,
        path,
        params: {},
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        url
      })
      if (fault?.headers) answer.headers = { ...answer.headers, ...fault.headers }
    }
    const status = answer.status ?? 200
    log.status = status
    const text = answer.text ?? (answer.json === undefined ? '' : JSON.stringify(answer.json))
    const headers: Record<string, string> = { ...this.answerHeaders(), ...answer.headers }
    if (answer.text === undefined && answer.json !== undefined)
      headers['content-type'] ??= 'application/json; charset=utf-8'
    const bytes = Buffer.from(text, 'utf8')
    if (fault?.truncate) {
      res.writeHead(status, { ...headers, 'content-length': String(bytes.length) })
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)))
      req.socket.destroy()
      return
    }
    res.writeHead(status, { ...headers, 'content-length': String(bytes.length) })
    res.end(bytes)
  }

  private async dispatch(method: string, path: string, req: SimRequest): Promise<SimResponse> {
    for (const route of this.routes) {
      if (route.method !== method) continue
      const match = route.pattern.exec(path)
      if (!match) continue
      route.names.forEach((name, i) => (req.params[name] = match[i + 1] ?? ''))
      return route.handler(req)
    }
    return this.notFound(req)
  }
}
