/**
 * Redirect URIs that differ from the registered one (RFC 9700 §4.1, RFC 6749 §3.1.2.3), and
 * whether an authorization server's redirect went to the URI a request offered.
 */
import { isIP } from 'node:net';
import { buildAuthorizationRequest, parseAuthorizationRedirect, type AuthorizationRequestOptions } from './authorization-request.ts';
import { BrowserFlowError, LoginError, type AuthorizeOptions, type ErrorPage } from './browser/driver.ts';
import type { CheckContext } from './check.ts';
import type { SuiteConfig } from './config.ts';
import { headerValue, send, TransportError, type HttpResponse } from './http.ts';

export interface RedirectVariant {
  name: string;
  uri: string;
  /** Under the loopback rule (RFC 8252 §7.3) a different port is the same registration. */
  mustSucceed?: boolean;
}

/** A host that never resolves (RFC 6761): a foreign redirect target nothing can answer. */
export const FOREIGN_HOST = 'attacker.invalid';

export function isLoopback(uri: string): boolean {
  const host = new URL(uri).hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

/** Every near miss of `registered` that exact matching must refuse. */
export function redirectVariants(registered: string): RedirectVariant[] {
  const url = new URL(registered);
  const loopback = isLoopback(registered);
  const { protocol, host, hostname, pathname, search } = url;
  const at = (changes: Partial<Pick<URL, 'protocol' | 'port' | 'pathname' | 'search' | 'hostname'>>) => Object.assign(new URL(registered), changes).href;
  const port = Number(url.port || (protocol === 'https:' ? 443 : 80));
  const variants: RedirectVariant[] = [
    { name: 'an extra query parameter', uri: at({ search: `${search ? `${search}&` : '?'}extra=1` }) },
    { name: 'a trailing slash', uri: at({ pathname: pathname.endsWith('/') ? pathname.slice(0, -1) || '/x' : `${pathname}/` }) },
    { name: 'another port', uri: at({ port: String(port === 8443 ? 8444 : 8443) }), mustSucceed: loopback },
    { name: 'user-info before a foreign host', uri: `${protocol}//${host}@${FOREIGN_HOST}${pathname}${search}` },
    { name: 'an encoded path traversal', uri: at({ pathname: `${pathname.replace(/\/$/, '')}/..%2F..%2Fother` }) },
  ];
  if (search) variants.push({ name: 'a changed query', uri: at({ search: `${search}x` }) });
  if (protocol === 'https:' && !loopback) variants.push({ name: 'the http: scheme', uri: at({ protocol: 'http:' }) });
  if (/[a-z]/.test(pathname)) variants.push({ name: 'a change of case in the path', uri: at({ pathname: pathname.toUpperCase() }) });
  if (!isIP(hostname) && hostname !== 'localhost') variants.push({ name: 'a subdomain', uri: at({ hostname: `evil.${hostname}` }) });
  return variants;
}

/** The redirect went to `offered`: same origin (user-info included) and path, and its query kept. */
export function redirectedToOffered(redirectedTo: string, offered: string): boolean {
  const to = new URL(redirectedTo);
  const want = new URL(offered);
  if (to.origin !== want.origin || to.username !== want.username || to.pathname !== want.pathname) return false;
  return [...want.searchParams].every(([name, value]) => to.searchParams.getAll(name).includes(value));
}

/** The origin of a URI, for the browser's redirect trap. */
export const originOf = (uri: string): string => new URL(uri).origin;

/** What became of a request the AS should refuse. */
export interface RefusalProbe {
  /** Where the AS sent the browser, if it redirected to a trapped origin. */
  redirectedTo?: string;
  errorPage?: ErrorPage;
  /** The flow stopped on a page that was neither an error status nor a login or consent screen. */
  stoppedOnPage?: boolean;
  /** The state the request carried. */
  state?: string;
}

/** Whether `url` goes to one of `origins`, as the browser's redirect trap sees it (user-info ignored). */
function toTrappedOrigin(url: string, origins: readonly string[]): boolean {
  const { protocol, host } = new URL(url);
  return origins.some((origin) => originOf(origin) === `${protocol}//${host}`);
}

/**
 * The request's first answer over HTTP, when it settles the probe as the browser would: an error
 * status (the browser's error page) or a redirect to a trapped origin. A server that refuses at once
 * costs no browser authorization this way; anything else (a login page, a redirect inside the AS)
 * needs the browser, which starts the request anew.
 */
async function firstAnswer(config: SuiteConfig, options: AuthorizationRequestOptions, origins: readonly string[]): Promise<RefusalProbe | undefined> {
  const request = await buildAuthorizationRequest(config, options);
  let response: HttpResponse;
  try {
    ({ response } = await send({ url: request.url, headers: { accept: 'text/html' } }));
  } catch (error) {
    // No answer over HTTP (a reset connection, say) settles nothing: the browser is asked.
    if (error instanceof TransportError) return undefined;
    throw error;
  }
  // The page's text stays in the recorded exchange; a probe's verdict reads only the status.
  if (response.status >= 400) return { errorPage: { status: response.status, text: '' }, state: request.state };
  const location = headerValue(response, 'location');
  if (response.status < 300 || !location) return undefined;
  const to = new URL(location, request.url).toString();
  if (!toTrappedOrigin(to, [request.redirectUri, ...origins])) return undefined;
  // Parsed so that a code or token it carries is known as a secret before anything is written.
  return { redirectedTo: parseAuthorizationRedirect(to, false).redirectedTo, state: request.state };
}

/**
 * Offers an authorization request the AS should refuse. Over HTTP first (see firstAnswer), unless
 * the error page must be seen (`errorScreenshot`); else in the browser: should the request go as
 * far as the consent screen, the probe denies, so no code is issued; any navigation to `origins`
 * is captured.
 */
export async function offerRequest(t: Pick<CheckContext, 'config' | 'authorize'>, options: AuthorizationRequestOptions & AuthorizeOptions, origins: readonly string[]): Promise<RefusalProbe> {
  if (!options.errorScreenshot) {
    const answer = await firstAnswer(t.config, options, origins);
    if (answer) return answer;
  }
  try {
    const flow = await t.authorize({ decision: 'deny', ...options, trapOrigins: origins });
    return { redirectedTo: flow.outcome?.redirectedTo, errorPage: flow.errorPage, state: flow.request.state };
  } catch (error) {
    if (error instanceof BrowserFlowError && !(error instanceof LoginError)) return { stoppedOnPage: true };
    throw error;
  }
}
