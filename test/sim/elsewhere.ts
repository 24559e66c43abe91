/**
 * Hosts other than the system's own. `startElsewhere` is a second listener on
 * another port, so another origin: where a redirect points when a test checks
 * that credentials stay on their host; it answers everything and records every
 * request that reaches it, headers and body. `closedPort` is where nobody listens.
 */
import { SimServer, type SimRequest } from './server.js'

export interface Elsewhere {
  sim: SimServer
  received: SimRequest[]
  url: string
  stop(): Promise<void>
}

export async function startElsewhere(): Promise<Elsewhere> {
  const sim = new SimServer()
  const received: SimRequest[] = []
  const record = (req: SimRequest) => {
    received.push(req)
    return { json: { stolen: true } }
  }
  sim.route('GET', '/*', record).route('POST', '/*', record)
  const url = await sim.start()
  return { sim, received, url, stop: () => sim.stop() }
}

/** The URL of a loopback port nothing listens on (a server started and stopped again): connections are refused. */
export async function closedPort(): Promise<string> {
  const sim = new SimServer()
  const url = await sim.start()
  await sim.stop()
  return url
}
