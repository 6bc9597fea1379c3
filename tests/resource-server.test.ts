/** RS: bearer tokens at the API (RFC 6750). */
import { check } from '../support/check.ts';
import { demand, describeResponse, expectBearerChallenge, precondition } from '../support/verdicts.ts';

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
