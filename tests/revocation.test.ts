/** RV: token revocation (RFC 7009), where the target has a revocation endpoint. */
import { check, type CheckContext } from '../support/check.ts';
import type { Exchange } from '../support/http.ts';
import { secondClientAuth, tokenManagement, unknownToken } from '../support/token-management.ts';
import { demand, describeResponse, errorOf, expectOAuthError, expectTokenRefused, precondition } from '../support/verdicts.ts';

const revocation = (t: CheckContext) => tokenManagement(t.config);

// A revocation response carries no token: the cache rule of token responses (RFC 6749 §5.1, TK-03) is not this check's.
const ANY_CACHE_HEADERS = { pragma: 'optional', warn: () => undefined } as const;

/** A new token family, with a refresh token, for a check that revokes it. */
async function ownFamily(t: CheckContext) {
  const { tokens } = await t.authorizeAndExchange();
  precondition(tokens?.refreshToken, 'the code exchange issued no refresh token (see RT-01)');
  return { ...tokens, refreshToken: tokens.refreshToken };
}

/** RFC 7009 §2.2: the server answers 200 to a revocation it performed (or to an invalid token). */
function expectRevoked(exchange: Exchange, what: string): void {
  demand(exchange.response.status === 200, `revoking ${what} must be answered with HTTP 200 (RFC 7009 §2.2)`, 'HTTP 200', describeResponse(exchange));
}

check('RV-01', 'a revoked refresh token no longer refreshes, and its access tokens stop working', { level: 'MUST', refs: ['RFC7009-2', 'RFC7009-2.1', 'RFC7009-2.2'], needs: ['revocation'], effects: 'destructive' }, async (t) => {
  const family = await ownFamily(t);
  expectRevoked(await revocation(t).revoke(family.refreshToken, { hint: 'refresh_token' }), 'a refresh token');
  const access = await t.api.probe({ bearer: family.accessToken });
  t.should(access.response.status === 401, 'revoking a refresh token should also invalidate the access tokens of its grant (RFC 7009 §2.1)', 'HTTP 401', describeResponse(access));
  const refresh = await t.token.refresh(family.refreshToken);
  expectOAuthError(refresh, { status: 400, error: 'invalid_grant', because: 'a revoked refresh token must no longer be usable (RFC 7009 §2)' }, t.cache);
});

check('RV-02', 'a revoked access token is refused by the API', { level: 'SHOULD', refs: ['RFC7009-2', 'RFC7009-2.2.1'], needs: ['revocation'], effects: 'destructive' }, async (t) => {
  const family = await ownFamily(t);
  const revoked = await revocation(t).revoke(family.accessToken, { hint: 'access_token' });
  if (errorOf(revoked) === 'unsupported_token_type') {
    t.warn(`the server does not revoke access tokens (400 unsupported_token_type): RFC 7009 §2 says it SHOULD (${describeResponse(revoked)})`);
    return;
  }
  expectRevoked(revoked, 'an access token');
  expectTokenRefused(await t.api.probe({ bearer: family.accessToken }), 'a revoked access token should be refused by the API (RFC 7009 §2)', t.warn);
});

check('RV-03', 'unknown tokens, wrong and unknown hints are handled as RFC 7009 says', { level: 'MUST', refs: ['RFC7009-2.1', 'RFC7009-2.2', 'RFC7009-2.2.1'], needs: ['revocation'], effects: 'destructive' }, async (t) => {
  expectRevoked(await revocation(t).revoke(unknownToken()), 'an unknown token');
  // "MAY ignore" an unknown hint: 200, or 400 unsupported_token_type.
  const foo = await revocation(t).revoke(unknownToken(), { hint: 'foo' });
  if (foo.response.status !== 200) expectOAuthError(foo, { status: 400, error: 'unsupported_token_type', because: 'an unknown token_type_hint may be ignored (200) or refused with unsupported_token_type (RFC 7009 §2.1, §2.2.1)' }, ANY_CACHE_HEADERS);
  // A wrong hint must extend the search to the other token types.
  const family = await ownFamily(t);
  expectRevoked(await revocation(t).revoke(family.refreshToken, { hint: 'access_token' }), 'a refresh token sent with the wrong token_type_hint');
  const refresh = await t.token.refresh(family.refreshToken);
  expectOAuthError(refresh, { status: 400, error: 'invalid_grant', because: 'a refresh token revoked with a wrong token_type_hint must be revoked all the same: the hint must not stop the search (RFC 7009 §2.1)' }, t.cache);
});

check('RV-04', 'revocation needs client authentication, and a client cannot revoke another client\'s token', { level: 'MUST', refs: ['RFC7009-2.1', 'RFC6749-5.2'], needs: ['revocation'] }, async (t) => {
  const anonymous = await revocation(t).revoke(unknownToken(), { authorization: null });
  expectOAuthError(anonymous, { status: [400, 401], error: ['invalid_client', 'invalid_request'], because: 'a revocation request without client authentication must be refused (RFC 7009 §2.1)' }, ANY_CACHE_HEADERS);
  const authorization = secondClientAuth(t.config);
  if (!authorization) return t.info('the client-binding part needs a second client: set PLEO_CLIENT2_ID and PLEO_CLIENT2_SECRET');
  const tokens = await t.live();
  precondition(tokens, 'the fixture exchange issued no tokens (see TK-01)');
  const attempts = [tokens.accessToken, tokens.refreshToken].filter((token): token is string => Boolean(token));
  for (const token of attempts) {
    const answer = await revocation(t).revoke(token, { authorization });
    if (answer.response.status === 200) t.warn('another client\'s revocation request was answered with 200: RFC 7009 §2.1 wants an error response when the token was not issued to the requesting client');
    else expectOAuthError(answer, { status: 400, error: ['invalid_request', 'invalid_grant', 'unauthorized_client'], because: 'a refusal of another client\'s token must be an RFC 6749 §5.2 error (RFC 7009 §2.2.1)' }, ANY_CACHE_HEADERS);
  }
  const after = await t.api.probe({ bearer: tokens.accessToken });
  demand(after.response.status === 200, 'a token must stay valid when another client tries to revoke it (RFC 7009 §2.1)', 'HTTP 200 at the API', describeResponse(after));
});
