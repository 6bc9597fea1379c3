/** PK: Proof Key for Code Exchange (RFC 7636), S256 only. */
import { check } from '../support/check.ts';
import { s256, unrelatedVerifier } from '../support/pkce.ts';
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
  // An empty parameter counts as omitted (RFC 6749 §3.2): both forms, each on its own code.
  for (const verifier of [undefined, '']) {
    const { code } = await t.freshCode();
    const because = `a code issued with an S256 challenge must not be redeemed with ${verifier === undefined ? 'no' : 'an empty'} code_verifier (RFC 7636 §4.6, RFC 9700 §2.1.1)`;
    expectOAuthError(await t.token.exchangeCode(code, { verifier }), { ...MISSING_VERIFIER, because }, t.cache);
  }
});

check('PK-03', 'a wrong code_verifier is rejected', { level: 'MUST', refs: ['RFC7636-4.6', 'RFC6749-5.2'] }, async (t) => {
  // An unrelated verifier, and the right one with its last character changed (a server that
  // compares or hashes only part of the verifier accepts that one), each on its own code.
  const { code } = await t.freshCode();
  const because = (what: string) => `${what} must be refused as invalid_grant (RFC 7636 §4.6)`;
  expectOAuthError(await t.token.exchangeCode(code, { verifier: await unrelatedVerifier() }), { status: 400, error: 'invalid_grant', because: because('an unrelated code_verifier') }, t.cache);
  const { code: second, flow } = await t.freshCode();
  expectOAuthError(await t.token.exchangeCode(second, { verifier: nearMiss(flow.request.pkce.verifier) }), { status: 400, error: 'invalid_grant', because: because('the right code_verifier with its last character changed') }, t.cache);
});

check('PK-07', 'the S256 challenge itself is not accepted as the verifier', { level: 'MUST', refs: ['RFC7636-4.6'] }, async (t) => {
  const { code, flow } = await t.freshCode();
  expectOAuthError(await t.token.exchangeCode(code, { verifier: flow.request.pkce.challenge }), { status: 400, error: 'invalid_grant', because: 'the S256 code_challenge sent as the code_verifier must be refused (RFC 7636 §4.6: the server compares S256(verifier) with the challenge)' }, t.cache);
});
