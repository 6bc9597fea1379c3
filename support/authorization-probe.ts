/**
 * An authorization request sent without the browser: a server that refuses it outright (an
 * unknown scope, say) redirects to the client at once, so the refusal costs no login. A request
 * that leads to a login page has no outcome here; the check then asks the browser.
 */
import { buildAuthorizationRequest, parseAuthorizationRedirect, redirectTarget, type AuthorizationOutcome, type AuthorizationRequest, type AuthorizationRequestOptions } from './authorization-request.ts';
import type { SuiteConfig } from './config.ts';
import { headerValue, send, type Exchange } from './http.ts';

export interface AuthorizationProbe {
  request: AuthorizationRequest;
  exchange: Exchange;
  /** The redirect to the client, when the server answered with one straight away. */
  outcome?: AuthorizationOutcome;
}

export async function probeAuthorization(config: SuiteConfig, options: AuthorizationRequestOptions = {}): Promise<AuthorizationProbe> {
  const request = await buildAuthorizationRequest(config, options);
  const exchange = await send({ url: request.url, headers: { accept: 'text/html' } });
  const location = headerValue(exchange.response, 'location');
  const status = exchange.response.status;
  if (status < 300 || status >= 400 || !location) return { request, exchange };
  const to = new URL(location, request.url).toString();
  return { request, exchange, outcome: redirectTarget(to) === redirectTarget(request.redirectUri) ? parseAuthorizationRedirect(to, false) : undefined };
}
