/** MD: authorization server metadata (RFC 8414), where the target publishes it. */
import { randomBytes } from 'node:crypto';
import { check, type CheckContext } from '../support/check.ts';
import { fetchMetadata, isLoopbackHttp, listMember, metadataLocations, type Metadata } from '../support/metadata.ts';
import { registerSecret } from '../support/secrets.ts';
import { oracleVerdict } from '../support/token-endpoint.ts';
import { tokenManagement } from '../support/token-management.ts';
import { demand, describeResponse, precondition } from '../support/verdicts.ts';

/** The issuer's metadata; skips the check when the target publishes none (RFC 8414 makes it optional). */
async function publishedMetadata(t: CheckContext): Promise<Metadata & { document: Record<string, unknown> }> {
  const metadata = await fetchMetadata(t.config.issuer);
  const { inserted, appended } = metadataLocations(t.config.issuer);
  precondition(metadata.document, `the target publishes no authorization server metadata (${inserted}: HTTP ${metadata.inserted.exchange.response.status}, ${appended}: HTTP ${metadata.appended.exchange.response.status}); RFC 8414 makes it optional, and Pleo documents none`);
  return { ...metadata, document: metadata.document };
}

check('MD-01', 'the metadata document is at the RFC 8414 location and names the configured issuer', { level: 'MUST', refs: ['RFC8414-2', 'RFC8414-3', 'RFC8414-3.3'] }, async (t) => {
  const metadata = await publishedMetadata(t);
  const { issuer } = t.config;
  t.should(metadata.inserted.document, 'the metadata should be published where RFC 8414 §3 puts it (the well-known suffix inserted before the issuer\'s path), not only at the OpenID-style appended location', metadataLocations(issuer).inserted, describeResponse(metadata.inserted.exchange));
  for (const [where, { document }] of Object.entries({ 'RFC 8414 location': metadata.inserted, 'OpenID location': metadata.appended })) {
    if (!document) continue;
    demand(document.issuer === issuer, `the issuer of the metadata (${where}) must be identical to the issuer its URL was built from; otherwise it must not be used (RFC 8414 §3.3)`, issuer, document.issuer);
    const missing = ['issuer', 'authorization_endpoint', 'token_endpoint', 'response_types_supported'].filter((member) => document[member] === undefined);
    demand(missing.length === 0, `the metadata (${where}) must carry the REQUIRED members (RFC 8414 §2)`, 'issuer, authorization_endpoint, token_endpoint, response_types_supported', `missing ${missing.join(', ')}`);
  }
  const url = new URL(issuer);
  demand(!url.search && !url.hash, 'the issuer must have no query or fragment (RFC 8414 §2)', 'no ? or #', issuer);
  if (isLoopbackHttp(issuer)) t.info('the issuer is plain http on a loopback host (a local test target): the https requirement of RFC 8414 §2 is not checked here');
  else demand(url.protocol === 'https:', 'the issuer must be an https URL (RFC 8414 §2)', 'https://…', issuer);
});

/** Whether a plain PKCE challenge is honoured: one authorization with method plain, redeemed with the same value. */
async function plainPkceWorks(t: CheckContext): Promise<boolean> {
  const verifier = registerSecret(randomBytes(48).toString('base64url'), 'code_verifier');
  const flow = await t.authorize({ params: { code_challenge: verifier, code_challenge_method: 'plain' } });
  if (!flow.outcome?.code) return false;
  return (await t.token.exchangeCode(flow.outcome.code, { verifier })).response.status === 200;
}

check('MD-02', 'the advertised capabilities match what the server does', { level: 'SHOULD', refs: ['RFC8414-2', 'RFC9700-2.1.1', 'RFC9207-3'] }, async (t) => {
  const { document } = await publishedMetadata(t);
  const { flow, tokens } = await t.shared();
  const list = (name: string, fallback?: string[]) => listMember(document, name) ?? fallback ?? [];
  const advertises = (name: string, value: string, observed: string, fallback?: string[]) =>
    t.should(list(name, fallback).includes(value), `${observed}, so ${name} should list ${value} (RFC 8414 §2)`, `a list with ${value}`, document[name]);
  if (flow.outcome?.code) advertises('response_types_supported', 'code', 'the code flow works');
  // RFC 8414 §2: grant_types_supported defaults to authorization_code and implicit.
  if (tokens) advertises('grant_types_supported', 'authorization_code', 'codes are redeemed', ['authorization_code', 'implicit']);
  if (tokens?.refreshToken) advertises('grant_types_supported', 'refresh_token', 'refresh tokens are issued', ['authorization_code', 'implicit']);
  if (tokens) advertises('code_challenge_methods_supported', 'S256', 'S256 PKCE is honoured (RFC 9700 §2.1.1: PKCE support should be detectable)');
  if (list('code_challenge_methods_supported').includes('plain')) {
    if (t.config.profile.pkce === 'fapi2') t.warn('code_challenge_methods_supported lists plain, but the declared profile (fapi2) allows S256 only (FAPI 2.0)');
    else t.should(await plainPkceWorks(t), 'code_challenge_methods_supported lists plain, so a plain challenge should be honoured (RFC 8414 §2)', 'a code redeemed with a plain verifier', 'refused');
  }
  const oracle = await t.token.calibration();
  const methods = list('token_endpoint_auth_methods_supported', ['client_secret_basic']);
  if (oracle.usable) {
    const basic = (await t.token.probeClientAuth()).verdict === 'authenticated';
    const post = oracleVerdict(await tokenManagement(t.config).redeemWithBodyCredentials(t.config.clientId, t.config.clientSecret), oracle) === 'authenticated';
    t.should(methods.includes('client_secret_basic') === basic, 'token_endpoint_auth_methods_supported should match whether client_secret_basic authenticates (RFC 8414 §2)', `listed: ${basic}`, methods);
    t.should(methods.includes('client_secret_post') === post, 'token_endpoint_auth_methods_supported should match whether client_secret_post authenticates (RFC 8414 §2)', `listed: ${post}`, methods);
  }
  const endpoints: Array<[string, string | undefined]> = [['authorization_endpoint', t.config.authorizeUrl], ['token_endpoint', t.config.tokenUrl], ['revocation_endpoint', t.config.revocationUrl]];
  for (const [member, configured] of endpoints) {
    if (document[member] === undefined) continue;
    if (configured) t.should(document[member] === configured, `${member} should be the endpoint the target is configured with (RFC 8414 §2)`, configured, document[member]);
    else t.info(`the metadata advertises a ${member} (${String(document[member])}) that is not configured: set it to test it`);
  }
  if (document.authorization_response_iss_parameter_supported === true && flow.outcome) {
    t.should(flow.outcome.iss === t.config.issuer, 'the metadata says authorization responses carry iss, so the redirect should carry the issuer (RFC 9207 §3)', t.config.issuer, flow.outcome.iss);
  }
  const scopes = listMember(document, 'scopes_supported');
  if (scopes && tokens) t.should(t.config.scopes.every((s) => scopes.includes(s)), 'scopes_supported should list the scopes the server grants (RFC 8414 §2)', t.config.scopes, scopes);
});
