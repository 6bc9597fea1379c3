/** PK: Proof Key for Code Exchange (RFC 7636), S256 only. */
import { randomBytes } from 'node:crypto';
import { answerTo, describeAnswer, expectInvalidRequest } from '../support/authorization-answer.ts';
import { check, type CheckContext } from '../support/check.ts';
import { refusalsOnFewCodes } from '../support/code-thrift.ts';
import { s256, unrelatedVerifier } from '../support/pkce.ts';
import { registerSecret } from '../support/secrets.ts';
import { fixtureFailureOwner } from '../support/target.ts';
import { nearMiss } from '../support/variants.ts';
import { demand, describeResponse, expectOAuthError, precondition } from '../support/verdicts.ts';

// RFC 7636 Appendix B: if the suite's S256 is wrong, every PKCE verdict is void.
const APPENDIX_B = { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

check('PK-01', 'an S256 code_verifier redeems its code', { level: 'MUST', refs: ['RFC7636-4.2', 'RFC7636-4.6'] }, async (t) => {
  demand((await s256(APPENDIX_B.verifier)) === APPENDIX_B.challenge, 'suite self-check: S256 must match RFC 7636 Appendix B', APPENDIX_B.challenge, await s256(APPENDIX_B.verifier));
  const fixture = await t.shared();
  const owner = fixtureFailureOwner(fixture);
  precondition(owner === undefined || owner === 'PK-01', `the fixture exchange failed for a reason ${owner} reports`);
  demand(fixture.exchange?.response.status === 200, 'the AS must accept the matching S256 code_verifier (RFC 7636 §4.6)', 'HTTP 200', describeResponse(fixture.exchange!));
});

// RFC 6749 §5.2 names invalid_request for a missing parameter, RFC 7636 §4.6 invalid_grant for a mismatch: both are right.
const MISSING_VERIFIER = { status: 400, error: ['invalid_grant', 'invalid_request'] };

check('PK-02', 'a missing code_verifier is rejected', { level: 'MUST', refs: ['RFC7636-4.5', 'RFC7636-4.6', 'RFC9700-2.1.1', 'RFC6749-3.2'] }, async (t) => {
  // An empty parameter counts as omitted (RFC 6749 §3.2): both forms, on a code proven alive for each.
  const verifiers = [undefined, ''];
  const answers = await refusalsOnFewCodes(t, verifiers.map((verifier) => ({ code }) => t.token.exchangeCode(code, { verifier })));
  for (const [index, verifier] of verifiers.entries()) {
    const because = `a code issued with an S256 challenge must not be redeemed with ${verifier === undefined ? 'no' : 'an empty'} code_verifier (RFC 7636 §4.6, RFC 9700 §2.1.1)`;
    expectOAuthError(answers[index], { ...MISSING_VERIFIER, because }, t.cache);
  }
});

check('PK-03', 'a wrong code_verifier is rejected', { level: 'MUST', refs: ['RFC7636-4.6', 'RFC6749-5.2'] }, async (t) => {
  // An unrelated verifier, and the right one with its last character changed (a server that
  // compares or hashes only part of the verifier accepts that one), on a code proven alive for each.
  const because = (what: string) => `${what} must be refused as invalid_grant (RFC 7636 §4.6)`;
  const [unrelated, nearlyRight] = await refusalsOnFewCodes(t, [
    async ({ code }) => t.token.exchangeCode(code, { verifier: await unrelatedVerifier() }),
    ({ code, flow }) => t.token.exchangeCode(code, { verifier: nearMiss(flow.request.pkce.verifier) }),
  ]);
  expectOAuthError(unrelated, { status: 400, error: 'invalid_grant', because: because('an unrelated code_verifier') }, t.cache);
  expectOAuthError(nearlyRight, { status: 400, error: 'invalid_grant', because: because('the right code_verifier with its last character changed') }, t.cache);
});

check('PK-07', 'the S256 challenge itself is not accepted as the verifier', { level: 'MUST', refs: ['RFC7636-4.6'] }, async (t) => {
  const { code, flow } = await t.freshCode();
  expectOAuthError(await t.token.exchangeCode(code, { verifier: flow.request.pkce.challenge }), { status: 400, error: 'invalid_grant', because: 'the S256 code_challenge sent as the code_verifier must be refused (RFC 7636 §4.6: the server compares S256(verifier) with the challenge)' }, t.cache);
});

// The request without any PKCE parameter; buildAuthorizationRequest adds an S256 pair otherwise.
const WITHOUT_CHALLENGE = { params: { code_challenge: undefined, code_challenge_method: undefined } };

/**
 * A PKCE finding whose weight the declared profile decides: FAPI 2.0 makes it a failure, OAuth 2.1
 * a warning where named (a confidential client: the suite's client authenticates), RFC 9700 a note.
 */
function byPkceProfile(t: CheckContext, finding: string, oauth21: 'SHOULD' | 'INFO'): void {
  const { pkce } = t.config.profile;
  demand(pkce !== 'fapi2', `${finding} (FAPI 2.0 Security Profile; declared profile PLEO_PROFILE_PKCE=fapi2)`, 'refused', 'accepted');
  if (pkce === 'oauth21' && oauth21 === 'SHOULD') t.warn(`${finding} (OAuth 2.1 §4.1.1; declared profile PLEO_PROFILE_PKCE=oauth21)`);
  else t.info(`${finding}; the declared profile (PLEO_PROFILE_PKCE=${pkce}) does not forbid it`);
}

check('PK-04', 'an authorization request without code_challenge is refused', { level: 'PROFILE', refs: ['RFC7636-4.4.1', 'RFC9700-2.1.1'] }, async (t) => {
  const answer = await answerTo(t, WITHOUT_CHALLENGE);
  if (answer.outcome?.code) return byPkceProfile(t, 'a code was issued for a request without code_challenge: PKCE is optional', 'SHOULD');
  expectInvalidRequest(answer, demand, 'RFC 7636 §4.4.1');
});

check('PK-05', 'a code issued without a challenge is not redeemed with a code_verifier (downgrade)', { level: 'MUST', refs: ['RFC9700-2.1.1', 'RFC9700-4.8.2'] }, async (t) => {
  const answer = await answerTo(t, WITHOUT_CHALLENGE);
  const code = answer.outcome?.code;
  if (!code) return t.info(`PKCE is required (the request without code_challenge got ${describeAnswer(answer)}): there is no downgrade to try`);
  const response = await t.token.exchangeCode(code, { verifier: answer.request.pkce.verifier, redirectUri: answer.request.redirectUri });
  expectOAuthError(response, { status: 400, error: ['invalid_grant', 'invalid_request'], because: 'a code_verifier sent for a code issued without code_challenge must be refused (RFC 9700 §2.1.1, §4.8.2; OAuth 2.1 §4.1.3)' }, t.cache);
});

check('PK-06', 'the plain code_challenge_method is refused', { level: 'PROFILE', refs: ['RFC7636-4.2', 'RFC7636-4.3', 'RFC9700-2.1.1'] }, async (t) => {
  // A plain challenge is the verifier itself; without a method, RFC 7636 §4.3 defaults to plain.
  const challenge = await unrelatedVerifier();
  for (const method of ['plain', undefined]) {
    const answer = await answerTo(t, { params: { code_challenge: challenge, code_challenge_method: method } });
    const what = method ? 'code_challenge_method=plain' : 'a code_challenge without code_challenge_method (plain by default, RFC 7636 §4.3)';
    if (answer.outcome?.code) byPkceProfile(t, `a code was issued for ${what}`, 'INFO');
  }
});

/** A verifier that breaks RFC 7636 §4.1's ABNF in one way, registered as the secret it is. */
const badVerifier = (value: string) => registerSecret(value, 'code_verifier');
const randomText = (length: number) => randomBytes(length).toString('base64url').slice(0, length);

check('PK-08', 'malformed PKCE parameters are refused', { level: 'MUST', refs: ['RFC7636-4.1', 'RFC7636-4.2', 'RFC7636-4.3', 'RFC7636-4.4.1'] }, async (t) => {
  const challenge = await s256(await unrelatedVerifier());
  // An unsupported method must be refused (RFC 7636 §4.4.1); method names are case-sensitive.
  for (const method of ['S512', 's256']) {
    expectInvalidRequest(await answerTo(t, { params: { code_challenge: challenge, code_challenge_method: method } }), demand, `RFC 7636 §4.4.1: code_challenge_method=${method} is not supported`);
  }
  // A challenge outside the ABNF (43-128 unreserved characters) should be refused (RFC 7636 §4.2).
  const malformed = { 'padded with "="': `${challenge}=`, '42 characters long': challenge.slice(0, 42), '129 characters long': randomText(129), 'holding "+" and "/"': `${challenge.slice(0, 41)}+/` };
  for (const [what, value] of Object.entries(malformed)) {
    expectInvalidRequest(await answerTo(t, { params: { code_challenge: value, code_challenge_method: 'S256' } }), t.should, `RFC 7636 §4.2: a code_challenge ${what}`);
  }
  // Token side: a verifier outside the ABNF, whose S256 the challenge is, should not redeem the code (RFC 7636 §4.1).
  for (const [what, verifier] of [['42 characters long', badVerifier(randomText(42))], ['holding "+" and "/"', badVerifier(`${randomText(30)}+/${randomText(30)}`)]]) {
    const { code } = await t.freshCode({ params: { code_challenge: await s256(verifier), code_challenge_method: 'S256' } });
    const response = await t.token.exchangeCode(code, { verifier });
    demand(response.response.status < 500, 'a malformed code_verifier must be refused, not crash the server (RFC 6749 §5.2)', 'HTTP 400', describeResponse(response));
    if (t.should(response.response.status !== 200, `a code_verifier ${what} breaks RFC 7636 §4.1 and should not redeem the code`, 'HTTP 400 invalid_request or invalid_grant', describeResponse(response))) {
      expectOAuthError(response, { status: 400, error: ['invalid_request', 'invalid_grant'] }, t.cache);
    }
  }
});
