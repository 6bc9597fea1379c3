/** AK: API keys as HTTP Basic credentials at the API (Pleo: key as user-id, empty password; RFC 7617). */
import { randomBytes } from 'node:crypto';
import { check } from '../support/check.ts';
import { responseEchoes, type ApiCredential } from '../support/api.ts';
import { apiKeyBasicAuth, clientBasicAuth, rawClientBasicAuth } from '../support/client-auth.ts';
import { send, type Exchange } from '../support/http.ts';
import { registerSecret } from '../support/secrets.ts';
import { nearMiss, swappedCase } from '../support/variants.ts';
import { challengesOf, demand, describeResponse, precondition } from '../support/verdicts.ts';

check('AK-01', 'a valid API key works as the Basic user-id with an empty password', { level: 'MUST', refs: ['RFC7617-2'], needs: ['apiKey'] }, async (t) => {
  const exchange = await t.api.probe({ apiKey: t.config.apiKey! });
  demand(exchange.response.status === 200, 'the API must accept Basic base64(key + ":") (RFC 7617 §2; Pleo\'s API-key scheme)', 'HTTP 200', describeResponse(exchange));
});

check('AK-02', 'a request without credentials gets a challenge', { level: 'MUST', refs: ['RFC9110-11.6.1', 'RFC9110-15.5.2', 'RFC7617-2'], needs: ['apiKey'] }, async (t) => {
  const exchange = await t.api.probe('none');
  demand(exchange.response.status === 401, 'a request without credentials must be refused with 401 (RFC 9110 §15.5.2)', 'HTTP 401', describeResponse(exchange));
  const challenges = challengesOf(exchange);
  demand(challenges.length > 0, 'a 401 must carry at least one challenge (RFC 9110 §11.6.1)', 'WWW-Authenticate: …', '(none)');
  const basic = challenges.find((c) => c.scheme === 'basic');
  // A Bearer challenge alone satisfies the MUST on a route that takes both; Basic tells clients API keys work.
  t.should(basic && typeof basic.params.realm === 'string', 'a route that takes API keys should offer a Basic realm="…" challenge (RFC 7617 §2)', 'Basic realm="…" among the challenges', challenges.map((c) => c.scheme));
});

/** The answer with volatile members (request ids, timestamps) left out, for comparing refusals. */
function stableAnswer(exchange: Exchange): string {
  const body = exchange.response.json;
  const stable = body && typeof body === 'object' && !Array.isArray(body)
    ? Object.fromEntries(Object.entries(body).filter(([key]) => !/(^|_)(id|trace|request|time|timestamp|date)/i.test(key)))
    : exchange.response.text;
  return JSON.stringify(stable);
}

check('AK-03', 'wrong, unknown and revoked keys are refused alike', { level: 'MUST', refs: ['RFC9110-15.5.2', 'RFC9110-11.6.1', 'RFC7617-2'], needs: ['apiKey'] }, async (t) => {
  const apiKey = t.config.apiKey!;
  // A random key, and keys a loose comparison would take: almost right, or in another case.
  const swapped = swappedCase(apiKey);
  const wrong: Array<[string, ApiCredential | undefined]> = [
    ['the valid key with a non-empty password', { apiKey, password: registerSecret(randomBytes(12).toString('base64url'), 'api_key') }],
    ['an unknown key', { apiKey: registerSecret(randomBytes(32).toString('base64url'), 'api_key') }],
    ['the key with its last character changed', { apiKey: nearMiss(apiKey) }],
    ['the key in swapped case', swapped ? { apiKey: swapped } : undefined],
  ];
  const refusals: Array<[string, Exchange]> = [];
  for (const [label, credential] of wrong) {
    if (!credential) continue;
    const exchange = await t.api.probe(credential);
    demand(exchange.response.status === 401, `${label} must be refused with 401 (RFC 9110 §15.5.2)`, 'HTTP 401', describeResponse(exchange));
    demand(challengesOf(exchange).length > 0, `the 401 for ${label} must carry a challenge (RFC 9110 §11.6.1)`, 'WWW-Authenticate: …', '(none)');
    refusals.push([label, exchange]);
  }
  if (t.config.revokedApiKey) {
    const exchange = await t.api.probe({ apiKey: t.config.revokedApiKey });
    demand(exchange.response.status === 401 || exchange.response.status === 403, 'a revoked key must be refused (RFC 9110 §15.5.2)', 'HTTP 401', describeResponse(exchange));
    t.should(exchange.response.status === 401, 'a revoked key should get 401 like any invalid key, not 403 (RFC 9110 §15.5.4: 403 means authenticated)', 'HTTP 401', `HTTP ${exchange.response.status}`);
    refusals.push(['a revoked key', exchange]);
  } else {
    t.info('PLEO_API_KEY_REVOKED is not set: the revoked-key variant was not tried');
  }
  const statuses = new Set(refusals.map(([, e]) => e.response.status));
  t.should(statuses.size === 1, 'every invalid key should get the same status, or keys can be told apart (OWASP API2:2023)', 'one status', refusals.map(([label, e]) => `${label}: ${e.response.status}`));
  const bodies = new Set(refusals.map(([, e]) => stableAnswer(e)));
  t.should(bodies.size === 1, 'every invalid key should get the same body, or keys can be told apart (OWASP API2:2023)', 'one body', `${bodies.size} different bodies`);
  precondition(refusals.length > 0, 'no variant could be built');
});

const base64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

check('AK-04', 'the API parses Basic credentials robustly', { level: 'MUST', refs: ['RFC7617-2', 'RFC9110-11.1'], needs: ['apiKey'] }, async (t) => {
  const credentials = apiKeyBasicAuth(t.config.apiKey!).replace(/^Basic /, '');
  for (const scheme of ['basic', 'BASIC']) {
    const exchange = await t.api.probe({ authorization: `${scheme} ${credentials}` });
    demand(exchange.response.status === 200, `the API must accept the scheme written "${scheme}": auth-schemes are case-insensitive (RFC 9110 §11.1)`, 'HTTP 200', describeResponse(exchange));
  }
  const malformed: Array<[string, string]> = [
    ['invalid base64', 'Basic !!not*base64!!'],
    ['credentials without a colon', `Basic ${registerSecret(base64(t.config.apiKey!), 'api_key')}`],
    ['an empty user-id', `Basic ${base64(':')}`],
    ['a UTF-8 user-id', `Basic ${base64('schlüssel-€-キー:')}`],
    ['an 8 KB header', `Basic ${base64(`${randomBytes(4500).toString('base64url')}:`)}`],
  ];
  for (const [label, authorization] of malformed) {
    const exchange = await t.api.probe({ authorization });
    // 431 and 413 are how servers refuse oversized headers; anything else is a refusal of the credentials.
    demand([400, 401, 413, 431].includes(exchange.response.status), `Basic credentials with ${label} must be refused cleanly, never with 5xx (RFC 7617 §2, RFC 9110 §15.5.2)`, 'HTTP 400, 401 or 431', describeResponse(exchange));
  }
  t.info('a key whose password holds ":" was not tried: keys are sent with an empty password (Pleo), and no such key is configured');
});

check('AK-05', 'the API key is taken only from the Authorization header and never echoed', { level: 'SHOULD', refs: ['RFC6750-2.3', 'RFC9700-4.3.2', 'OWASP-API2-2023'], needs: ['apiKey'] }, async (t) => {
  const apiKey = t.config.apiKey!;
  const path = t.config.api.probePath;
  const probes: Array<[string, Exchange]> = [
    ['the key in the query string', await t.api.request(path, { query: { api_key: apiKey } })],
    ['the key in a form body', await t.api.request(path, { method: 'POST', form: { api_key: apiKey } })],
    ['the key in an X-API-Key header', await t.api.request(path, { headers: { 'x-api-key': apiKey } })],
    ['the key with a wrong password', await t.api.probe({ apiKey, password: registerSecret(randomBytes(12).toString('base64url'), 'api_key') })],
  ];
  for (const [label, exchange] of probes) {
    const { status } = exchange.response;
    t.should(status < 200 || status >= 300, `${label} should not be accepted: only the Authorization header keeps keys out of logs and URLs (RFC 9700 §4.3.2)`, 'a refusal (401)', describeResponse(exchange));
    t.should(!responseEchoes(exchange, apiKey), `the response to ${label} should not repeat the key (OWASP API2:2023)`, 'no trace of the key', 'the key appears in the body or a header');
  }
});

check('AK-07', 'OAuth client credentials do not work as an API key', { level: 'SHOULD', refs: ['RFC6750-2', 'RFC7617-2'] }, async (t) => {
  const { clientId, clientSecret } = t.config;
  const confusions: Array<[string, string]> = [
    ['client_id:client_secret as Basic credentials', clientBasicAuth(clientId, clientSecret)],
    ['client_id:client_secret without form-encoding', rawClientBasicAuth(clientId, clientSecret)],
    ['the client_id as an API key', apiKeyBasicAuth(clientId)],
  ];
  for (const [label, authorization] of confusions) {
    const exchange = await t.api.probe({ authorization });
    t.should(exchange.response.status === 401, `${label} should be refused with 401: OAuth clients authenticate at the token endpoint, not at the API (RFC 6750 §2)`, 'HTTP 401', describeResponse(exchange));
  }
  t.info('every configured route takes both credential types, so no route is OAuth-only or API-key-only: those confusions were not probed');
});

/** The records of a list response (`{ data: [...] }` or a bare array) that carry a string id. */
function recordsOf(exchange: Exchange): Array<Record<string, unknown> & { id: string }> {
  const body = exchange.response.json as { data?: unknown } | unknown[] | undefined;
  const list = Array.isArray(body) ? body : Array.isArray(body?.data) ? body.data : [];
  return list.filter((r): r is Record<string, unknown> & { id: string } => typeof r === 'object' && r !== null && typeof (r as { id?: unknown }).id === 'string');
}

/** The other tenant's values a response must not show: every string field of the record but its id, which the request itself names. */
const dataOf = (record: Record<string, unknown>) => Object.entries(record).filter(([key, value]) => key !== 'id' && typeof value === 'string' && value.length >= 4).map(([, value]) => value as string);

// 403 or 404 are the two answers OWASP API1:2023 allows: refused, or not told the record exists.
const REFUSED_ACROSS_TENANTS = [403, 404];

check('AK-06', 'an API key reads and writes only its own tenant\'s resources', { level: 'MUST', refs: ['OWASP-API1-2023'], needs: ['apiKey', 'otherTenantApiKey'] }, async (t) => {
  const path = t.config.api.tenantResourcePath;
  const mine = { apiKey: t.config.apiKey! };
  const theirs = await t.api.call(path, { apiKey: t.config.otherTenantApiKey! });
  precondition(theirs.response.status === 200, `the other tenant's key could not list ${path} (${describeResponse(theirs)}): no resource ids to probe with`);
  const [record] = recordsOf(theirs);
  precondition(record, `the other tenant's list at ${path} holds no record with an id (set PLEO_API_TENANT_RESOURCE_PATH to a list of the tenant's resources)`);
  const url = (suffix: string) => new URL(`${path}${suffix}`, `${t.config.apiUrl}/`).href;
  const leaked = (exchange: Exchange) => dataOf(record).some((value) => exchange.response.text.includes(value));

  const list = await t.api.call(path, mine);
  const foreign = recordsOf(list).filter((r) => recordsOf(theirs).some((other) => other.id === r.id));
  demand(!foreign.length, `the list must hold only the key's own tenant's records (OWASP API1:2023)`, 'none of the other tenant\'s ids', `${foreign.length} of them`);

  const id = encodeURIComponent(record.id);
  const byId: Array<[string, Exchange]> = [
    [`GET ${path}/{id} of the other tenant`, await send({ url: url(`/${id}`), headers: { authorization: apiKeyBasicAuth(mine.apiKey) }, evidence: 'shape' })],
    // The record as its owner reads it, written back unchanged: a server that wrongly accepts it changes nothing.
    [`PUT ${path}/{id} of the other tenant`, await send({ method: 'PUT', url: url(`/${id}`), headers: { authorization: apiKeyBasicAuth(mine.apiKey), 'content-type': 'application/json' }, body: JSON.stringify(record), evidence: 'shape' })],
  ];
  for (const [what, exchange] of byId) {
    const { status } = exchange.response;
    demand(status >= 300, `${what} must be refused: it belongs to another tenant (OWASP API1:2023)`, 'HTTP 403 or 404', describeResponse(exchange));
    demand(!leaked(exchange), `${what}: the refusal must hold none of the other tenant's data (OWASP API1:2023)`, 'no field of the record', 'a field value of the other tenant\'s record');
    if (!REFUSED_ACROSS_TENANTS.includes(status)) t.info(`${what} was refused with HTTP ${status} rather than 403 or 404`);
  }
  // A filter naming the other tenant must narrow the key's own records, not replace its tenant.
  if (typeof record.companyId !== 'string') return t.info(`the other tenant's records carry no companyId: a list filtered by tenant was not tried`);
  const filtered = await send({ url: url(`?companyId=${encodeURIComponent(record.companyId)}`), headers: { authorization: apiKeyBasicAuth(mine.apiKey) }, evidence: 'shape' });
  demand(!recordsOf(filtered).some((r) => r.id === record.id) && !leaked(filtered), `GET ${path}?companyId= of the other tenant must not list its records (OWASP API1:2023)`, 'a refusal, or none of the other tenant\'s records', describeResponse(filtered));
});
