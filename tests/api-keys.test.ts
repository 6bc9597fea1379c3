/** AK: API keys as HTTP Basic credentials at the API (Pleo: key as user-id, empty password; RFC 7617). */
import { randomBytes } from 'node:crypto';
import { check } from '../support/check.ts';
import type { ApiCredential } from '../support/api.ts';
import { demand, describeResponse, expectBasicChallenge, precondition } from '../support/verdicts.ts';

check('AK-01', 'a valid API key works as the Basic user-id with an empty password', { level: 'MUST', refs: ['RFC7617-2'] }, async (t) => {
  precondition(t.config.apiKey, 'PLEO_API_KEY is not set');
  const exchange = await t.api.probe({ apiKey: t.config.apiKey });
  demand(exchange.response.status === 200, 'the API must accept Basic base64(key + ":")', 'HTTP 200', describeResponse(exchange));
});

check('AK-02', 'a request without credentials gets a Basic challenge', { level: 'MUST', refs: ['RFC9110-11.6.1', 'RFC9110-15.5.2', 'RFC7617-2'] }, async (t) => {
  expectBasicChallenge(await t.api.probe('none'));
});

check('AK-03', 'a wrong password, an unknown key and a revoked key are refused alike', { level: 'MUST', refs: ['RFC9110-15.5.2', 'RFC7617-2'] }, async (t) => {
  precondition(t.config.apiKey, 'PLEO_API_KEY is not set');
  const variants: Array<[string, ApiCredential]> = [
    ['the valid key with a non-empty password', { apiKey: t.config.apiKey, password: randomBytes(12).toString('base64url') }],
    ['an unknown key', { apiKey: `${t.config.apiKey.slice(0, 8)}${randomBytes(24).toString('base64url')}` }],
  ];
  if (t.config.revokedApiKey) variants.push(['a revoked key', { apiKey: t.config.revokedApiKey }]);
  else t.info('PLEO_API_KEY_REVOKED is not set: the revoked-key variant was not tried');
  const answers: string[] = [];
  for (const [label, credential] of variants) {
    const exchange = await t.api.probe(credential);
    demand(exchange.response.status === 401, `${label} must be refused with 401`, 'HTTP 401', describeResponse(exchange));
    answers.push(`HTTP ${exchange.response.status} ${exchange.response.text}`);
  }
  demand(new Set(answers).size === 1, 'refusals must not reveal which part was wrong', 'identical responses', answers);
});
