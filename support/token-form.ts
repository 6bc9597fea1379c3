/**
 * A token request with a form of the check's own making: parameters the token endpoint's helpers
 * never send on purpose, such as a client_id in the body or no client authentication at all.
 */
import { clientBasicAuth } from './client-auth.ts';
import type { SuiteConfig } from './config.ts';
import { send, type Exchange } from './http.ts';

/** `authorization`: the header to send; omitted, the configured client's Basic credentials; null, none. */
export function tokenRequest(config: SuiteConfig, form: Record<string, string | undefined>, authorization?: string | null): Promise<Exchange> {
  const header = authorization === undefined ? clientBasicAuth(config.clientId, config.clientSecret) : authorization;
  return send({ url: config.tokenUrl, headers: header === null ? {} : { authorization: header }, form });
}
