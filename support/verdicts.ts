/**
 * Assertion helpers, one per shape of requirement. Each assertion has the level of the clause
 * sentence it enforces: a violated MUST throws a CheckFailure (naming the clause, with the expected
 * and the actual value); a violated SHOULD goes to the check's `warn`; where the RFCs allow several
 * answers, the helper takes them all.
 */
import { bodyEvidence, headerValue, headerValues, type Exchange } from './http.ts';
import { redactDeep, redactedExcerpt } from './secrets.ts';
import { parseChallenges, type Challenge } from './www-authenticate.ts';

export class CheckFailure extends Error {
  constructor(readonly requirement: string, readonly expected: string, readonly actual: string) {
    super(`${requirement}\n  expected: ${expected}\n  actual:   ${actual}`);
    this.name = 'CheckFailure';
  }
}

export type Warn = (message: string) => void;

/** Fails with `requirement` (a MUST) unless `condition` holds. */
export function demand(condition: unknown, requirement: string, expected: unknown, actual: unknown): asserts condition {
  if (!condition) throw new CheckFailure(requirement, typeof expected === 'string' ? expected : describe(expected), describe(actual));
}

/** A violated SHOULD: a warning with the same shape as a failure. Returns whether it held. */
export function recommend(warn: Warn, condition: unknown, requirement: string, expected: unknown, actual: unknown): boolean {
  if (!condition) warn(new CheckFailure(requirement, typeof expected === 'string' ? expected : describe(expected), describe(actual)).message);
  return Boolean(condition);
}

/** An unmet precondition: the check is skipped with this reason, not failed. */
export class PreconditionUnmet extends Error {
  override name = 'PreconditionUnmet';
}

/** Skips the running check, with the reason, unless `value` is present. */
export function precondition<T>(value: T, reason: string): asserts value is NonNullable<T> {
  if (value === undefined || value === null || value === false || value === '') throw new PreconditionUnmet(reason);
}

/** The longest value a failure shows; longer ones are cut, after redaction. */
const MAX_VALUE_CHARS = 500;

export function describe(value: unknown): string {
  if (value === undefined) return '(absent)';
  // Redacted whole before it is quoted or cut: a cut secret may be too short to recognise.
  if (typeof value !== 'string') return redactedExcerpt(JSON.stringify(redactDeep(value)) ?? String(value), MAX_VALUE_CHARS);
  const clear = redactedExcerpt(value, MAX_VALUE_CHARS);
  // Short strings quoted, so stray whitespace shows; long ones (response summaries) as they are.
  return clear.length > 60 || clear.includes('\n') ? clear : JSON.stringify(clear);
}

function bodyOf(exchange: Exchange): Record<string, unknown> | undefined {
  const json = exchange.response.json;
  return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

/** A one-line description of a response, for the `actual` of a failure: redacted, then cut. */
export function describeResponse(exchange: Exchange): string {
  return `HTTP ${exchange.response.status} ${redactedExcerpt(bodyEvidence(exchange), 300)}`;
}
const summary = describeResponse;

/** The OAuth `error` member of a JSON response, if any. */
export function errorOf(exchange: Exchange): string | undefined {
  const error = bodyOf(exchange)?.error;
  return typeof error === 'string' ? error : undefined;
}

// RFC 6749 §5.2: error and error_description use %x20-21 / %x23-5B / %x5D-7E only.
const ERROR_CHARSET = /^[\x20\x21\x23-\x5B\x5D-\x7E]*$/;
// RFC 6749 §3.3: scope = scope-token *( SP scope-token ), scope-token = 1*( %x21 / %x23-5B / %x5D-7E ).
// RFC 6749 §5.2: error_uri uses %x21 / %x23-5B / %x5D-7E.
const ERROR_URI_CHARSET = /^[\x21\x23-\x5B\x5D-\x7E]+$/;
const SCOPE_LIST = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;

export interface CacheHeaderOptions {
  pragma: 'required' | 'optional';
  warn?: Warn;
}

/**
 * RFC 6749 §5.1: a response that carries tokens has `Cache-Control: no-store` (MUST) and
 * `Pragma: no-cache` (MUST in RFC 6749, dropped by OAuth 2.1: the declared profile decides).
 * On an error response the same headers are only a SHOULD (catalog TK-03): pass `level: 'SHOULD'`.
 */
export function expectNoStore(exchange: Exchange, { pragma, warn }: CacheHeaderOptions, level: 'MUST' | 'SHOULD' = 'MUST'): void {
  const check = level === 'MUST' || !warn
    ? (ok: unknown, requirement: string, expected: string, actual: unknown) => demand(ok, requirement, expected, actual)
    : (ok: unknown, requirement: string, expected: string, actual: unknown) => void recommend(warn, ok, requirement, expected, actual);
  const what = level === 'MUST' ? 'a response with tokens must' : 'an error response from the token endpoint should';
  const cacheControl = headerValue(exchange.response, 'cache-control');
  const directives = (cacheControl ?? '').split(',').map((d) => d.trim().toLowerCase());
  check(directives.includes('no-store'), `${what} not be cached (RFC 6749 §5.1)`, 'Cache-Control containing no-store', cacheControl);
  const pragmaValue = headerValue(exchange.response, 'pragma');
  const hasPragma = /(^|,)\s*no-cache\s*(,|$)/i.test(pragmaValue ?? '');
  if (pragma === 'required') {
    check(hasPragma, `${what} carry Pragma: no-cache (RFC 6749 §5.1; the profile requires it)`, 'Pragma: no-cache', pragmaValue);
  } else if (!hasPragma && level === 'MUST') {
    warn?.(`Pragma: no-cache is absent (${describe(pragmaValue)}); RFC 6749 §5.1 requires it, OAuth 2.1 dropped it`);
  }
}

/**
 * RFC 6749 §5.2 error response: one of the accepted statuses and error codes, a JSON object, the
 * error charset (all MUST), and the cache headers (SHOULD on errors, catalog TK-03).
 */
export function expectOAuthError(
  exchange: Exchange,
  expected: { status: number | number[]; error: string | string[]; because?: string },
  cache: CacheHeaderOptions,
): void {
  const statuses = [expected.status].flat();
  const errors = [expected.error].flat();
  const body = bodyOf(exchange);
  const requirement = expected.because ?? `the request must be refused with ${errors.join(' or ')} (RFC 6749 §5.2)`;
  // Refused as a client before the property under test was looked at: CA-01 reports that, not this check.
  if (!errors.includes('invalid_client') && body?.error === 'invalid_client') {
    throw new PreconditionUnmet('the token endpoint refused the client itself (invalid_client) before it looked at what this check probes; CA-01 checks client authentication');
  }
  demand(statuses.includes(exchange.response.status), requirement, `HTTP ${statuses.join(' or ')} ${errors.join(' or ')}`, summary(exchange));
  demand(body, 'an error response must be JSON (RFC 6749 §5.2)', 'application/json object', `${exchange.response.contentType}: ${redactedExcerpt(bodyEvidence(exchange), 200)}`);
  demand(errors.includes(body.error as string), expected.because ?? 'the error code must name the problem (RFC 6749 §5.2)', errors.join(' or '), body.error);
  expectErrorMembers(body);
  expectNoStore(exchange, cache, 'SHOULD');
}

/** RFC 6749 §5.2: error and error_description in the error charset, error_uri a URI in its charset (all MUST). */
function expectErrorMembers(body: Record<string, unknown>): void {
  for (const member of ['error', 'error_description'] as const) {
    const value = body[member];
    if (value === undefined) continue;
    demand(typeof value === 'string' && ERROR_CHARSET.test(value), `${member} must use the RFC 6749 §5.2 character set`, 'printable ASCII without " and \\', value);
  }
  const uri = body.error_uri;
  if (uri === undefined) return;
  const isUri = typeof uri === 'string' && ERROR_URI_CHARSET.test(uri) && URL.canParse(uri);
  demand(isUri, 'error_uri must be a URI (RFC 6749 §5.2)', 'an absolute URI such as "https://…"', uri);
}

// RFC 6749 §5.2 and the token-endpoint codes of the OAuth Extensions Error Registry (§8.5):
// RFC 8628 (device flow), RFC 8707 (resource indicators), RFC 9396 (RAR), RFC 9449 (DPoP).
const TOKEN_ERROR_CODES = new Set([
  'invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope',
  'authorization_pending', 'slow_down', 'access_denied', 'expired_token', 'invalid_target', 'invalid_authorization_details',
  'invalid_dpop_proof', 'use_dpop_nonce',
]);

/**
 * TK-12: the format of any token-endpoint error, whatever it refuses (RFC 6749 §5.2, all MUST):
 * 400, or 401 for invalid_client; an application/json object; a known or registered error code;
 * the member charsets and error_uri. The cache headers are a SHOULD on errors (catalog TK-03).
 */
export function expectErrorFormat(exchange: Exchange, cache: CacheHeaderOptions): void {
  const body = bodyOf(exchange);
  const isJson = /^application\/json\b/i.test(exchange.response.contentType) && body;
  demand(isJson, 'an error response must be a JSON object sent as application/json (RFC 6749 §5.2)', 'application/json object', `${exchange.response.contentType}: ${redactedExcerpt(bodyEvidence(exchange), 200)}`);
  demand(typeof body.error === 'string' && TOKEN_ERROR_CODES.has(body.error), 'error must be an RFC 6749 §5.2 code or a registered extension code (RFC 6749 §8.5)', [...TOKEN_ERROR_CODES].join(' | '), body.error);
  const { status } = exchange.response;
  demand(status === 400 || (status === 401 && body.error === 'invalid_client'), 'an error response must be 400, or 401 for invalid_client (RFC 6749 §5.2)', 'HTTP 400 (401 for invalid_client)', summary(exchange));
  expectErrorMembers(body);
  expectNoStore(exchange, cache, 'SHOULD');
}

/** TK-01: a successful access-token response (RFC 6749 §5.1). */
export function expectSuccessfulTokenResponse(exchange: Exchange, warn: Warn): Record<string, unknown> {
  demand(exchange.response.status === 200, 'a valid token request must succeed (RFC 6749 §5.1)', 'HTTP 200', summary(exchange));
  demand(/^application\/json\b/i.test(exchange.response.contentType), 'the token response must be JSON (RFC 6749 §5.1)', 'Content-Type: application/json', exchange.response.contentType);
  const body = bodyOf(exchange);
  demand(body, 'the token response must be a JSON object (RFC 6749 §5.1)', 'a JSON object', redactedExcerpt(bodyEvidence(exchange), 200));
  demand(typeof body.access_token === 'string' && body.access_token.length > 0, 'access_token is REQUIRED (RFC 6749 §5.1)', 'a non-empty string', body.access_token);
  demand(typeof body.token_type === 'string' && body.token_type.length > 0, 'token_type is REQUIRED (RFC 6749 §5.1)', 'a non-empty string', body.token_type);
  recommend(warn, body.expires_in !== undefined, 'expires_in is RECOMMENDED (RFC 6749 §5.1)', 'an expires_in member', body.expires_in);
  return body;
}

const ONE_YEAR_S = 31_536_000;

/**
 * TK-02: JSON typing and casing of a token response (RFC 6749 §5.1, §3.3; RFC 6750 §4). Types are
 * MUST; an implausible lifetime (0, or more than a year: a milliseconds bug) and null members are
 * warnings (catalog TK-02 precision).
 */
export function expectTokenResponseTyping(body: Record<string, unknown>, warn: Warn): void {
  demand(typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'bearer', 'token_type must be Bearer, compared case-insensitively (RFC 6750 §4, RFC 6749 §5.1)', '"Bearer" in any case', body.token_type);
  if (body.expires_in !== undefined && body.expires_in !== null) {
    const seconds = body.expires_in;
    demand(typeof seconds === 'number' && Number.isFinite(seconds), 'expires_in must be a JSON number of seconds (RFC 6749 §5.1)', 'a number', seconds);
    recommend(warn, seconds > 0 && seconds <= ONE_YEAR_S, 'expires_in should be a plausible lifetime in seconds (RFC 6749 §5.1)', `1..${ONE_YEAR_S}`, seconds);
  }
  if (body.scope !== undefined && body.scope !== null) {
    demand(typeof body.scope === 'string' && SCOPE_LIST.test(body.scope), 'scope must be scope-tokens separated by single spaces (RFC 6749 §3.3)', 'a string such as "a b"', body.scope);
  }
  if (body.refresh_token !== undefined && body.refresh_token !== null) {
    demand(typeof body.refresh_token === 'string' && body.refresh_token.length > 0, 'refresh_token, when present, must be a non-empty string (RFC 6749 §5.1)', 'a string', body.refresh_token);
  }
  const nulls = Object.entries(body).filter(([, v]) => v === null).map(([k]) => k);
  recommend(warn, nulls.length === 0, 'parameters with no value should be omitted, not null (RFC 6749 §5.1)', 'no null members', nulls);
}

export function challengesOf(exchange: Exchange): Challenge[] {
  return parseChallenges(headerValues(exchange.response, 'www-authenticate'));
}

/** RFC 6750 §3: a refused request to a protected resource carries a Bearer challenge (MUST). */
export function expectBearerChallenge(exchange: Exchange): Challenge {
  const bearer = challengesOf(exchange).find((c) => c.scheme === 'bearer');
  demand(bearer, 'the response must carry a Bearer challenge (RFC 6750 §3)', 'WWW-Authenticate: Bearer …', headerValues(exchange.response, 'www-authenticate'));
  return bearer;
}

/** The API refused the request: never 2xx (RFC 6749 §7: the resource server validates the credential). */
export function expectRefused(exchange: Exchange, requirement: string): void {
  const { status } = exchange.response;
  demand(status >= 400 && status < 500, requirement, 'a 4xx refusal', summary(exchange));
}

/** RFC 7617 §2 / RFC 9110 §11.6.1: a 401 with a Basic challenge that has a realm (all MUST). */
export function expectBasicChallenge(exchange: Exchange): Challenge {
  demand(exchange.response.status === 401, 'wrong client credentials in the Authorization header must get 401 (RFC 6749 §5.2)', 'HTTP 401', summary(exchange));
  const basic = challengesOf(exchange).find((c) => c.scheme === 'basic');
  demand(basic, 'the 401 must carry a challenge for the scheme the client used, Basic (RFC 6749 §5.2, RFC 9110 §11.6.1)', 'WWW-Authenticate: Basic realm="…"', headerValues(exchange.response, 'www-authenticate'));
  demand(typeof basic.params.realm === 'string', 'the Basic challenge must carry a realm (RFC 7617 §2)', 'realm="…"', basic.params);
  return basic;
}

/**
 * RFC 6749 §5.2: a client that authenticated with the Authorization header and failed gets 401,
 * invalid_client and a challenge for the scheme it used. The suite always uses the header, so a 400
 * fails (catalog CA-03); a target that differs lists it in its expected failures.
 */
export function expectInvalidClient(exchange: Exchange, cache: CacheHeaderOptions): void {
  expectOAuthError(exchange, { status: 401, error: 'invalid_client' }, cache);
  expectBasicChallenge(exchange);
}

/**
 * RFC 6750 §3.1 (catalog RS-03): an invalid, expired or revoked access token is never accepted
 * (MUST, RFC 6749 §7), the refusal carries a Bearer challenge (MUST), and it should be a 401 with
 * error="invalid_token" (SHOULD).
 */
export function expectTokenRefused(exchange: Exchange, requirement: string, warn: Warn): void {
  expectRefused(exchange, requirement);
  const bearer = expectBearerChallenge(exchange);
  recommend(warn, exchange.response.status === 401 && bearer.params.error === 'invalid_token', 'a refused token should get 401 with error="invalid_token" (RFC 6750 §3.1)', '401, error="invalid_token"', `HTTP ${exchange.response.status}, error=${bearer.params.error ?? '(none)'}`);
}

/**
 * RFC 6750 §3.1 (catalog RS-03): a malformed Authorization header, or "Bearer" with no token, is
 * refused with 400 invalid_request or 401 invalid_token (MUST; a 401 carries a Bearer challenge).
 * A refusal without an error code treats the header as no credentials at all: a warning.
 */
export function expectMalformedBearerRefused(exchange: Exchange, label: string, warn: Warn): void {
  const { status } = exchange.response;
  demand(status === 400 || status === 401, `${label} must be refused with 400 invalid_request or 401 invalid_token (RFC 6750 §3.1)`, 'HTTP 400 or 401', summary(exchange));
  const bearer = challengesOf(exchange).find((c) => c.scheme === 'bearer');
  if (status === 401) demand(bearer, `the 401 for ${label} must carry a Bearer challenge (RFC 6750 §3)`, 'WWW-Authenticate: Bearer …', headerValues(exchange.response, 'www-authenticate'));
  const error = bearer?.params.error ?? errorOf(exchange);
  if (!recommend(warn, error !== undefined, `${label} should be answered with an error code, not as a request without credentials (RFC 6750 §3.1)`, 'error="invalid_request" or "invalid_token"', '(none)')) return;
  demand(error === 'invalid_request' || error === 'invalid_token', `${label}: the error must be invalid_request or invalid_token (RFC 6750 §3.1)`, 'invalid_request or invalid_token', error);
}
