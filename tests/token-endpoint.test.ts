/** TK: the token endpoint and its responses (RFC 6749 §4.1.3, §5). */
import { setTimeout as sleep } from 'node:timers/promises';
import { check } from '../support/check.ts';
import { fixtureFailureOwner } from '../support/target.ts';
import { expectNoStore, expectOAuthError, expectSuccessfulTokenResponse, expectTokenResponseTyping, precondition } from '../support/verdicts.ts';
// TK-08..TK-12 (request validation and error format):
import { randomBytes, randomUUID } from 'node:crypto';
import { clientBasicAuth } from '../support/client-auth.ts';
import { registerSecret } from '../support/secrets.ts';
import { bogusCodeGrant, type RawTokenRequest } from '../support/token-endpoint.ts';
import { demand, describeResponse, errorOf, expectErrorFormat } from '../support/verdicts.ts';

check('TK-01', 'a valid code exchange returns a JSON access token response', { level: 'MUST', refs: ['RFC6749-4.1.4', 'RFC6749-5.1'] }, async (t) => {
  const fixture = await t.shared();
  const owner = fixtureFailureOwner(fixture);
  precondition(owner === undefined || owner === 'TK-01', `the fixture exchange failed for a reason ${owner} reports`);
  expectSuccessfulTokenResponse(fixture.exchange!, t.warn);
});

check('TK-02', 'token response members have the right JSON types', { level: 'MUST', refs: ['RFC6749-5.1', 'RFC6749-3.3', 'RFC6750-4'] }, async (t) => {
  const { exchange, tokens } = await t.shared();
  precondition(tokens, 'the fixture exchange did not succeed (see TK-01)');
  expectTokenResponseTyping(exchange!.response.json as Record<string, unknown>, t.warn);
});

check('TK-03', 'token responses are not cacheable (error responses should not be either)', { level: 'MUST', refs: ['RFC6749-5.1', 'RFC6749-5.2'] }, async (t) => {
  const { exchange, tokens } = await t.shared();
  precondition(tokens, 'the fixture exchange did not succeed (see TK-01)');
  expectNoStore(exchange!, t.cache);
  const { exchange: errorResponse } = await t.token.probeClientAuth(); // a random code: an error response
  expectNoStore(errorResponse, t.cache, 'SHOULD');
});

check('TK-04', 'a code can be redeemed only once', { level: 'MUST', refs: ['RFC6749-4.1.2', 'RFC6749-10.5'], effects: 'destructive' }, async (t) => {
  const { flow, tokens } = await t.authorizeAndExchange();
  precondition(tokens, 'the first redemption of a fresh code failed (see TK-01)');
  const replay = () => t.token.exchangeCode(flow.outcome!.code!, { verifier: flow.request.pkce.verifier });
  const because = 'a code that was already redeemed must be refused (RFC 6749 §4.1.2, §10.5)';
  expectOAuthError(await replay(), { status: 400, error: 'invalid_grant', because }, t.cache);
  await sleep(1_000);
  expectOAuthError(await replay(), { status: 400, error: 'invalid_grant', because: `${because}, a second later too` }, t.cache);
});

check('TK-08', 'redirect_uri at the token endpoint must match the authorization request', { level: 'MUST', refs: ['RFC6749-4.1.3'] }, async (t) => {
  const altered = new URL(t.config.redirectUri);
  altered.searchParams.append('tk08', '1');
  const first = await t.freshCode();
  const mismatch = await t.token.exchangeCode(first.code, { verifier: first.flow.request.pkce.verifier, redirectUri: altered.toString() });
  expectOAuthError(mismatch, { status: 400, error: ['invalid_grant', 'invalid_request'], because: 'a redirect_uri unlike the authorization request\'s must be refused (RFC 6749 §4.1.3)' }, t.cache);
  t.should(errorOf(mismatch) === 'invalid_grant', 'a mismatched redirect_uri should be refused as invalid_grant (RFC 6749 §5.2)', 'invalid_grant', errorOf(mismatch));
  const second = await t.freshCode();
  const omitted = await t.token.raw({ form: { grant_type: 'authorization_code', code: second.code, code_verifier: second.flow.request.pkce.verifier } });
  if (t.config.profile.tokenRedirectUri === 'optional') return t.info(`redirect_uri omitted (allowed by the profile, OAuth 2.1 §10.2): ${describeResponse(omitted)}`);
  expectOAuthError(omitted, { status: 400, error: ['invalid_request', 'invalid_grant'], because: 'redirect_uri is required when the authorization request carried it (RFC 6749 §4.1.3; the profile requires it)' }, t.cache);
});

check('TK-09', 'a code can be redeemed only by the client it was issued to', { level: 'MUST', refs: ['RFC6749-4.1.3'], needs: ['secondClient'] }, async (t) => {
  const { id, secret } = t.config.secondClient!;
  const other = clientBasicAuth(id, secret);
  const { verdict } = await t.token.probeClientAuth(other);
  precondition(verdict === 'authenticated', `the second client's credentials do not authenticate (auth oracle: ${verdict}); see CA-01`);
  const { code, flow } = await t.freshCode();
  const stolen = await t.token.exchangeCode(code, { verifier: flow.request.pkce.verifier, authorization: other });
  expectOAuthError(stolen, { status: [400, 401], error: ['invalid_grant', 'invalid_client'], because: 'another client\'s code must be refused (RFC 6749 §4.1.3)' }, t.cache);
});

check('TK-10', 'malformed token requests are refused with the right error, never 2xx or 5xx', { level: 'MUST', refs: ['RFC6749-3.2', 'RFC6749-4.1.3', 'RFC6749-5.2'] }, async (t) => {
  const grant = bogusCodeGrant(t.config.redirectUri);
  const without = (name: string) => grant.filter(([key]) => key !== name);
  expectOAuthError(await t.token.raw({ form: grant }), { status: 400, error: 'invalid_grant', because: 'a code the server never issued must be refused (RFC 6749 §5.2)' }, t.cache);
  expectOAuthError(await t.token.raw({ form: without('grant_type') }), { status: 400, error: 'invalid_request', because: 'a request without grant_type must be refused (RFC 6749 §5.2)' }, t.cache);
  expectOAuthError(await t.token.raw({ form: [['grant_type', 'foo'], ...without('grant_type')] }), { status: 400, error: 'unsupported_grant_type', because: 'an unknown grant_type must be refused (RFC 6749 §5.2)' }, t.cache);
  const get = await t.token.raw({ method: 'GET', query: grant });
  demand(get.response.status >= 400 && get.response.status < 500, 'the token endpoint takes POST only: a GET must get a 4xx (RFC 6749 §3.2)', 'a 4xx such as 405', describeResponse(get));
  const json = await t.token.raw({ body: JSON.stringify(Object.fromEntries(grant)), contentType: 'application/json' });
  const { status } = json.response;
  demand(status >= 400 && status < 500, 'a JSON body must be refused with a 4xx, not processed nor crash the server (RFC 6749 §4.1.3: form-encoded)', '400 invalid_request or 415', describeResponse(json));
  if (status === 415 || errorOf(json) === 'invalid_request') return;
  if (errorOf(json) === 'invalid_grant') return t.info('the server reads a JSON body like a form (it answered invalid_grant for the random code)');
  t.warn(`a JSON body should be refused as invalid_request or 415, not with a misleading error (RFC 6749 §4.1.3, pitfall P12): ${describeResponse(json)}`);
});

check('TK-11', 'repeated parameters are refused; unknown and empty ones are ignored', { level: 'MUST', refs: ['RFC6749-3.2', 'RFC6749-5.2', 'RFC6749-3.1'] }, async (t) => {
  const grant = bogusCodeGrant(t.config.redirectUri);
  const repeats: Array<[string, Array<[string, string]>]> = [
    ['code', [...grant, ['code', bogusCodeGrant(t.config.redirectUri)[1][1]]]],
    ['grant_type', [['grant_type', 'authorization_code'], ...grant]],
  ];
  for (const [name, form] of repeats) {
    const repeated = await t.token.raw({ form });
    expectOAuthError(repeated, { status: 400, error: ['invalid_request', 'invalid_grant', 'unsupported_grant_type'], because: `a request that repeats ${name} must be refused (RFC 6749 §3.2)` }, t.cache);
    t.should(errorOf(repeated) === 'invalid_request', `a repeated ${name} should be refused as invalid_request (RFC 6749 §5.2)`, 'invalid_request', errorOf(repeated));
  }
  const granted = (await t.shared()).tokens?.scope?.split(' ');
  for (const [label, extra] of [['an unknown parameter foo=bar', ['foo', 'bar']], ['an empty scope=', ['scope', '']]] as const) {
    const { code, flow } = await t.freshCode();
    const form: Array<[string, string]> = [['grant_type', 'authorization_code'], ['code', code], ['redirect_uri', t.config.redirectUri], ['code_verifier', flow.request.pkce.verifier], [...extra]];
    const body = expectSuccessfulTokenResponse(await t.token.raw({ form }), t.warn);
    if (extra[0] !== 'scope' || !granted || typeof body.scope !== 'string') continue;
    const narrowed = granted.filter((scope) => !(body.scope as string).split(' ').includes(scope));
    demand(narrowed.length === 0, `${label} must be treated as omitted, not as a narrower scope (RFC 6749 §3.1)`, granted.join(' '), body.scope);
  }
});

check('TK-12', 'token endpoint errors have the RFC 6749 §5.2 format', { level: 'MUST', refs: ['RFC6749-5.2', 'RFC6749-8.5'] }, async (t) => {
  const grant = bogusCodeGrant(t.config.redirectUri);
  const unknownClient = clientBasicAuth(randomUUID(), registerSecret(randomBytes(24).toString('base64url'), 'client_secret'));
  // A bogus code, an unknown grant_type, no grant_type, an unknown client: one refusal of each kind.
  const refusals: RawTokenRequest[] = [{ form: grant }, { form: [['grant_type', 'foo'], ...grant.slice(1)] }, { form: grant.slice(1) }, { form: grant, authorization: unknownClient }];
  for (const request of refusals) expectErrorFormat(await t.token.raw(request), t.cache);
});
