/**
 * TLS handshakes made by hand (node:tls), for what an HTTP client hides: whether a server still
 * completes a handshake capped at TLS 1.1, and whether its certificate chain and name verify.
 */
import { isIP } from 'node:net';
import { connect, type ConnectionOptions } from 'node:tls';

export interface TlsEndpoint {
  host: string;
  port: number;
  timeoutMs: number;
}

export function tlsEndpointOf(url: string, timeoutMs: number): TlsEndpoint {
  const { hostname, port } = new URL(url);
  return { host: hostname.replace(/^\[|\]$/g, ''), port: Number(port || 443), timeoutMs };
}

/** One handshake: resolves with the socket's verdict, or undefined when it did not complete. */
function handshake({ host, port, timeoutMs }: TlsEndpoint, options: ConnectionOptions): Promise<{ authorized: boolean; error?: string } | undefined> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, ...options }, () => {
      resolve({ authorized: socket.authorized, error: socket.authorizationError?.toString() });
      socket.end();
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.on('error', () => resolve(undefined));
  });
}

/** Whether the server completes a handshake capped at TLS 1.1 (RFC 8996 deprecates TLS 1.0 and 1.1). */
export async function acceptsLegacyTls(endpoint: TlsEndpoint): Promise<boolean> {
  // SECLEVEL=0: OpenSSL 3 would otherwise refuse to offer TLS 1.1 itself, and prove nothing.
  return (await handshake(endpoint, { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' })) !== undefined;
}

/** Why the server's certificate does not verify for its name (undefined: it does). */
export async function certificateProblem(endpoint: TlsEndpoint): Promise<string | undefined> {
  const result = await handshake(endpoint, {});
  if (!result) return 'no TLS handshake completed';
  return result.authorized ? undefined : (result.error ?? 'the chain did not verify');
}
