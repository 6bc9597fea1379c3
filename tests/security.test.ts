/** SEC: cross-cutting security of the authorization server and the API (RFC 6749 §10, RFC 9700). */
import { randomBytes, randomUUID } from 'node:crypto';
import { isIP } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildAuthorizationRequest } from '../support/authorization-request.ts';
import { check, type CheckContext } from '../support/check.ts';
import { clientBasicAuth } from '../support/client-auth.ts';
import { headerValue, send, TransportError, type Exchange } from '../support/http.ts';
import { seeing429s } from '../support/politeness/index.ts';
import { registerSecret } from '../support/secrets.ts';
import {
  bruteForceDefence, redirectTargetOf, reflectsMarkup, retryAfterSeconds, shannonBits, stackTraceIn, unpredictablePart, type Attempt,
} from '../support/security-probes.ts';
import type { APIRequestContext, APIResponse } from 'playwright';
import { loginFormOf, type FormField, type SubmittedForm } from '../support/browser/consent-form.ts';
import { recordEvidence } from '../support/evidence.ts';
import { browserDriver, loginFlow } from '../support/target.ts';
import { acceptsLegacyTls, certificateProblem, tlsEndpointOf } from '../support/tls-probe.ts';
import { demand, describeResponse, errorOf, precondition } from '../support/verdicts.ts';

/** A host no registration can hold (RFC 2606): a redirect there is an open redirect. */
const FOREIGN_HOST = 'open-redirect.example';
const FOREIGN_URI = `https://${FOREIGN_HOST}/callback`;

/** A GET of the authorization endpoint without a browser: the first answer, redirects not followed. */
function authorizeGet(url: string, params: Record<string, string>): Promise<Exchange> {
  const target = new URL(url);
  for (const [name, value] of Object.entries(params)) target.searchParams.set(name, value);
  return send({ url: target.href, headers: { accept: 'text/html' } });
}

const isLoopback = (url: string) => /^(localhost|127(\.\d+){3}|\[::1\])$/.test(new URL(url).hostname);

check('SEC-01', 'every endpoint is served over TLS 1.2 or newer', { level: 'MUST', refs: ['RFC6749-1.6', 'RFC6749-3.1', 'RFC6749-3.2', 'RFC6750-5.2', 'RFC8996-2'] }, async (t) => {
  const urls = [t.config.authorizeUrl, t.config.tokenUrl, t.config.apiUrl, t.config.introspectUrl, t.config.revocationUrl].filter((url): url is string => Boolean(url));
  const plain = urls.filter((url) => new URL(url).protocol === 'http:');
  demand(plain.every(isLoopback), 'every endpoint must be served over TLS (RFC 6749 §1.6, §3.1, §3.2; RFC 6750 §5.2)', 'https: URLs', plain.filter((url) => !isLoopback(url)));
  precondition(!plain.length, 'the target is served over plain HTTP on loopback (a local test server): the TLS parts do not apply');
  for (const origin of new Set(urls.map((url) => new URL(url).origin))) {
    const endpoint = tlsEndpointOf(origin, t.config.httpTimeoutMs);
    demand(!(await acceptsLegacyTls(endpoint)), `${origin} must refuse TLS 1.1 and older (RFC 8996 §2, §3)`, 'the handshake refused', 'a TLS 1.1 handshake completed');
    const problem = await certificateProblem(endpoint);
    demand(!problem, `${origin} must present a certificate that verifies for its name (RFC 6749 §1.6)`, 'a trusted chain', problem);
  }
  const overHttp = (url: string, request: Omit<Parameters<typeof send>[0], 'url'>) => {
    const plain = new URL(url);
    plain.protocol = 'http:';
    return send({ ...request, url: plain.href }).catch((error: unknown) => (error instanceof TransportError ? undefined : Promise.reject(error)));
  };
  // Processed = answered in full (2xx), or sent on within plain http; a redirect to https is the right answer.
  const processed = (exchange: Exchange | undefined) => exchange !== undefined && (exchange.response.status < 300 || (exchange.response.status < 400 && !redirectTargetOf(exchange)?.startsWith('https:')));
  const token = await overHttp(t.config.tokenUrl, { headers: { authorization: clientBasicAuth(randomUUID(), registerSecret(randomBytes(24).toString('base64url'), 'secret')) }, form: { grant_type: 'authorization_code', code: randomBytes(24).toString('base64url') } });
  demand(!processed(token), 'a token request over plain HTTP must not be processed (RFC 6749 §3.2)', 'no answer, a redirect to https or a refusal', token && describeResponse(token));
  // A valid request, so that a server that serves http answers it with its login page (or a redirect to it).
  const page = await overHttp((await buildAuthorizationRequest(t.config)).url, { headers: { accept: 'text/html' } });
  demand(!processed(page), 'the authorization endpoint must not be served over plain HTTP (RFC 6749 §3.1)', 'no answer, a redirect to https or a refusal', page && describeResponse(page));
  const secure = await send({ url: t.config.authorizeUrl, headers: { accept: 'text/html' } });
  t.should(headerValue(secure.response, 'strict-transport-security'), 'the authorization server\'s pages should carry HSTS (RFC 6797 §7.1; RFC 9700 §4)', 'a Strict-Transport-Security header', '(absent)');
});

check('SEC-02', 'codes and tokens are unguessable', { level: 'MUST', refs: ['RFC6749-10.10', 'RFC6749-10.5', 'RFC6749-A'] }, async (t) => {
  const { flow, tokens } = await t.shared();
  const live = await t.live();
  const issued = [flow.outcome?.code, tokens?.accessToken, tokens?.refreshToken].filter(Boolean);
  demand(new Set(issued).size === issued.length, 'a code and the tokens issued for it must differ (RFC 6749 §10.10)', 'distinct values', `${issued.length - new Set(issued).size} repeated`);
  const seen = new Map<string, string>(); // value → what it is: the live family may still hold the fixture's tokens
  for (const [what, value] of [['code', flow.outcome?.code], ['access token', tokens?.accessToken], ['refresh token', tokens?.refreshToken],
    ['live access token', live?.accessToken], ['live refresh token', live?.refreshToken]] as const) {
    if (value && !seen.has(value)) seen.set(value, what);
  }
  precondition(seen.size, 'the run\'s fixture exchange issued no code or token to judge (see AZ-01, TK-01)');
  for (const [value, what] of seen) {
    demand(/^[\x20-\x7E]+$/.test(value), `the ${what} must consist of visible ASCII characters (RFC 6749 Appendix A)`, 'VSCHAR only', `${value.length} characters, some outside %x20-7E`);
    const bits = Math.round(shannonBits(unpredictablePart(value)));
    demand(bits >= 96, `the ${what} must be unguessable (RFC 6749 §10.10; 96 bits is the floor of the estimate)`, 'a Shannon estimate of at least 96 bits', `${bits} bits in ${value.length} characters`);
    if (bits < 128) t.info(`the ${what} has a Shannon estimate of ${bits} bits, under the 128 bits of RFC 6749 §10.10`);
  }
});

// Clock skew and processing allowed after expiry before a token must be refused.
const EXPIRY_SKEW_S = 5;
// The longest wait for an access token to expire; a longer lifetime is reported, not waited out.
const MAX_WAIT_S = 65 * 60;

check('SEC-03', 'access tokens expire when expires_in says, within the lifetime policy', { level: 'MUST', refs: ['RFC6750-5.3', 'RFC9700-4.14.2', 'RFC6749-5.1'], optIn: 'slow', timeout: (MAX_WAIT_S + 120) * 1000 }, async (t) => {
  const { exchange, tokens } = await t.authorizeAndExchange();
  precondition(exchange, 'the authorization returned no code (see AZ-01)');
  precondition(tokens, `the fresh code did not redeem (${describeResponse(exchange)}; see TK-01)`);
  const body = exchange.response.json as { expires_in?: unknown; refresh_expires_in?: unknown };
  const expiresIn = typeof body.expires_in === 'number' ? body.expires_in : undefined;
  precondition(expiresIn, `the token response has no numeric expires_in (${typeof body.expires_in}): there is no announced lifetime to hold the token to (TK-02)`);
  const maxS = t.config.profile.accessTokenLifetimeMaxS;
  t.should(expiresIn <= maxS, `access tokens should be short-lived (RFC 6750 §5.3; the profile allows ${maxS} s)`, `expires_in ≤ ${maxS}`, expiresIn);
  if (body.refresh_expires_in !== undefined) t.info(`refresh tokens announce an idle lifetime: refresh_expires_in = ${JSON.stringify(body.refresh_expires_in)}`);
  precondition(expiresIn <= MAX_WAIT_S, `expires_in is ${expiresIn} s: longer than this check waits (${MAX_WAIT_S} s)`);
  const before = await t.api.probe({ bearer: tokens.accessToken });
  precondition(before.response.status < 400, `the API refused the new access token before it expired (${describeResponse(before)}; see RS-01)`);
  await sleep((expiresIn + EXPIRY_SKEW_S) * 1000);
  const after = await t.api.probe({ bearer: tokens.accessToken });
  demand(after.response.status === 401, `an access token must be refused once its expires_in has passed (RFC 6750 §3.1 invalid_token; RFC 6749 §5.1)`, `HTTP 401 after ${expiresIn} + ${EXPIRY_SKEW_S} s`, describeResponse(after));
});

check('SEC-04', 'no open redirect at the authorization server', { level: 'MUST', refs: ['RFC9700-4.11', 'RFC9700-2.1', 'RFC6749-3.1.2.4'] }, async (t) => {
  const request = { response_type: 'code', scope: t.config.scopes.join(' '), state: randomBytes(16).toString('base64url') };
  const lookalike = new URL(t.config.redirectUri);
  lookalike.hostname = `${lookalike.hostname}.${FOREIGN_HOST}`;
  const probes: Array<[string, Promise<Exchange>]> = [
    ['an unregistered redirect_uri', authorizeGet(t.config.authorizeUrl, { ...request, client_id: t.config.clientId, redirect_uri: FOREIGN_URI })],
    ['a look-alike of the registered redirect_uri', authorizeGet(t.config.authorizeUrl, { ...request, client_id: t.config.clientId, redirect_uri: lookalike.href })],
    ['an unknown client_id', authorizeGet(t.config.authorizeUrl, { ...request, client_id: randomUUID(), redirect_uri: FOREIGN_URI })],
    // Logout and "return to" endpoints are the usual open redirectors next to an AS.
    ...['/logout', '/session/end', '/oauth/logout'].map((path): [string, Promise<Exchange>] => [`GET ${path} with a foreign return address`,
      authorizeGet(`${t.config.authUrl}${path}`, { post_logout_redirect_uri: FOREIGN_URI, redirect_uri: FOREIGN_URI, redirect: FOREIGN_URI, return_to: FOREIGN_URI, next: FOREIGN_URI })]),
  ];
  for (const [what, probe] of probes) {
    const exchange = await probe;
    const target = redirectTargetOf(exchange);
    const host = target && new URL(target).hostname;
    demand(!host?.endsWith(FOREIGN_HOST), `${what}: the AS must not redirect to an address no client registered (RFC 9700 §4.11; RFC 6749 §3.1.2.4)`, 'no redirect off the registered addresses', `HTTP ${exchange.response.status} to ${target}`);
  }
});

const REFUSED_RESPONSE_TYPE = ['unsupported_response_type', 'unauthorized_client', 'invalid_request'];
const GRANT_OFF = ['unsupported_grant_type', 'unauthorized_client'];

check('SEC-05', 'the implicit and password grants are off', { level: 'MUST', refs: ['RFC9700-2.4', 'RFC9700-2.1.2', 'RFC6749-4.1.2.1', 'RFC6749-5.2'] }, async (t) => {
  const state = randomBytes(16).toString('base64url');
  const implicit = await authorizeGet(t.config.authorizeUrl, { response_type: 'token', client_id: t.config.clientId, redirect_uri: t.config.redirectUri, scope: t.config.scopes.join(' '), state });
  const target = redirectTargetOf(implicit);
  const answer = target ? new URL(target) : undefined;
  const params = answer ? new URLSearchParams(`${answer.search.slice(1)}&${answer.hash.slice(1)}`) : new URLSearchParams();
  registerSecret(params.get('access_token'), 'access token');
  t.should(!params.has('access_token'), 'the implicit grant should not issue tokens (RFC 9700 §2.1.2)', 'an error for response_type=token', `a redirect with access_token in its ${answer?.hash.includes('access_token') ? 'fragment' : 'query'}`);
  if (params.has('error')) t.should(REFUSED_RESPONSE_TYPE.includes(params.get('error')!), 'response_type=token should be refused as unsupported (RFC 6749 §4.1.2.1)', REFUSED_RESPONSE_TYPE.join(' or '), params.get('error'));
  else if (!target && implicit.response.status < 400) t.info(`response_type=token was answered with HTTP ${implicit.response.status} (a login page?): whether a token would follow was not tried`);

  const password = await send({ url: t.config.tokenUrl, headers: { authorization: clientBasicAuth(t.config.clientId, t.config.clientSecret) },
    form: { grant_type: 'password', username: `${randomUUID()}@example.invalid`, password: registerSecret(randomBytes(18).toString('base64url'), 'password'), scope: t.config.scopes.join(' ') } });
  demand(password.response.status !== 200 && errorOf(password) !== 'invalid_grant', 'the password grant must not be offered (RFC 9700 §2.4): invalid_grant means it checked the user\'s password', `HTTP 400 ${GRANT_OFF.join(' or ')}`, describeResponse(password));
  if (!GRANT_OFF.includes(errorOf(password) ?? '')) t.info(`grant_type=password got ${describeResponse(password)}: refused, but not as a grant type the server does not offer`);

  const clientCredentials = await send({ url: t.config.tokenUrl, headers: { authorization: clientBasicAuth(t.config.clientId, t.config.clientSecret) }, form: { grant_type: 'client_credentials' } });
  t.info(`grant_type=client_credentials: ${clientCredentials.response.status === 200 ? 'enabled for this client (fine if intended)' : `refused (${errorOf(clientCredentials) ?? `HTTP ${clientCredentials.response.status}`})`}`);
});

/**
 * The site of a host, roughly its registrable domain: the last two labels (an IP address is its own
 * site). Without the public-suffix list a.co.uk and b.co.uk look alike, which can only miss a finding.
 */
const siteOf = (url: string) => {
  const host = new URL(url).hostname;
  return isIP(host.replace(/^\[|\]$/g, '')) ? host : host.split('.').slice(-2).join('.');
};
/** Whether a URL holds a value, as it is or percent-encoded inside another URL. */
const urlHolds = (url: string, value: string) => url.includes(value) || url.includes(encodeURIComponent(value));

check('SEC-06', 'the browser leg loads nothing from third parties and shows no code or token in other URLs', { level: 'SHOULD', refs: ['RFC9700-4.2.4', 'RFC9700-4.3'] }, async (t) => {
  const { flow, tokens } = await t.shared();
  const flows = [flow, await loginFlow()];
  const asSites = new Set([t.config.authUrl, t.config.authorizeUrl, t.config.issuer].map(siteOf));
  const clientOrigin = new URL(flow.request.redirectUri).origin;
  const requests = flows.flatMap((f) => f.requests);
  const fromAs = requests.filter((r) => !r.navigation && /^https?:/.test(r.documentUrl) && asSites.has(siteOf(r.documentUrl)));
  const thirdParty = [...new Set(fromAs.filter((r) => /^https?:/.test(r.url) && !asSites.has(siteOf(r.url))).map((r) => `${r.resourceType} from ${new URL(r.url).origin}`))];
  t.should(!thirdParty.length, 'the authorization server\'s pages should load no third-party resources: they would see the pages\' URLs in Referer (RFC 9700 §4.2.4)', 'only the authorization server\'s own origins', thirdParty);

  const secrets: Array<[string, string | undefined]> = [['the code', flow.outcome?.code], ['the access token', tokens?.accessToken], ['the refresh token', tokens?.refreshToken]];
  // The authorization response itself carries the code by design; any other URL that does leaks it.
  const elsewhere = requests.filter((r) => !(r.navigation && new URL(r.url).origin === clientOrigin));
  const leaks = secrets.flatMap(([what, value]) => (value ? elsewhere.filter((r) => urlHolds(r.url, value)).map((r) => `${what} in ${r.method} ${new URL(r.url).origin}${new URL(r.url).pathname}`) : []));
  t.should(!leaks.length, 'no code or token should appear in any URL of the flow but the redirect to the client: URLs end up in history, logs and Referer (RFC 9700 §4.2, §4.3)', 'none', leaks);

  const pages = flows.flatMap((f) => f.pages.map((page) => ({ ...page, header: f.documents.find((d) => d.url === page.url)?.headers['referrer-policy'] })))
    .filter((page) => asSites.has(siteOf(page.url)));
  const policies = pages.map((page) => `${new URL(page.url).pathname.replace(/\/[\w-]{16,}/g, '/…')}: ${page.header ? `Referrer-Policy: ${page.header}` : page.metaReferrer ? `<meta name="referrer" content="${page.metaReferrer}">` : 'none'}`);
  t.info(`referrer policy of the authorization server's pages (RFC 9700 §4.2.4): ${policies.length ? [...new Set(policies)].join('; ') : 'no page was seen'}`);
});

/** Redirects followed by hand, so that the one to the client is seen and not followed. */
const MAX_HOPS = 10;

interface Submission {
  /** The code the redirects ended with at the client, if any. */
  code?: string;
  /** The last answer when the redirects did not reach the client. */
  final?: APIResponse;
  trail: string[];
}

/** Submits a form (or a variant of it) in a browser context, and follows the redirects up to the client. */
async function submit(http: APIRequestContext, form: SubmittedForm, fields: FormField[], redirectUri: string, timeout: number): Promise<Submission> {
  const data = new URLSearchParams(fields.map(({ name, value }) => [name, value])).toString();
  let response = form.method === 'get'
    ? await http.get(`${form.action}${form.action.includes('?') ? '&' : '?'}${data}`, { maxRedirects: 0, timeout })
    : await http.post(form.action, { data, headers: { 'content-type': 'application/x-www-form-urlencoded' }, maxRedirects: 0, timeout });
  const trail = [`${form.method.toUpperCase()} ${form.action} → ${response.status()}`];
  for (let hop = 0; hop < MAX_HOPS; hop++) {
    const location = response.headers().location;
    if (response.status() < 300 || response.status() >= 400 || !location) break;
    const next = new URL(location, response.url());
    if (next.href.startsWith(redirectUri)) {
      const code = registerSecret(next.searchParams.get('code') ?? undefined, 'code');
      return { code, trail: [...trail, `→ the client${code ? ' with a code' : next.searchParams.has('error') ? ` with error=${next.searchParams.get('error')}` : ''}`] };
    }
    response = await http.get(next.href, { maxRedirects: 0, timeout });
    trail.push(`GET ${next.origin}${next.pathname} → ${response.status()}`);
  }
  return { final: response, trail };
}

/** Past the login: a code, or a page that asks for no password any more (the consent screen). */
async function loggedIn({ code, final }: Submission): Promise<boolean> {
  if (code) return true;
  if (!final || final.status() !== 200) return false;
  return !/type\s*=\s*["']?password/i.test(await final.text());
}

/** Login CSRF: the login form without its hidden fields must not log in (a forged login into the attacker's account). */
async function probeLoginForm(t: CheckContext, http: APIRequestContext, timeout: number): Promise<void> {
  const request = await buildAuthorizationRequest(t.config);
  const page = await http.get(request.url, { timeout });
  const form = page.ok() ? loginFormOf(await page.text(), page.url(), t.config.login) : undefined;
  if (!form?.fields.some((f) => f.hidden)) return t.info(`no HTML login form with hidden fields was found without a browser (HTTP ${page.status()}; a script-driven screen?): login CSRF was not probed`);
  const forged = await submit(http, form, form.fields.filter((field) => !field.hidden), request.redirectUri, timeout);
  recordEvidence({ title: 'browser context: the login form without its hidden (anti-CSRF) fields', text: forged.trail.join('\n') });
  demand(!(await loggedIn(forged)), 'the login form without its hidden (anti-CSRF) fields must not log in: a forged login puts the user in another account (RFC 6749 §10.12)', 'the login refused', forged.trail.join(', '));
  const genuine = await submit(http, form, form.fields, request.redirectUri, timeout);
  recordEvidence({ title: 'browser context: the login form as the page submits it', text: genuine.trail.join('\n') });
  if (!(await loggedIn(genuine))) t.info(`the login form, submitted unchanged without a browser, did not log in either (${genuine.trail.join(', ')}): the refusal of the forged login proves little`);
}

check('SEC-07', 'a forged login or consent (another browser, no anti-CSRF value, a GET) gets no further', { level: 'MUST', refs: ['RFC6749-10.12', 'RFC9700-4.7'] }, async (t) => {
  // prompt=consent: a server that remembers consent shows the screen again.
  const flow = await t.authorize({ stopAtConsent: true, params: { prompt: 'consent' } });
  precondition(flow.consentShown, 'no consent screen was shown, so there is no consent form to forge');
  const driver = await browserDriver();
  const form = await driver.consentForm();
  precondition(form, 'the consent screen has no HTML form with an Allow button (a script-driven screen?): nothing to replay');
  const visible = form.fields.filter((field) => !field.hidden);
  // Two new browser contexts: one forges a login, the other replays the consent without the user's cookies.
  const [loginBrowser, other] = await Promise.all([driver.withoutSession(), driver.withoutSession()]);
  const timeout = t.config.httpTimeoutMs;
  try {
    await probeLoginForm(t, loginBrowser.http, timeout);
    const forgeries: Array<[string, APIRequestContext, SubmittedForm, FormField[]]> = [
      ['the consent form replayed from another browser (without the user\'s cookies)', other.http, form, form.fields],
      ['the consent form without its hidden (anti-CSRF) fields', driver.http, form, visible],
      ['a GET of the consent form\'s action that approves, without its hidden fields', driver.http, { ...form, method: 'get' }, visible],
    ];
    for (const [what, http, variant, fields] of forgeries) {
      const { code, trail } = await submit(http, variant, fields, flow.request.redirectUri, timeout);
      recordEvidence({ title: `browser context: ${what}`, text: trail.join('\n') });
      demand(!code, `${what} must be refused: consent is bound to the user's browser and an anti-CSRF value (RFC 6749 §10.12)`, 'no code issued', trail.join(', '));
    }
    // The same form, unchanged and from its own browser: proves the forgeries were refused for what they lacked.
    const genuine = await submit(driver.http, form, form.fields, flow.request.redirectUri, timeout);
    recordEvidence({ title: 'browser context: the consent form as the page submits it', text: genuine.trail.join('\n') });
    precondition(genuine.code, `the consent form, submitted unchanged from the user's browser, issued no code either (${genuine.trail.join(', ')}): the refusals prove nothing (a script-driven form, or a server that ends the interaction after a bad attempt)`);
  } finally {
    await Promise.all([loginBrowser.close(), other.close()]);
  }
});

const MARKUP = '"><script>alert(1)</script>';
const INJECTED_HEADER = 'X-Conformance-Injected';
const CRLF = `\r\n${INJECTED_HEADER}: 1`;

check('SEC-08', 'error pages and messages escape input and leak nothing', { level: 'SHOULD', refs: ['RFC6749-4.1.2.1', 'RFC6749-5.2', 'RFC9700-4.11'] }, async (t) => {
  const request = { response_type: 'code', client_id: t.config.clientId, state: `${MARKUP}${CRLF}`, code_challenge: randomBytes(32).toString('base64url'), code_challenge_method: 'S256' };
  const probes: Array<[string, Exchange]> = [
    ['an unknown scope and a hostile state', await authorizeGet(t.config.authorizeUrl, { ...request, redirect_uri: t.config.redirectUri, scope: `${t.config.scopes[0]} ${MARKUP}${CRLF}` })],
    ['a hostile redirect_uri (an error page)', await authorizeGet(t.config.authorizeUrl, { ...request, redirect_uri: `https://${FOREIGN_HOST}/${MARKUP}${CRLF}`, scope: t.config.scopes.join(' ') })],
    ['a hostile grant_type and scope at the token endpoint', await send({ url: t.config.tokenUrl, headers: { authorization: clientBasicAuth(t.config.clientId, t.config.clientSecret) }, form: { grant_type: `${MARKUP}${CRLF}`, scope: MARKUP } })],
  ];
  for (const [what, exchange] of probes) {
    const { status, text, contentType } = exchange.response;
    t.should(status < 500, `${what}: bad input should get a client error, not a server error (RFC 6749 §5.2)`, 'HTTP 4xx or a redirect', describeResponse(exchange));
    t.should(headerValue(exchange.response, INJECTED_HEADER) === undefined, `${what}: a CR LF in a parameter should not reach the response headers`, `no ${INJECTED_HEADER} header`, `${INJECTED_HEADER}: ${headerValue(exchange.response, INJECTED_HEADER)}`);
    t.should(!reflectsMarkup(text, contentType, MARKUP), `${what}: input should be escaped on the page (OWASP: reflected XSS)`, 'the markup shown as text', 'the markup reflected as HTML');
    t.should(!stackTraceIn(text), `${what}: an error should not show a stack trace or internal paths (OWASP: improper error handling)`, 'no stack trace', stackTraceIn(text));
  }
});

/** Failed attempts per surface: enough to meet a typical limit, few enough for any staging budget. */
const BRUTE_FORCE_ATTEMPTS = 20;

async function attempt(request: () => Promise<Exchange>): Promise<Attempt> {
  const started = performance.now();
  const exchange = await request();
  return { status: exchange.response.status, ms: performance.now() - started, retryAfter: headerValue(exchange.response, 'retry-after'), error: errorOf(exchange) };
}

async function failedAttempts(request: () => Promise<Exchange>): Promise<Attempt[]> {
  const attempts: Attempt[] = [];
  for (let i = 0; i < BRUTE_FORCE_ATTEMPTS; i++) attempts.push(await attempt(request));
  return attempts;
}

/** The longest Retry-After this check waits out before it tries the right secret again. */
const MAX_WINDOW_WAIT_S = 60;

/** Client authentication alone, by the auth oracle: a random code, so that nothing is redeemed. */
function authenticate(t: CheckContext, clientId: string, secret: string): Promise<Exchange> {
  return send({ url: t.config.tokenUrl, headers: { authorization: clientBasicAuth(clientId, secret) }, form: { grant_type: 'authorization_code', code: randomBytes(24).toString('base64url'), redirect_uri: t.config.redirectUri } });
}

/** invalid_client, a 401 or a 429 mean the credentials did not get through; anything else means they did. */
const authenticated = (exchange: Exchange) => ![401, 429].includes(exchange.response.status) && errorOf(exchange) !== 'invalid_client';

check('SEC-09', 'repeated wrong client secrets and API keys meet a brute-force defence', { level: 'MUST', refs: ['RFC6749-2.3.1', 'RFC6749-10.10', 'RFC6585-4', 'RFC9110-10.2.3'] }, async (t) => {
  // A throwaway identity: whatever the server locks or slows down, it is not a client other checks use.
  const throwaway = t.config.throwawayClient;
  const clientId = throwaway?.id ?? `conformance-${randomUUID()}`;
  const provable = throwaway && authenticated(await authenticate(t, throwaway.id, throwaway.secret));
  if (throwaway && !provable) t.info('the throwaway client\'s own credentials did not authenticate before the test: whether they work after a lockout was not tried');
  const surfaces: Array<[string, () => Promise<Exchange>]> = [
    [`client secrets (client_id ${clientId})`, () => authenticate(t, clientId, registerSecret(randomBytes(24).toString('base64url'), 'secret'))],
  ];
  if (t.config.apiKey) surfaces.push(['API keys', () => t.api.probe({ apiKey: registerSecret(randomBytes(24).toString('base64url'), 'API key') })]);
  const undefended: string[] = [];
  let window: string | undefined;
  for (const [what, request] of surfaces) {
    // The 429s are what this check looks for: they must reach it, not be waited out (support/politeness).
    const attempts = await seeing429s(() => failedAttempts(request));
    const defence = bruteForceDefence(attempts);
    if (defence.kind === 'none') undefended.push(what);
    else if (defence.kind === 'rate-limited') t.info(`${what}: HTTP 429 after ${defence.after} failures${defence.retryAfter ? `, Retry-After: ${defence.retryAfter}` : ', without Retry-After (RFC 6585 §4 MAY)'}`);
    else if (defence.kind === 'locked-out') t.info(`${what}: the answer changed to ${defence.answer} after ${defence.after} failures (a lockout)`);
    else t.info(`${what}: answers slowed from ${Math.round(defence.firstMs)} ms to ${Math.round(defence.lastMs)} ms (backoff)`);
    if (what.startsWith('client') && defence.kind !== 'none') window = attempts.findLast((a) => a.retryAfter)?.retryAfter ?? '';
  }
  if (undefended.length) t.review(`${BRUTE_FORCE_ATTEMPTS} wrong ${undefended.join(' and ')} in a row met no 429, lockout or backoff: judge whether the secrets' strength alone protects them (RFC 6749 §2.3.1 "MUST protect")`);
  if (window === undefined) return;
  if (!throwaway) return t.info('PLEO_THROWAWAY_CLIENT_ID and PLEO_THROWAWAY_CLIENT_SECRET are not set: whether the right secret works after the window was not tried');
  if (!provable) return;
  const waitS = retryAfterSeconds(window);
  if (waitS === undefined || waitS > MAX_WINDOW_WAIT_S) return t.info(`the defence announced ${window ? `Retry-After: ${window}` : 'no Retry-After'}: whether the right secret works after the window was not tried (this check waits at most ${MAX_WINDOW_WAIT_S} s)`);
  await sleep((waitS + 1) * 1000);
  const after = await seeing429s(() => authenticate(t, throwaway.id, throwaway.secret));
  demand(authenticated(after), `once the announced window (Retry-After: ${window}) has passed, the right client secret must authenticate again: a defence that never lifts locks the client out (RFC 6749 §2.3.1; RFC 9110 §10.2.3)`, 'client authentication passes (anything but 401, 429 or invalid_client)', describeResponse(after));
});
