/** TK: the token endpoint and its responses (RFC 6749 §4.1.3, §5). */
import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { check, type CheckContext } from '../support/check.ts';
import { clientBasicAuth } from '../support/client-auth.ts';
import { refusalsOnFewCodes } from '../support/code-thrift.ts';
import { onSeparateConnections } from '../support/http.ts';
import { unrelatedVerifier } from '../support/pkce.ts';
import { registerSecret } from '../support/secrets.ts';
import { fixtureFailureOwner } from '../support/target.ts';
import { tokenResponseObservations } from '../support/verify/observations.ts';
import { bogusCodeGrant, type RawTokenRequest, type TokenSet } from '../support/token-endpoint.ts';
import { demand, describeResponse, errorOf, expectErrorFormat, expectNoStore, expectOAuthError, expectSuccessfulTokenResponse, expectTokenResponseTyping, precondition } from '../support/verdicts.ts';
// TK-08..TK-12 (request validation and error format):

check('TK-01', 'a valid code exchange returns a JSON access token response', { level: 'MUST', refs: ['RFC6749-4.1.4', 'RFC6749-5.1'] }, async (t) => {
  const fixture = await t.shared();
  const owner = fixtureFailureOwner(fixture);
  precondition(owner === undefined || owner === 'TK-01', `the fixture exchange failed for a reason ${owner} reports`);
  expectSuccessfulTokenResponse(fixture.exchange!, t.warn);
});

check('TK-02', 'token response members have the right JSON types', { level: 'MUST', refs: ['RFC6749-5.1', 'RFC6749-3.3', 'RFC6750-4'] }, async (t) => {
  const { exchange, tokens } = await t.shared();
  precondition(tokens, 'the fixture exchange did not succeed (see TK-01)');
  const body = exchange!.response.json as Record<string, unknown>;
  for (const note of tokenResponseObservations(body)) t.info(note); // for npm run verify
  expectTokenResponseTyping(body, t.warn);
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

// ---- TK-05 to TK-07: what happens to a code after its first use, under a race, and after its lifetime.

/** Whether a token set still works: its access token at the API, and its refresh token at the token endpoint. */
async function stillWorks(t: CheckContext, tokens: TokenSet): Promise<{ access: boolean; refresh?: boolean }> {
  const access = (await t.api.probe({ bearer: tokens.accessToken })).response.status < 400;
  const refresh = tokens.refreshToken === undefined ? undefined : (await t.token.refresh(tokens.refreshToken)).response.status === 200;
  return { access, refresh };
}

/** A fresh code, redeemed once: the code, its verifier and the tokens it gave. */
async function redeemedCode(t: CheckContext) {
  const { flow, tokens } = await t.authorizeAndExchange();
  precondition(tokens, 'the first redemption of a fresh code failed (see TK-01)');
  return { code: flow.outcome!.code!, verifier: flow.request.pkce.verifier, tokens };
}

check('TK-05', 'a replayed code revokes its tokens, an invalid replay does not', { level: 'PROFILE', refs: ['RFC6749-4.1.2', 'RFC6749-10.5'], effects: 'destructive' }, async (t) => {
  // OAuth 2.1 §4.1.3 makes both SHOULDs; RFC 6749 §4.1.2 only asks to revoke, and the profile weighs that.
  const { pkce } = t.config.profile;
  const finding = (text: string) => (pkce === 'oauth21' ? t.warn(`${text} (OAuth 2.1 §4.1.3)`) : t.info(`${text}: a SHOULD of OAuth 2.1 §4.1.3, which the declared profile (PLEO_PROFILE_PKCE=${pkce}) does not apply`));
  const because = 'a code that was already redeemed must be refused (RFC 6749 §4.1.2)';
  // (b) first, on a code of its own: a replay with a wrong verifier is invalid, and should revoke nothing (no denial of service).
  const b = await redeemedCode(t);
  expectOAuthError(await t.token.exchangeCode(b.code, { verifier: await unrelatedVerifier() }), { status: 400, error: 'invalid_grant', because }, t.cache);
  const afterInvalid = await stillWorks(t, b.tokens);
  if (!afterInvalid.access || afterInvalid.refresh === false) finding('a replay of a redeemed code with a wrong code_verifier revoked the tokens issued from it; an invalid replay should not');
  // (a) a valid replay: the tokens issued from the code should be revoked.
  const a = await redeemedCode(t);
  expectOAuthError(await t.token.exchangeCode(a.code, { verifier: a.verifier }), { status: 400, error: 'invalid_grant', because }, t.cache);
  const afterReplay = await stillWorks(t, a.tokens);
  if (afterReplay.access || afterReplay.refresh) finding(`after a replay of their code the tokens still work (access token ${afterReplay.access ? 'accepted' : 'refused'}, refresh token ${afterReplay.refresh ? 'accepted' : 'refused'}); they should be revoked`);
});

check('TK-06', 'of concurrent redemptions of one code at most one succeeds', { level: 'MUST', refs: ['RFC6749-4.1.2', 'RFC6749-10.5'], effects: 'destructive' }, async (t) => {
  const { code, flow } = await t.freshCode();
  const responses = await onSeparateConnections(t.config.tokenUrl, 10, (dispatcher) => t.token.exchangeCode(code, { verifier: flow.request.pkce.verifier, dispatcher }));
  const successes = responses.filter((exchange) => exchange.response.status === 200).length;
  demand(successes <= 1, 'a code must be redeemed at most once, by concurrent requests too (RFC 6749 §4.1.2, §10.5)', 'at most one HTTP 200 of 10', `${successes} × HTTP 200`);
  if (successes === 0) t.info('none of the 10 concurrent redemptions succeeded');
  // Rate limiting and overload answers are tolerated; every other refusal is that of a replay.
  for (const refused of responses.filter((exchange) => ![200, 429, 503].includes(exchange.response.status))) {
    expectOAuthError(refused, { status: 400, error: 'invalid_grant', because: 'a concurrent redemption of a code must be refused as invalid_grant (RFC 6749 §5.2)' }, t.cache);
  }
});

const EXPIRY_SKEW_S = 5;

check('TK-07', 'an expired code is refused', { level: 'MUST', refs: ['RFC6749-4.1.2'], optIn: 'slow', timeout: 2 * 60 * 60 * 1000 }, async (t) => {
  const { pkce, codeLifetimeMaxS } = t.config.profile;
  // FAPI 2.0 caps codes at 60 s; otherwise the declared maximum, which RFC 6749 §4.1.2 recommends keep to 10 minutes.
  const lifetime = pkce === 'fapi2' ? Math.min(codeLifetimeMaxS, 60) : codeLifetimeMaxS;
  t.should(lifetime <= 600, 'a code lifetime of at most 10 minutes is RECOMMENDED (RFC 6749 §4.1.2)', 'PLEO_PROFILE_CODE_LIFETIME_MAX_S <= 600', lifetime);
  const { code, flow } = await t.freshCode();
  await sleep((lifetime + EXPIRY_SKEW_S) * 1_000);
  const because = `a code must be refused once its lifetime is over: ${lifetime} s (PLEO_PROFILE_CODE_LIFETIME_MAX_S${pkce === 'fapi2' ? ', FAPI 2.0' : ''}) plus ${EXPIRY_SKEW_S} s (RFC 6749 §4.1.2)`;
  expectOAuthError(await t.token.exchangeCode(code, { verifier: flow.request.pkce.verifier }), { status: 400, error: 'invalid_grant', because }, t.cache);
});

check('TK-08', 'redirect_uri at the token endpoint must match the authorization request', { level: 'MUST', refs: ['RFC6749-4.1.3'] }, async (t) => {
  const altered = new URL(t.config.redirectUri);
  altered.searchParams.append('tk08', '1');
  const [mismatch, omitted] = await refusalsOnFewCodes(t, [
    ({ code, flow }) => t.token.exchangeCode(code, { verifier: flow.request.pkce.verifier, redirectUri: altered.toString() }),
    ({ code, flow }) => t.token.raw({ form: { grant_type: 'authorization_code', code, code_verifier: flow.request.pkce.verifier } }),
  ]);
  expectOAuthError(mismatch, { status: 400, error: ['invalid_grant', 'invalid_request'], because: 'a redirect_uri unlike the authorization request\'s must be refused (RFC 6749 §4.1.3)' }, t.cache);
  t.should(errorOf(mismatch) === 'invalid_grant', 'a mismatched redirect_uri should be refused as invalid_grant (RFC 6749 §5.2)', 'invalid_grant', errorOf(mismatch));
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
  const ignorable: Array<[string, [string, string]]> = [['an unknown parameter foo=bar', ['foo', 'bar']], ['an empty scope=', ['scope', '']]];
  const redeemWith = async (extra: Array<[string, string]>) => {
    const { code, flow } = await t.freshCode();
    return t.token.raw({ form: [['grant_type', 'authorization_code'], ['code', code], ['redirect_uri', t.config.redirectUri], ['code_verifier', flow.request.pkce.verifier], ...extra] });
  };
  // One code for both: a success shows that each was ignored; a refusal is told apart on a code for each.
  const both = await redeemWith(ignorable.map(([, extra]) => extra));
  const answers = [];
  for (const [, extra] of ignorable) answers.push(both.response.status === 200 ? both : await redeemWith([extra]));
  for (const [index, [label, extra]] of ignorable.entries()) {
    const body = expectSuccessfulTokenResponse(answers[index], t.warn);
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
