/** RS: bearer tokens at the API (RFC 6750). */
import { randomBytes } from 'node:crypto';
import { check } from '../support/check.ts';
import { headerValue } from '../support/http.ts';
import { registerSecret } from '../support/secrets.ts';
import { demand, describeResponse, expectBearerChallenge, expectMalformedBearerRefused, expectTokenRefused, precondition } from '../support/verdicts.ts';

check('RS-01', 'the API accepts the Authorization header with any case of "Bearer"', { level: 'MUST', refs: ['RFC6750-2.1', 'RFC9110-11.1'] }, async (t) => {
  const tokens = await t.live();
  precondition(tokens, 'the fixture exchange issued no access token (see TK-01)');
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const exchange = await t.api.probe({ bearer: tokens.accessToken, scheme });
    demand(exchange.response.status === 200, `the API must accept "${scheme} <token>": auth-schemes are case-insensitive (RFC 9110 §11.1, RFC 6750 §2.1)`, 'HTTP 200', describeResponse(exchange));
  }
});

check('RS-02', 'a request without credentials gets a Bearer challenge', { level: 'MUST', refs: ['RFC6750-3', 'RFC6750-3.1'] }, async (t) => {
  const exchange = await t.api.probe('none');
  demand(exchange.response.status === 401, 'a request without credentials must be refused with 401 (RFC 6750 §3, RFC 9110 §15.5.2)', 'HTTP 401', describeResponse(exchange));
  const bearer = expectBearerChallenge(exchange);
  t.should(bearer.params.error === undefined, 'a request without credentials should get no error code (RFC 6750 §3.1: SHOULD NOT)', 'no error= attribute', bearer.params.error);
  // RFC 6750 §3 wants auth-params after "Bearer"; a bare challenge is common and harmless (catalog RS-02).
  t.should(Object.keys(bearer.params).length > 0, 'the Bearer challenge should carry an auth-param such as realm (RFC 6750 §3)', 'Bearer realm="…"', 'a bare "Bearer"');
});

check('RS-03', 'a random token and malformed Bearer headers are refused', { level: 'MUST', refs: ['RFC6750-3.1', 'RFC6750-3', 'RFC6749-7'] }, async (t) => {
  const random = registerSecret(randomBytes(32).toString('base64url'), 'access_token');
  expectTokenRefused(await t.api.probe({ bearer: random }), 'a random access token must never be accepted (RFC 6749 §7)', t.warn);
  const halves = [random.slice(0, 16), random.slice(16)];
  for (const [label, authorization] of [['"Bearer" with no token', 'Bearer'], ['a Bearer header with two tokens', `Bearer ${halves.join(' ')}`]]) {
    expectMalformedBearerRefused(await t.api.probe({ authorization }), label, t.warn);
  }
  t.info('expired tokens are probed by SEC-03 (--slow), revoked ones by RV-02');
});

check('RS-04', 'the API does not take the access token from the query or a form body', { level: 'PROFILE', refs: ['RFC6750-2.3', 'RFC6750-2.2', 'RFC9700-4.3.2'] }, async (t) => {
  const tokens = await t.live();
  precondition(tokens, 'the fixture exchange issued no access token (see TK-01)');
  const inQuery = await t.api.request(t.config.api.probePath, { query: { access_token: tokens.accessToken } });
  if (inQuery.response.status >= 200 && inQuery.response.status < 300) {
    const requirement = 'the access token in the query string must not be accepted (OAuth 2.1 removed it; RFC 6750 §2.3: SHOULD NOT)';
    if (t.config.profile.pkce === 'oauth21') demand(false, requirement, 'a refusal', describeResponse(inQuery));
    t.warn(requirement);
    const cacheControl = headerValue(inQuery.response, 'cache-control') ?? '';
    t.should(/\b(private|no-store)\b/i.test(cacheControl), 'a response to a token in the query should carry Cache-Control: private (RFC 6750 §2.3)', 'Cache-Control: private', cacheControl || '(none)');
  }
  // RFC 6750 §2.2 needs a method with a body: POST to the probe route (a GET-only route answers 404 or 405).
  const inBody = await t.api.request(t.config.api.probePath, { method: 'POST', form: { access_token: tokens.accessToken } });
  t.info(`POST ${t.config.api.probePath} with the access token in a form body: HTTP ${inBody.response.status}${inBody.response.status < 300 ? ' (accepted: RFC 6750 §2.2 allows it)' : ''}`);
});
