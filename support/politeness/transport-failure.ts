/**
 * What went wrong when no answer came: named for a person (a TLS problem as TLS, a name that does
 * not resolve as DNS) and classified by whether the request may have reached the server, which
 * decides whether repeating it is safe.
 */

export type FailureKind =
  /** The connection was never made: nothing was sent, any request may be repeated. */
  | 'refused' | 'connect-timeout' | 'dns-transient'
  /** The request may have reached the server: only a safe request may be repeated. */
  | 'reset' | 'timeout'
  /** Repeating cannot help. */
  | 'dns' | 'tls' | 'other';

export interface TransportFailure {
  kind: FailureKind;
  /** The error code (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, CERT_HAS_EXPIRED …), if any. */
  code?: string;
  /** A short explanation for a person. */
  text: string;
}

function codeOf(error: unknown): string | undefined {
  const e = error as { code?: unknown; cause?: { code?: unknown }; errors?: Array<{ code?: unknown }> } | undefined;
  const code = e?.code ?? e?.cause?.code ?? e?.errors?.[0]?.code;
  return typeof code === 'string' ? code : undefined;
}

const TLS_CODE = /CERT|SSL|TLS|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^EPROTO$|HOSTNAME_MISMATCH/;

export function transportFailure(error: unknown): TransportFailure {
  const code = codeOf(error);
  const message = (error as Error)?.message ?? String(error);
  const named = (kind: FailureKind, text: string): TransportFailure => ({ kind, code, text: code ? `${text} (${code})` : text });
  switch (code) {
    case 'ECONNREFUSED': return named('refused', 'the connection was refused');
    case 'UND_ERR_CONNECT_TIMEOUT': case 'ETIMEDOUT': return named('connect-timeout', 'no connection could be made in time');
    case 'EAI_AGAIN': return named('dns-transient', 'the host name could not be resolved for now');
    case 'ENOTFOUND': case 'EAI_NONAME': case 'EAI_FAIL': return named('dns', 'the host name does not resolve (DNS)');
    case 'ECONNRESET': case 'EPIPE': case 'UND_ERR_SOCKET': case 'UND_ERR_CLOSED': return named('reset', 'the connection was closed before the answer was complete');
    case 'UND_ERR_HEADERS_TIMEOUT': case 'UND_ERR_BODY_TIMEOUT': return named('timeout', 'no complete answer in time (PLEO_HTTP_TIMEOUT_MS)');
  }
  // OpenSSL's own messages carry their reason between colons ("…:SSL routines:ssl3_get_record:wrong version number:…").
  if (code && TLS_CODE.test(code)) return named('tls', `TLS error: ${/routines:[^:]*:([^:]+):/.exec(message)?.[1] ?? message.split('\n')[0]}`);
  return named('other', message.split('\n')[0]);
}

/** How often a failure of each kind is repeated: safe requests (GET, HEAD) only where the request may have arrived. */
export function transportRetries(kind: FailureKind, method: string): number {
  const safe = method === 'GET' || method === 'HEAD';
  switch (kind) {
    case 'refused': case 'dns-transient': return 2;
    case 'connect-timeout': return 1;
    case 'reset': return safe ? 2 : 0;
    case 'timeout': return safe ? 1 : 0;
    default: return 0;
  }
}
