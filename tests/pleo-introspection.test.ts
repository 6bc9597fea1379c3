/** PL: Pleo's own endpoints and documented behaviour around tokens (the Pleo profile, beyond the RFC catalog). */
import { check } from '../support/check.ts';
import type { Exchange } from '../support/http.ts';
import { introspectionActive, secondClientAuth, tokenManagement } from '../support/token-management.ts';
import { oracleVerdict } from '../support/token-endpoint.ts';
import { nearMiss } from '../support/variants.ts';
import { demand, describeResponse, expectOAuthError, expectTokenRefused, precondition } from '../support/verdicts.ts';

const INTROSPECT_PATH = '/v1/introspect';

/** The `data` object of Pleo's GET /v1/introspect. */
function introspectData(exchange: Exchange): Record<string, unknown> {
  const data = (exchange.response.json as { data?: unknown } | undefined)?.data;
  demand(exchange.response.status === 200 && data && typeof data === 'object', `GET ${INTROSPECT_PATH} must answer 200 with a data object (Pleo API reference)`, 'HTTP 200 {"data":{…}}', describeResponse(exchange));
  return data as Record<string, unknown>;
}

check('PL-02', 'GET /v1/introspect names the credential: OAUTH2 with client and scope, or API_KEY', { level: 'PROFILE', refs: ['Pleo-v1-introspect'] }, async (t) => {
  const tokens = await t.live();
  precondition(tokens, 'the fixture exchange issued no access token (see TK-01)');
  const bearer = introspectData(await t.api.call(INTROSPECT_PATH, { bearer: tokens.accessToken }));
  demand(bearer.authMethod === 'OAUTH2', 'a bearer token must be reported as authMethod OAUTH2 (Pleo API reference)', 'OAUTH2', bearer.authMethod);
  demand(bearer.clientId === t.config.clientId, 'a bearer token must be reported with the client it was issued to (Pleo API reference)', t.config.clientId, bearer.clientId);
  const granted = (tokens.scope ?? t.config.scopes.join(' ')).split(' ');
  const reported = typeof bearer.scope === 'string' ? bearer.scope.split(' ') : [];
  demand(granted.every((s) => reported.includes(s)), 'a bearer token must be reported with its granted scope (Pleo API reference)', granted.join(' '), bearer.scope);
  if (!t.config.apiKey) return t.info('the API-key part needs an API key: set PLEO_API_KEY');
  const key = introspectData(await t.api.call(INTROSPECT_PATH, { apiKey: t.config.apiKey }));
  demand(key.authMethod === 'API_KEY', 'an API key must be reported as authMethod API_KEY (Pleo API reference)', 'API_KEY', key.authMethod);
});

check('PL-03', 'token introspection: live tokens active, superseded ones inactive, other clients\' tokens not disclosed', { level: 'MUST', refs: ['RFC7662-2.1', 'RFC7662-2.2'], needs: ['introspection'] }, async (t) => {
  const introspection = tokenManagement(t.config);
  // The shared family's first refresh retires its earlier tokens: made before the live token is taken.
  const { before, after } = await t.firstRefresh();
  const live = await t.live();
  precondition(live, 'the fixture exchange issued no access token (see TK-01)');
  const own = await introspection.introspect(live.accessToken, { hint: 'access_token' });
  demand(introspectionActive(own) === true, 'a live access token must be reported active to the client it was issued to (RFC 7662 §2.2)', '{"active":true,…}', describeResponse(own));
  if (t.config.profile.rotation.policy === 'strict' && before?.refreshToken && after?.refreshToken && after.refreshToken !== before.refreshToken) {
    const superseded = await introspection.introspect(before.refreshToken, { hint: 'refresh_token' });
    demand(introspectionActive(superseded) === false, 'a refresh token superseded by rotation must be reported inactive (RFC 7662 §2.2)', '{"active":false}', describeResponse(superseded));
  } else t.info('the rotation part needs strict rotation and a refreshed fixture family (see RT-02)');
  const authorization = secondClientAuth(t.config);
  if (!authorization) return t.info('the other-client part needs a second client: set PLEO_CLIENT2_ID and PLEO_CLIENT2_SECRET');
  const foreign = await introspection.introspect(live.accessToken, { authorization });
  // Pleo: only the client that obtained a token may introspect it; RFC 7662 §2.2 answers such a request with active false.
  demand(introspectionActive(foreign) !== true, 'another client must not be told that the token is active (RFC 7662 §2.2; Pleo: only the client that obtained a token may introspect it)', '{"active":false} or an error', describeResponse(foreign));
});

check('PL-04', 'client_secret_post: observed against Pleo\'s "Basic only", and never with a wrong or missing secret', { level: 'MUST', refs: ['RFC6749-2.3.1', 'RFC6749-3.2.1', 'Pleo-client-authentication'] }, async (t) => {
  const oracle = await t.token.calibration();
  precondition(oracle.usable, `the auth oracle cannot tell acceptance from refusal on this server (${oracle.authenticated})`);
  const { clientId, clientSecret } = t.config;
  const probe = async (secret: string | undefined) => oracleVerdict(await tokenManagement(t.config).redeemWithBodyCredentials(clientId, secret), oracle);
  const right = await probe(clientSecret);
  t.info(right === 'authenticated'
    ? 'client_id and client_secret in the form body authenticate (client_secret_post), although Pleo documents client_secret_basic only; Pleo\'s newer examples send them this way'
    : `client_id and client_secret in the form body do not authenticate (${right}), as Pleo documents (client_secret_basic only)`);
  for (const [label, secret] of [['a wrong client_secret', nearMiss(clientSecret)], ['no client_secret', undefined]] as const) {
    const verdict = await probe(secret);
    demand(verdict !== 'authenticated', `a confidential client with ${label} in the form body must not authenticate (RFC 6749 §3.2.1, §2.3.1)`, 'refused', verdict);
  }
});

check('PL-05', 'DELETE /v1/installations/me revokes every token of the client', { level: 'PROFILE', refs: ['Pleo-installations-delete', 'RFC6749-7'], effects: 'destructive', optIn: 'destructive' }, async (t) => {
  const shared = await t.live();
  const { tokens } = await t.authorizeAndExchange();
  precondition(tokens?.refreshToken, 'the code exchange issued no refresh token (see RT-01)');
  const deleted = await t.api.call('/v1/installations/me', { bearer: tokens.accessToken }, 'DELETE');
  demand(deleted.response.status === 200 || deleted.response.status === 204, 'deleting the installation must succeed (Pleo API reference)', 'HTTP 200 or 204', describeResponse(deleted));
  for (const [label, accessToken] of [['this check\'s access token', tokens.accessToken], ['the shared family\'s access token', shared?.accessToken]] as const) {
    if (accessToken) expectTokenRefused(await t.api.probe({ bearer: accessToken }), `after the installation is deleted, ${label} must be refused (Pleo: all access and refresh tokens are revoked)`, t.warn);
  }
  const refresh = await t.token.refresh(tokens.refreshToken);
  expectOAuthError(refresh, { status: 400, error: 'invalid_grant', because: 'after the installation is deleted, its refresh tokens must be refused (Pleo: all access and refresh tokens are revoked)' }, t.cache);
});
