/** CA: client authentication with client_secret_basic (RFC 6749 §2.3.1). */
import { randomBytes, randomUUID } from 'node:crypto';
import { malformedBasicVariants, wellFormedBasicVariants } from '../support/basic-variants.ts';
import { check, type CheckContext } from '../support/check.ts';
import { clientBasicAuth, rawClientBasicAuth } from '../support/client-auth.ts';
import type { Exchange } from '../support/http.ts';
import { refusedWithoutCode } from '../support/code-thrift.ts';
import { registerSecret } from '../support/secrets.ts';
import { fixtureFailureOwner } from '../support/target.ts';
import { tokenSetOf } from '../support/token-endpoint.ts';
import { nearMiss, swappedCase } from '../support/variants.ts';
import { demand, describeResponse, errorOf, expectInvalidClient, expectOAuthError, precondition } from '../support/verdicts.ts';
// CA-04..CA-06 (credentials missing, doubled, or in the URL):

check('CA-01', 'client_secret_basic with form-urlencoded id and secret authenticates', { level: 'MUST', refs: ['RFC6749-2.3.1', 'RFC6749-B'] }, async (t) => {
  const fixture = await t.shared();
  const owner = fixtureFailureOwner(fixture);
  if (owner === undefined) return; // the fixture's code exchange authenticated the client
  if (owner !== 'CA-01') {
    // The exchange failed for another reason: ask the auth oracle about the credentials alone.
    const { verdict, exchange } = await t.token.probeClientAuth();
    precondition(verdict !== 'inconclusive', `the fixture exchange failed (see ${owner}) and the auth oracle cannot tell (${describeResponse(exchange)})`);
    demand(verdict === 'authenticated', 'the AS must accept Basic credentials encoded as RFC 6749 §2.3.1 requires', 'authenticated', describeResponse(exchange));
    return;
  }
  const raw = await t.token.probeClientAuth(rawClientBasicAuth(t.config.clientId, t.config.clientSecret));
  if (raw.verdict === 'authenticated') t.info('the raw, un-encoded credentials authenticate: the server skips the form-urldecoding of RFC 6749 §2.3.1 (pitfall P1)');
  demand(false, 'the AS must accept Basic credentials encoded as RFC 6749 §2.3.1 requires', 'HTTP 200 with an access_token', describeResponse(fixture.exchange!));
});

check('CA-02', 'a secret with reserved characters authenticates when form-urlencoded', { level: 'MUST', refs: ['RFC6749-2.3.1', 'RFC6749-B'], needs: ['encodingClient'] }, async (t) => {
  const { id, secret } = t.config.encodingClient!;
  const encoded = await t.token.probeClientAuth(clientBasicAuth(id, secret));
  // invalid_client is a refusal by definition (RFC 6749 §5.2), even where the oracle is uncalibrated.
  const refused = encoded.verdict === 'rejected' || errorOf(encoded.exchange) === 'invalid_client';
  precondition(refused || encoded.verdict === 'authenticated', `the auth oracle cannot tell acceptance from refusal on this server (${describeResponse(encoded.exchange)})`);
  demand(!refused, 'id and secret form-urlencoded before Basic must authenticate (RFC 6749 §2.3.1)', 'authenticated', describeResponse(encoded.exchange));
  const raw = await t.token.probeClientAuth(rawClientBasicAuth(id, secret));
  t.info(`the same credentials without the form-urlencoding step: ${raw.verdict}`);
});

/** A refusal of `authorization`: with the auth oracle, or with a fresh code where the oracle is unusable. */
async function attempt(t: CheckContext, authorization: string): Promise<Exchange> {
  if ((await t.token.calibration()).usable) return (await t.token.probeClientAuth(authorization)).exchange;
  const { code, flow } = await t.freshCode();
  return t.token.exchangeCode(code, { verifier: flow.request.pkce.verifier, authorization });
}

check('CA-03', 'wrong secrets and an unknown client_id are refused alike', { level: 'MUST', refs: ['RFC6749-5.2', 'RFC6749-2.3.1', 'RFC7617-2'] }, async (t) => {
  const { clientId, clientSecret } = t.config;
  // A random secret, and secrets a loose comparison would take: almost right, other case, empty.
  const secrets: Array<[string, string | undefined]> = [
    ['a random secret', registerSecret(randomBytes(24).toString('base64url'), 'client_secret')],
    ['the secret with its last character changed', nearMiss(clientSecret)],
    ['the secret in swapped case', swappedCase(clientSecret)],
  ];
  const variants = [
    ...secrets.filter((v): v is [string, string] => v[1] !== undefined).map(([label, secret]) => [label, clientBasicAuth(clientId, secret)] as const),
    ['an unknown client_id', clientBasicAuth(randomUUID(), clientSecret)] as const,
  ];
  const answers: Array<{ label: string; exchange: Exchange }> = [];
  for (const [label, authorization] of variants) {
    const exchange = await attempt(t, authorization);
    demand(errorOf(exchange) === 'invalid_client', `${label} must be refused as invalid_client (RFC 6749 §5.2)`, 'invalid_client', describeResponse(exchange));
    expectInvalidClient(exchange, t.cache);
    answers.push({ label, exchange });
  }
  const [wrongSecret, unknownClient] = [answers[0], answers.at(-1)!];
  const statusAndError = ({ exchange }: { exchange: Exchange }) => `HTTP ${exchange.response.status} ${errorOf(exchange)}`;
  demand(statusAndError(wrongSecret) === statusAndError(unknownClient), 'a wrong secret and an unknown client must get the same status and error, or clients can be enumerated (RFC 6749 §5.2)', statusAndError(wrongSecret), statusAndError(unknownClient));
  const description = ({ exchange }: { exchange: Exchange }) => (exchange.response.json as { error_description?: unknown } | undefined)?.error_description;
  t.should(description(wrongSecret) === description(unknownClient), 'a wrong secret and an unknown client should get the same error_description (an enumeration hint, OWASP API2:2023)', description(wrongSecret), description(unknownClient));
  // An empty secret may also be read as a malformed request (catalog CA-07): invalid_request is right too.
  const empty = await attempt(t, clientBasicAuth(clientId, ''));
  demand(['invalid_client', 'invalid_request'].includes(errorOf(empty) ?? ''), 'an empty secret must not authenticate (RFC 6749 §2.3.1, §5.2)', '400 invalid_request or 401 invalid_client', describeResponse(empty));
  if (empty.response.status === 401) expectInvalidClient(empty, t.cache);
  else expectOAuthError(empty, { status: 400, error: 'invalid_request' }, t.cache);
});

check('CA-07', 'the Basic header is parsed robustly', { level: 'MUST', refs: ['RFC9110-11.1', 'RFC7617-2', 'RFC6749-5.2'] }, async (t) => {
  precondition((await t.token.calibration()).usable, 'the auth oracle cannot tell acceptance from refusal on this server');
  const { schemeCases, doubleSpace } = wellFormedBasicVariants(t.config.clientId, t.config.clientSecret);
  for (const [scheme, header] of schemeCases) {
    const { verdict, exchange } = await t.token.probeClientAuth(header);
    demand(verdict === 'authenticated', `the scheme name is case-insensitive: "${scheme}" must authenticate (RFC 9110 §11.1)`, 'authenticated', describeResponse(exchange));
  }
  const spaced = await t.token.probeClientAuth(doubleSpace);
  demand(spaced.exchange.response.status < 500, 'two spaces after the scheme must not cause a server error (RFC 6749 §5.2)', 'authenticated (or a 4xx)', describeResponse(spaced.exchange));
  t.should(spaced.verdict === 'authenticated', 'two spaces after the scheme are well-formed (1*SP) and should authenticate (RFC 9110 §11.4)', 'authenticated', describeResponse(spaced.exchange));
  for (const [label, header] of malformedBasicVariants(t.config.clientId)) {
    const { verdict, exchange } = await t.token.probeClientAuth(header);
    demand(verdict !== 'authenticated' && exchange.response.status >= 400 && exchange.response.status < 500, `${label} must be refused with a 4xx, never authenticated nor a server error (RFC 6749 §5.2)`, '400 invalid_request or 401 invalid_client', describeResponse(exchange));
    if (exchange.response.status === 401 || errorOf(exchange) === 'invalid_client') expectInvalidClient(exchange, t.cache);
    else expectOAuthError(exchange, { status: 400, error: 'invalid_request', because: `${label}: a malformed request must get 400 invalid_request, or 401 invalid_client (RFC 6749 §5.2)` }, t.cache);
  }
});

check('CA-08', 'a body client_id that contradicts the Basic identity gets no tokens for that client', { level: 'MUST', refs: ['RFC6749-4.1.3', 'RFC6749-2.3', 'RFC6749-5.2'], needs: ['secondClient'] }, async (t) => {
  const other = t.config.secondClient!.id;
  // A server that refuses the contradiction before it looks at the code needs no real code to show it.
  const refused = await refusedWithoutCode(t, { extraForm: [['client_id', other]] }, ['invalid_client', 'invalid_request']);
  const exchange = refused ?? (await exchangeWithBodyClientId(t, other));
  const tokens = tokenSetOf(exchange);
  if (!tokens && errorOf(exchange) === 'invalid_client') return expectInvalidClient(exchange, t.cache);
  if (!tokens) return expectOAuthError(exchange, { status: 400, error: ['invalid_request', 'invalid_grant'], because: 'a client_id that contradicts the authenticated client must be refused (RFC 6749 §4.1.3, §5.2)' }, t.cache);
  // Issued anyway: to whom does the API say the token belongs (Pleo's /v1/introspect names the clientId)?
  const owner = ((await t.api.probe({ bearer: tokens.accessToken })).response.json as { data?: { clientId?: unknown } } | undefined)?.data?.clientId;
  demand(owner !== other, 'tokens must not be issued to a client that did not authenticate (RFC 6749 §4.1.3)', `not ${other}`, owner);
  t.warn(`the token endpoint issued tokens to the authenticated client and ignored the body's client_id (${other}); it should refuse the contradiction (RFC 6749 §4.1.3)`);
});

/** A fresh code redeemed with `clientId` in the body, with the client's Basic credentials or (null) none. */
async function exchangeWithBodyClientId(t: CheckContext, clientId: string, authorization?: null): Promise<Exchange> {
  const { code, flow } = await t.freshCode();
  const form = { grant_type: 'authorization_code', code, redirect_uri: t.config.redirectUri, code_verifier: flow.request.pkce.verifier, client_id: clientId };
  return t.token.raw({ form, authorization });
}

check('CA-04', 'a confidential client cannot redeem a code with its client_id alone', { level: 'MUST', refs: ['RFC6749-3.2.1', 'RFC6749-4.1.3'] }, async (t) => {
  // The auth oracle first; a real code only where it cannot tell (the server looks at the code first).
  const refused = await refusedWithoutCode(t, { authorization: null, extraForm: [['client_id', t.config.clientId]] }, ['invalid_client', 'invalid_request']);
  const exchange = refused ?? (await exchangeWithBodyClientId(t, t.config.clientId, null));
  demand(!tokenSetOf(exchange), 'a confidential client must authenticate to redeem a code (RFC 6749 §3.2.1)', 'no tokens', describeResponse(exchange));
  expectOAuthError(exchange, { status: [400, 401], error: ['invalid_client', 'invalid_request'], because: 'a code exchange without client authentication must be refused (RFC 6749 §3.2.1, §4.1.3)' }, t.cache);
});

check('CA-05', 'Basic together with client_secret in the body is refused', { level: 'SHOULD', refs: ['RFC6749-2.3', 'RFC6749-5.2'] }, async (t) => {
  const { exchange } = await t.token.probeClientAuthRequest({ extraForm: [['client_id', t.config.clientId], ['client_secret', t.config.clientSecret]] });
  const refused = ['invalid_request', 'invalid_client'].includes(errorOf(exchange) ?? '');
  t.should(refused, 'a client must not use more than one authentication method per request, and the server should refuse it (RFC 6749 §2.3)', '400 invalid_request (or invalid_client)', describeResponse(exchange));
});

check('CA-06', 'client credentials in the token URL do not authenticate', { level: 'MUST', refs: ['RFC6749-2.3.1'] }, async (t) => {
  precondition((await t.token.calibration()).usable, 'the auth oracle cannot tell acceptance from refusal on this server');
  const { verdict, exchange } = await t.token.probeClientAuthRequest({ authorization: null, query: { client_id: t.config.clientId, client_secret: t.config.clientSecret } });
  const { status } = exchange.response;
  demand(verdict !== 'authenticated' && status >= 400 && status < 500, 'client credentials in the request URI must not authenticate (RFC 6749 §2.3.1)', 'a 4xx refusal of the client', describeResponse(exchange));
});
