/** AZ: the authorization endpoint, driven through the real login and consent screens. */
import { randomBytes, randomUUID } from 'node:crypto';
import { redirectParam, redirectTarget, type AuthorizationRequestOptions } from '../support/authorization-request.ts';
import { framingHeaders } from '../support/browser/framing.ts';
import { check } from '../support/check.ts';
import { FOREIGN_HOST, offerRequest, originOf, redirectedToOffered, redirectVariants, type RefusalProbe } from '../support/redirect-variants.ts';
import { framingProbe, loginFlow } from '../support/target.ts';
import { demand, precondition } from '../support/verdicts.ts';

check('AZ-01', 'the code returns to the registered redirect_uri with state echoed', { level: 'MUST', refs: ['RFC6749-4.1.2', 'RFC9207-2'] }, async (t) => {
  const { flow } = await t.shared();
  const outcome = flow.outcome;
  demand(outcome, 'the AS must redirect back to the client (RFC 6749 §4.1.2)', `a redirect to ${t.config.redirectUri}`, flow.errorPage ? `an error page, HTTP ${flow.errorPage.status}` : '(no redirect)');
  demand(redirectTarget(outcome.redirectedTo) === redirectTarget(t.config.redirectUri), 'the redirect must go to the registered redirect_uri (RFC 6749 §4.1.2)', t.config.redirectUri, outcome.redirectedTo);
  demand(!outcome.error, 'a valid authorization request must succeed (RFC 6749 §4.1.2)', 'no error', `${outcome.error}: ${outcome.errorDescription ?? ''}`);
  demand(outcome.code, 'the redirect must carry the code in its query (RFC 6749 §4.1.2)', 'code=…', outcome.code);
  demand(outcome.state === flow.request.state, 'state must be echoed exactly (RFC 6749 §4.1.2)', flow.request.state, outcome.state);
  demand(outcome.fragmentParams.length === 0, 'the code flow puts nothing in the fragment (RFC 6749 §4.1.2)', 'no fragment parameters', outcome.fragmentParams);
  if (outcome.iss !== undefined) demand(outcome.iss === t.config.issuer, 'iss, when sent, must be the issuer (RFC 9207 §2)', t.config.issuer, outcome.iss);
});

check('AZ-07', 'denying consent redirects with access_denied and state', { level: 'MUST', refs: ['RFC6749-4.1.2.1'] }, async (t) => {
  let flow = await t.authorize({ decision: 'deny' });
  if (!flow.consentShown && flow.outcome) {
    // A server that remembers consent completes the flow without asking: ask for the screen again.
    t.info('the server remembered consent and skipped the screen; asked again with prompt=consent');
    flow = await t.authorize({ decision: 'deny', params: { prompt: 'consent' } });
  }
  precondition(flow.consentShown, 'the server showed no consent screen, even with prompt=consent: there was nothing to deny');
  const outcome = flow.outcome;
  demand(outcome, 'a denial must redirect back to the client (RFC 6749 §4.1.2.1)', `a redirect to ${t.config.redirectUri}`, '(no redirect)');
  demand(!outcome.code, 'a denied request must not yield a code (RFC 6749 §4.1.2.1)', 'no code', '(a code was issued)');
  demand(outcome.error === 'access_denied', 'the denial must be reported as access_denied (RFC 6749 §4.1.2.1)', 'access_denied', outcome.error);
  demand(outcome.state === flow.request.state, 'state must be echoed on errors too (RFC 6749 §4.1.2.1)', flow.request.state, outcome.state);
});

/** How a probe that should have been refused ended, for a failure message. */
const ending = (probe: RefusalProbe) => probe.redirectedTo ?? (probe.errorPage ? `an error page, HTTP ${probe.errorPage.status}` : 'a page without a login or consent screen');

check('AZ-02', 'an unregistered redirect_uri or an unknown client gets no redirect', { level: 'MUST', refs: ['RFC6749-4.1.2.1', 'RFC6749-3.1.2.4', 'RFC9700-4.11'] }, async (t) => {
  const foreign = `https://${FOREIGN_HOST}/callback`;
  const unregistered = `${redirectTarget(t.config.redirectUri).replace(/\/$/, '')}/${randomBytes(6).toString('hex')}`;
  const cases: Array<[string, AuthorizationRequestOptions, string?]> = [
    ['an unregistered path', { redirectUri: unregistered }, unregistered],
    ['a foreign host', { redirectUri: foreign }, foreign],
    ['an unknown client_id', { params: { client_id: randomUUID() } }],
    ['no client_id', { params: { client_id: undefined } }],
  ];
  for (const [name, options, offered] of cases) {
    const probe = await offerRequest(t, { ...options, errorScreenshot: true }, [originOf(t.config.redirectUri), originOf(foreign)]);
    // An unregistered URI must not be used; for an unknown client, no client URI at all.
    const forbidden = probe.redirectedTo !== undefined && (!offered || redirectedToOffered(probe.redirectedTo, offered));
    demand(!forbidden, `${name}: the AS must not redirect (RFC 6749 §4.1.2.1)`, 'an error shown to the user', probe.redirectedTo);
    if (probe.redirectedTo) t.info(`${name}: the AS redirected to the registered URI instead: ${probe.redirectedTo}`);
    else if (probe.errorPage) t.info(`${name}: error page with HTTP ${probe.errorPage.status}`);
    t.review(`${name}: does the page tell the user that the request was refused? (RFC 6749 §4.1.2.1 SHOULD)`, probe.errorPage?.screenshot);
  }
});

check('AZ-03', 'redirect_uri is compared as an exact string', { level: 'MUST', refs: ['RFC9700-4.1', 'RFC6749-3.1.2.3', 'RFC8252-7.3'] }, async (t) => {
  const wrong: string[] = [];
  for (const variant of redirectVariants(t.config.redirectUri)) {
    const probe = await offerRequest(t, { redirectUri: variant.uri }, [originOf(variant.uri)]);
    const used = probe.redirectedTo !== undefined && redirectedToOffered(probe.redirectedTo, variant.uri);
    if (used !== Boolean(variant.mustSucceed)) wrong.push(`${variant.name} (${variant.uri}): ${used ? `redirected to ${probe.redirectedTo}` : ending(probe)}`);
  }
  demand(wrong.length === 0, 'every near miss of the registered redirect_uri must be refused without a redirect (RFC 9700 §4.1); a loopback URI on another port must work (RFC 8252 §7.3)', 'exact matching', wrong.join('\n'));
});

check('AZ-04', 'a missing or unsupported response_type issues no token', { level: 'MUST', refs: ['RFC6749-4.1.2.1', 'RFC6749-3.1.1', 'RFC9700-2.1.2'] }, async (t) => {
  for (const responseType of [undefined, 'token', 'id_token', 'foo']) {
    const name = responseType ? `response_type=${responseType}` : 'no response_type';
    // Allowed through consent, so that a server that would issue a token does so.
    const probe = await offerRequest(t, { decision: 'allow', params: { response_type: responseType } }, []);
    if (!probe.redirectedTo) continue; // an error page is a correct answer
    const param = (key: string) => redirectParam(probe.redirectedTo!, key);
    if (param('access_token')) {
      const binds = responseType !== 'token' || t.config.profile.pkce !== 'rfc9700';
      if (binds) demand(false, `${name}: the AS must not issue an access token from the authorization endpoint (RFC 9700 §2.1.2, OAuth 2.1 §4.1.1)`, 'an error', 'access_token in the redirect');
      t.warn(`${name}: the AS issued an access token through the implicit grant, which RFC 9700 §2.1.2 says clients should not use`);
      continue;
    }
    if (param('id_token')) t.info(`${name}: the AS answered with an id_token (OpenID Connect), not an access token`);
    else demand(['invalid_request', 'unsupported_response_type', 'unauthorized_client'].includes(param('error') ?? ''), `${name}: the AS must answer with an error (RFC 6749 §4.1.2.1)`, 'error=unsupported_response_type, invalid_request or unauthorized_client', param('error') ?? (param('code') ? 'a code' : probe.redirectedTo));
    if (param('error')) demand(param('state') === probe.state, `${name}: the error redirect must echo state (RFC 6749 §4.1.2.1)`, probe.state, param('state'));
  }
});

check('AZ-05', 'unknown authorization parameters are ignored', { level: 'MUST', refs: ['RFC6749-3.1'] }, async (t) => {
  const flow = await t.authorize({ params: { extra: 'foobar', x_conf: '1' } });
  const outcome = flow.outcome;
  demand(outcome?.code, 'a request with unknown parameters must succeed: the AS must ignore them (RFC 6749 §3.1)', 'a code', outcome ? `error=${outcome.error}: ${outcome.errorDescription ?? ''}` : flow.errorPage ? `an error page, HTTP ${flow.errorPage.status}` : '(no redirect)');
});

check('AZ-06', 'a parameter sent twice is refused', { level: 'MUST', refs: ['RFC6749-3.1'] }, async (t) => {
  const foreign = `https://${FOREIGN_HOST}/callback`;
  const seconds: Array<[string, string]> = [['state', randomBytes(16).toString('base64url')], ['scope', t.config.scopes[0] ?? 'openid'], ['code_challenge', randomBytes(32).toString('base64url')], ['redirect_uri', foreign]];
  const accepted: string[] = [];
  for (const [name, second] of seconds) {
    const probe = await offerRequest(t, { extraQuery: [[name, second]] }, [originOf(t.config.redirectUri), originOf(foreign)]);
    const error = probe.redirectedTo && redirectParam(probe.redirectedTo, 'error');
    // Consent reached (and denied) or a code: the request was taken with one of the two values.
    if (probe.redirectedTo && (!error || error === 'access_denied')) accepted.push(`${name}: ${probe.redirectedTo}`);
  }
  demand(accepted.length === 0, 'a request with a parameter included twice must be refused with invalid_request or an error page (RFC 6749 §3.1)', 'no request accepted', accepted.join('\n'));
});

check('AZ-08', 'a long state is echoed exactly, and a request without state works', { level: 'MUST', refs: ['RFC6749-4.1.2', 'RFC6749-4.1.1'] }, async (t) => {
  // About 1 KB, with the characters that break careless encoding: + / = % &.
  const long = `${randomBytes(765).toString('base64')}%&=+/`.slice(-1024);
  const withLong = await t.authorize({ state: long });
  if (withLong.outcome?.error === 'invalid_request') t.info('the AS refused the 1 KB state with invalid_request');
  else demand(withLong.outcome?.state === long, 'a 1 KB state must be echoed byte for byte (RFC 6749 §4.1.2)', `${long.length} characters, as sent`, withLong.outcome ? `${withLong.outcome.state?.length ?? 0} characters${withLong.outcome.state ? ', different' : ''}` : '(no redirect)');
  const without = await t.authorize({ state: null });
  const outcome = without.outcome;
  if (!outcome?.code) return void t.warn(`a request without state was refused (${outcome?.error ?? 'no redirect'}); state is optional (RFC 6749 §4.1.1) and Pleo's profile does not require it`);
  demand(outcome.state === undefined, 'a response to a request without state must carry none (RFC 6749 §4.1.2)', 'no state', outcome.state);
});

check('AZ-09', 'the login form POST is not answered with 307', { level: 'MUST', refs: ['RFC9700-4.12'] }, async (t) => {
  const posts = (await loginFlow()).documents.filter((d) => d.method === 'POST');
  precondition(posts.length, 'the login from a new session posted no form (no login form was shown)');
  for (const post of posts) {
    demand(post.status !== 307, 'a POST with credentials must not be answered with 307: the browser would post them on (RFC 9700 §4.12)', '303', `${post.status} from ${post.url}`);
    if ([301, 302, 308].includes(post.status)) t.warn(`the login form POST got ${post.status}; RFC 9700 §4.12 recommends 303 See Other (${post.url})`);
  }
});

check('AZ-10', 'the authorization, login and consent pages cannot be framed', { level: 'MUST', refs: ['RFC9700-4.16', 'RFC6749-10.13'] }, async (t) => {
  const flow = await loginFlow();
  const pages = flow.documents.filter((d) => d.status < 300 && /html/i.test(d.headers['content-type'] ?? ''));
  precondition(pages.length, 'the login from a new session showed no HTML page');
  for (const page of pages) {
    const { xFrameOptions, frameAncestors } = framingHeaders(page.headers);
    if (!frameAncestors) t.warn(`${page.url}: no Content-Security-Policy frame-ancestors (RFC 9700 §4.16)${xFrameOptions ? '' : ' and no X-Frame-Options'}`);
  }
  if (pages.every((page) => Object.values(framingHeaders(page.headers)).some(Boolean))) return;
  const framed = await framingProbe(flow.request.url);
  demand(!framed.interactive, 'a page of the flow rendered, usable, inside a cross-origin frame: clickjacking (RFC 9700 §4.16)', 'the frame blocked', framed);
});
