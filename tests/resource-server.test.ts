/** RS: bearer tokens at the API (RFC 6750). */
import { check } from '../support/check.ts';
import { demand, expectBearerChallenge, precondition } from '../support/verdicts.ts';

check('RS-01', 'the API accepts the Authorization header with any case of "Bearer"', { level: 'MUST', refs: ['RFC6750-2.1', 'RFC9110-11.1'] }, async (t) => {
  const { current } = await t.shared();
  precondition(current, 'the fixture exchange issued no access token (see TK-01)');
  for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
    const { response } = await t.api.probe({ bearer: current.accessToken, scheme });
    demand(response.status === 200, `the API must accept "${scheme} <token>" (auth-schemes are case-insensitive)`, 'HTTP 200', `HTTP ${response.status}`);
  }
});

check('RS-02', 'a request without credentials gets a bare Bearer challenge', { level: 'MUST', refs: ['RFC6750-3', 'RFC6750-3.1'] }, async (t) => {
  expectBearerChallenge(await t.api.probe('none'), { status: 401, error: null });
});
