/** PK: Proof Key for Code Exchange (RFC 7636), S256 only. */
import { check } from '../support/check.ts';
import { s256, unrelatedVerifier } from '../support/pkce.ts';
import { tokenSetOf } from '../support/token-endpoint.ts';
import { demand, describeResponse, expectOAuthError, precondition } from '../support/verdicts.ts';

// RFC 7636 Appendix B: if the suite's S256 is wrong, every PKCE verdict is void.
const APPENDIX_B = { verifier: 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk', challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM' };

check('PK-01', 'an S256 code_verifier redeems its code', { level: 'MUST', refs: ['RFC7636-4.2', 'RFC7636-4.6'] }, async (t) => {
  demand((await s256(APPENDIX_B.verifier)) === APPENDIX_B.challenge, 'suite self-check: S256 must match RFC 7636 Appendix B', APPENDIX_B.challenge, await s256(APPENDIX_B.verifier));
  const { exchange } = await t.shared();
  precondition(exchange, 'the fixture authorization returned no code (see AZ-01)');
  demand(tokenSetOf(exchange), 'the AS must accept the matching S256 verifier (RFC 7636 §4.6)', 'HTTP 200 with an access_token', describeResponse(exchange));
});

check('PK-02', 'a missing code_verifier is rejected', { level: 'MUST', refs: ['RFC7636-4.5', 'RFC7636-4.6', 'RFC9700-2.1.1'] }, async (t) => {
  const { code } = await t.freshCode();
  const response = await t.token.exchangeCode(code, { verifier: undefined });
  expectOAuthError(response, { status: 400, error: 'invalid_grant' }, t.cache);
});

check('PK-03', 'a wrong code_verifier is rejected', { level: 'MUST', refs: ['RFC7636-4.6', 'RFC6749-5.2'] }, async (t) => {
  const { code } = await t.freshCode();
  const response = await t.token.exchangeCode(code, { verifier: await unrelatedVerifier() });
  expectOAuthError(response, { status: 400, error: 'invalid_grant' }, t.cache);
});
