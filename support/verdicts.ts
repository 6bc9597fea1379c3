/**
 * Assertion helpers, one per shape of requirement. Each throws a CheckFailure that names the
 * requirement and shows the expected and the actual value; SHOULD-level aspects go to `warn`.
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

/** Fails with `requirement` unless `condition` holds. */
export function demand(condition: unknown, requirement: string, expected: unknown, actual: unknown): asserts condition {
  if (!condition) throw new CheckFailure(requirement, typeof expected === 'string' ? expected : describe(expected), describe(actual));
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
const SCOPE_LIST = /^[\x21\x23-\x5B\x5D-\x7E]+( [\x21\x23-\x5B\x5D-\x7E]+)*$/;
const TOKEN_ENDPOINT_ERRORS = ['invalid_request', 'invalid_client', 'invalid_grant', 'unauthorized_client', 'unsupported_grant_type', 'invalid_scope'];

export interface CacheHeaderOptions {
  pragma: 'required' | 'optional';
  warn?: Warn;
}

/** RFC 6749 §5.1: token-endpoint responses carry `Cache-Control: no-store` and `Pragma: no-cache`. */
export function expectNoStore(exchange: Exchange, { pragma, warn }: CacheHeaderOptions): void {
  const cacheControl = headerValue(exchange.response, 'cache-control');
  const directives = (cacheControl ?? '').split(',').map((d) => d.trim().toLowerCase());
  demand(directives.includes('no-store'), 'the response must not be cached (RFC 6749 §5.1)', 'Cache-Control containing no-store', cacheControl);
  const pragmaValue = headerValue(exchange.response, 'pragma');
  const hasPragma = /(^|,)\s*no-cache\s*(,|$)/i.test(pragmaValue ?? '');
  if (pragma === 'required') {
    demand(hasPragma, 'the response must carry Pragma: no-cache (RFC 6749 §5.1)', 'Pragma: no-cache', pragmaValue);
  } else if (!hasPragma) {
    warn?.(`Pragma: no-cache is absent (${describe(pragmaValue)}); RFC 6749 §5.1 requires it, OAuth 2.1 dropped it`);
  }
}

/** RFC 6749 §5.2 error response: status, JSON, the expected error code, a valid charset, no-store. */
export function expectOAuthError(
  exchange: Exchange,
  expected: { status: number | number[]; error: string | string[] },
  cache: CacheHeaderOptions,
): void {
  const statuses = [expected.status].flat();
  const errors = [expected.error].flat();
  const body = bodyOf(exchange);
  demand(statuses.includes(exchange.response.status), `the request must be refused with ${errors.join(' or ')}`, `HTTP ${statuses.join(' or ')}`, summary(exchange));
  demand(body, 'an error response must be JSON (RFC 6749 §5.2)', 'application/json object', `${exchange.response.contentType}: ${redactedExcerpt(bodyEvidence(exchange), 200)}`);
  demand(errors.includes(body.error as string), 'the error code must name the problem (RFC 6749 §5.2)', errors.join(' or '), body.error);
  demand(TOKEN_ENDPOINT_ERRORS.includes(body.error as string), 'error must be one of RFC 6749 §5.2', TOKEN_ENDPOINT_ERRORS.join(', '), body.error);
  for (const member of ['error', 'error_description'] as const) {
    const value = body[member];
    if (value === undefined) continue;
    demand(typeof value === 'string' && ERROR_CHARSET.test(value), `${member} must use the RFC 6749 §5.2 character set`, 'printable ASCII without " and \\', value);
  }
  expectNoStore(exchange, cache);
}

/** TK-01: a successful access-token response (RFC 6749 §5.1). */
export function expectSuccessfulTokenResponse(exchange: Exchange, warn: Warn): Record<string, unknown> {
  demand(exchange.response.status === 200, 'a valid token request must succeed (RFC 6749 §5.1)', 'HTTP 200', summary(exchange));
  demand(/^application\/json\b/i.test(exchange.response.contentType), 'the token response must be JSON (RFC 6749 §5.1)', 'Content-Type: application/json', exchange.response.contentType);
  const body = bodyOf(exchange);
  demand(body, 'the token response must be a JSON object', 'a JSON object', redactedExcerpt(bodyEvidence(exchange), 200));
  demand(typeof body.access_token === 'string' && body.access_token.length > 0, 'access_token is REQUIRED (RFC 6749 §5.1)', 'a non-empty string', body.access_token);
  demand(typeof body.token_type === 'string' && body.token_type.length > 0, 'token_type is REQUIRED (RFC 6749 §5.1)', 'a non-empty string', body.token_type);
  if (body.expires_in === undefined) warn('expires_in is absent; RFC 6749 §5.1 RECOMMENDS it');
  return body;
}

/** TK-02: JSON typing and casing of a token response (RFC 6749 §5.1, §3.3). */
export function expectTokenResponseTyping(body: Record<string, unknown>): void {
  demand(typeof body.token_type === 'string' && body.token_type.toLowerCase() === 'bearer', 'token_type must be Bearer, compared case-insensitively (RFC 6750 §4)', '"Bearer" in any case', body.token_type);
  if (body.expires_in !== undefined) {
    const seconds = body.expires_in;
    demand(typeof seconds === 'number' && Number.isInteger(seconds), 'expires_in must be a JSON number of seconds (RFC 6749 §5.1)', 'an integer', seconds);
    demand(seconds > 0 && seconds <= 31_536_000, 'expires_in must be a positive lifetime in seconds, at most a year', '1..31536000', seconds);
  }
  if (body.scope !== undefined) {
    demand(typeof body.scope === 'string' && SCOPE_LIST.test(body.scope), 'scope must be scope-tokens separated by single spaces (RFC 6749 §3.3)', 'a string such as "a b"', body.scope);
  }
  if (body.refresh_token !== undefined) {
    demand(typeof body.refresh_token === 'string' && body.refresh_token.length > 0, 'refresh_token, when present, must be a non-empty string', 'a string', body.refresh_token);
  }
  const nulls = Object.entries(body).filter(([, v]) => v === null).map(([k]) => k);
  demand(nulls.length === 0, 'parameters with no value must be omitted, not null (RFC 6749 §5.1)', 'no null members', nulls);
}

function challengesOf(exchange: Exchange): Challenge[] {
  return parseChallenges(headerValues(exchange.response, 'www-authenticate'));
}

/**
 * RFC 6750 §3: a Bearer challenge. `error: null` means the challenge must carry no error code
 * (the request had no credentials); a string means exactly that code.
 */
export function expectBearerChallenge(exchange: Exchange, expected: { status: number; error: string | null }): Challenge {
  demand(exchange.response.status === expected.status, `the API must answer HTTP ${expected.status} (RFC 6750 §3.1)`, `HTTP ${expected.status}`, summary(exchange));
  const bearer = challengesOf(exchange).find((c) => c.scheme === 'bearer');
  demand(bearer, 'the response must carry a Bearer challenge (RFC 6750 §3)', 'WWW-Authenticate: Bearer …', headerValues(exchange.response, 'www-authenticate'));
  if (expected.error === null) {
    demand(bearer.params.error === undefined, 'a request without credentials gets no error code (RFC 6750 §3.1)', 'no error= attribute', bearer.params.error);
  } else {
    demand(bearer.params.error === expected.error, 'the challenge must name the error (RFC 6750 §3.1)', `error="${expected.error}"`, bearer.params.error);
  }
  return bearer;
}

/** RFC 7617 §2 / RFC 9110 §11.6.1: a 401 with a Basic challenge that has a realm. */
export function expectBasicChallenge(exchange: Exchange): Challenge {
  demand(exchange.response.status === 401, 'missing or wrong credentials must get 401 (RFC 9110 §15.5.2)', 'HTTP 401', summary(exchange));
  const basic = challengesOf(exchange).find((c) => c.scheme === 'basic');
  demand(basic, 'a 401 must carry a Basic challenge (RFC 9110 §11.6.1, RFC 7617 §2)', 'WWW-Authenticate: Basic realm="…"', headerValues(exchange.response, 'www-authenticate'));
  demand(typeof basic.params.realm === 'string', 'the Basic challenge must carry a realm (RFC 7617 §2)', 'realm="…"', basic.params);
  return basic;
}

/**
 * RFC 6749 §5.2: a client that authenticated with the Authorization header and failed gets
 * 401, a challenge for the scheme it used, and invalid_client. A 400 is a common deviation
 * (pitfall P6) and only warned about.
 */
export function expectInvalidClient(exchange: Exchange, cache: CacheHeaderOptions, warn: Warn): void {
  expectOAuthError(exchange, { status: [400, 401], error: 'invalid_client' }, cache);
  if (exchange.response.status === 400) {
    warn('invalid_client came with HTTP 400; RFC 6749 §5.2 asks for 401 and a WWW-Authenticate challenge when the client used the Authorization header');
    return;
  }
  expectBasicChallenge(exchange);
}
