/** TK: the token endpoint and its responses (RFC 6749 §4.1.3, §5). */
import { setTimeout as sleep } from 'node:timers/promises';
import { check } from '../support/check.ts';
import { fixtureFailureOwner } from '../support/target.ts';
import { expectNoStore, expectOAuthError, expectSuccessfulTokenResponse, expectTokenResponseTyping, precondition } from '../support/verdicts.ts';

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
