/**
 * Tells a network failure that a wrong setting causes (nobody listens there,
 * the name does not resolve, TLS does not match) from one that passes (a
 * dropped connection). Retrying the first kind five times only delays the
 * message that says which setting to fix.
 */

export interface NetworkFailure {
  /** Short and secret-free: "connection refused", "host not found", "TLS: certificate has expired". */
  reason: string
  /** True when retrying will not help: the URL (or the network path to it) is wrong. */
  configuration: boolean
}

const CONFIGURATION_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'DNS lookup failed',
  EAI_FAIL: 'DNS lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable'
}

/** Node's certificate verification codes (`tls` uses OpenSSL's names) and its own `ERR_TLS_*`. */
const CERTIFICATE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^ERR_TLS_/

interface SystemError {
  code?: unknown
  message?: unknown
  cause?: unknown
  errors?: unknown
}

/** The innermost error with a code: fetch wraps it in a TypeError, happy eyeballs in an AggregateError. */
function rootCause(error: unknown): { code?: string; message: string } {
  let current = error as SystemError | undefined
  let found: { code?: string; message: string } = { message: String(error) }
  for (let depth = 0; current && typeof current === 'object' && depth < 5; depth++) {
    const message = typeof current.message === 'string' ? current.message : found.message
    if (typeof current.code === 'string') return { code: current.code, message }
    found = { message }
    current = (current.cause ?? (Array.isArray(current.errors) ? current.errors[0] : undefined)) as
      SystemError | undefined
  }
  return found
}

export function classifyNetworkFailure(error: unknown): NetworkFailure {
  const { code, message } = rootCause(error)
  const firstLine = message.split('\n')[0]!.slice(0, 100)
  if (code && CONFIGURATION_CODES[code]) return { reason: CONFIGURATION_CODES[code], configuration: true }
  // Speaking TLS to a plain-HTTP port (or the reverse) ends in an OpenSSL record error.
  if (code?.startsWith('ERR_SSL_')) return { reason: 'TLS handshake failed', configuration: true }
  if (code && CERTIFICATE.test(code)) return { reason: `TLS: ${firstLine}`, configuration: true }
  // fetch refuses ports browsers block (25, 6000...) before connecting.
  if (message === 'bad port') return { reason: 'port not allowed by fetch', configuration: true }
  return { reason: code ?? firstLine, configuration: false }
}
