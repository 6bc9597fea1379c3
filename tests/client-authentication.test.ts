/** CA: client authentication with client_secret_basic (RFC 6749 §2.3.1). */
import { randomBytes, randomUUID } from 'node:crypto';
import { check } from '../support/check.ts';
import { clientBasicAuth, rawClientBasicAuth } from '../support/client-auth.ts';
import { registerSecret } from '../support/secrets.ts';
import { tokenSetOf } from '../support/token-endpoint.ts';
import { demand, describeResponse, errorOf, expectInvalidClient, precondition } from '../support/verdicts.ts';

check('CA-01', 'client_secret_basic with form-urlencoded id and secret authenticates', { level: 'MUST', refs: ['RFC6749-2.3.1', 'RFC6749-B'] }, async (t) => {
  const { exchange } = await t.shared();
  precondition(exchange, 'the fixture authorization returned no code (see AZ-01)');
  if (errorOf(exchange) === 'invalid_client') {
    const raw = await t.token.probeClientAuth(rawClientBasicAuth(t.config.clientId, t.config.clientSecret));
    if (raw.verdict === 'authenticated') t.info('the raw, un-encoded credentials authenticate: the server skips the form-urldecoding of RFC 6749 §2.3.1 (pitfall P1)');
  }
  demand(tokenSetOf(exchange), 'the AS must accept Basic credentials encoded as RFC 6749 §2.3.1 requires', 'HTTP 200 with an access_token', describeResponse(exchange));
});

check('CA-03', 'a wrong secret and an unknown client_id are refused alike', { level: 'MUST', refs: ['RFC6749-5.2', 'RFC6749-2.3.1'] }, async (t) => {
  const calibration = await t.token.probeClientAuth();
  precondition(calibration.verdict === 'authenticated', `the auth oracle is unusable: good credentials with a random code gave ${describeResponse(calibration.exchange)}, not invalid_grant`);
  const wrongSecret = registerSecret(`${randomBytes(18).toString('base64url')}+/=`, 'client_secret');
  const refusals = [
    await t.token.probeClientAuth(clientBasicAuth(t.config.clientId, wrongSecret)),
    await t.token.probeClientAuth(clientBasicAuth(randomUUID(), t.config.clientSecret)),
  ];
  for (const { exchange } of refusals) expectInvalidClient(exchange, t.cache, t.warn);
  const [a, b] = refusals.map(({ exchange }) => `HTTP ${exchange.response.status} ${JSON.stringify(exchange.response.json)}`);
  demand(a === b, 'a wrong secret and an unknown client must get the same answer, or clients can be enumerated', a, b);
});
