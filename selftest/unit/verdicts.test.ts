import { describe, expect, it, vi } from 'vitest';
import type { Exchange } from '../../support/http.ts';
import {
  CheckFailure, PreconditionUnmet, challengesOf, demand, expectBasicChallenge, expectBearerChallenge, expectInvalidClient, expectNoStore,
  expectErrorFormat, expectOAuthError, expectSuccessfulTokenResponse, expectTokenRefused, expectTokenResponseTyping, precondition, recommend,
} from '../../support/verdicts.ts';
import { thrown } from './thrown.ts';

const NO_STORE = { 'cache-control': 'no-store', pragma: 'no-cache' };
const JSON_TYPE = 'application/json; charset=utf-8';

function exchange(status: number, headers: Record<string, string | string[]>, body?: unknown, contentType = JSON_TYPE): Exchange {
  const text = typeof body === 'string' ? body : JSON.stringify(body ?? {});
  return {
    request: { method: 'POST', url: 'https://as.test/oauth/token', headers: {}, body: 'grant_type=authorization_code' },
    response: {
      status,
      headers: { 'content-type': contentType, ...headers },
      text,
      json: /json/.test(contentType) && typeof body !== 'string' ? body : undefined,
      contentType,
    },
  };
}
const error = (status: number, body: unknown, headers: Record<string, string | string[]> = NO_STORE) => exchange(status, headers, body);
const required = { pragma: 'required' as const };

const failure = (fn: () => unknown) => thrown(CheckFailure, fn);

describe('CheckFailure and demand', () => {
  it('carries requirement, expected and actual in the message', () => {
    const e = failure(() => demand(false, 'the thing must hold', 'HTTP 200', 404));
    expect([e.requirement, e.expected, e.actual]).toEqual(['the thing must hold', 'HTTP 200', '404']);
    expect(e.message).toBe('the thing must hold\n  expected: HTTP 200\n  actual:   404');
    expect(e.name).toBe('CheckFailure');
  });

  it('describes absent and string actual values', () => {
    expect(failure(() => demand(0, 'r', ['a'], undefined)).message).toBe('r\n  expected: ["a"]\n  actual:   (absent)');
    expect(failure(() => demand('', 'r', 'x', 'y')).actual).toBe('"y"');
  });
});

describe('precondition', () => {
  it.each([undefined, null, false, ''])('throws PreconditionUnmet for %j', (value) => {
    expect(() => precondition(value, 'no code issued')).toThrow(new PreconditionUnmet('no code issued'));
  });

  it.each([0, 'code', true, {}])('passes for %j', (value) => {
    expect(() => precondition(value, 'r')).not.toThrow();
  });
});

describe('expectNoStore (RFC 6749 §5.1)', () => {
  it('passes with no-store among other directives', () => {
    expect(() => expectNoStore(exchange(200, { 'cache-control': 'private, NO-STORE, max-age=0', pragma: 'no-cache' }), required)).not.toThrow();
  });

  it('passes with no-store across two header lines', () => {
    expect(() => expectNoStore(exchange(200, { 'cache-control': ['private', 'no-store'], pragma: 'no-cache' }), required)).not.toThrow();
  });

  it('fails with Cache-Control: no-cache, private', () => {
    const e = failure(() => expectNoStore(exchange(200, { 'cache-control': 'no-cache, private', pragma: 'no-cache' }), required));
    expect(e.actual).toBe('"no-cache, private"');
  });

  it('fails without Cache-Control', () => {
    expect(failure(() => expectNoStore(exchange(200, { pragma: 'no-cache' }), required)).actual).toBe('(absent)');
  });

  it('fails on a directive that only contains no-store', () => {
    failure(() => expectNoStore(exchange(200, { 'cache-control': 'x-no-store', pragma: 'no-cache' }), required));
  });

  it('fails without Pragma when it is required', () => {
    const e = failure(() => expectNoStore(exchange(200, { 'cache-control': 'no-store' }), required));
    expect(e.requirement).toBe('a response with tokens must carry Pragma: no-cache (RFC 6749 §5.1; the profile requires it)');
  });

  it('warns without Pragma when it is optional', () => {
    const warn = vi.fn();
    expectNoStore(exchange(200, { 'cache-control': 'no-store' }), { pragma: 'optional', warn });
    expect(warn).toHaveBeenCalledOnce();
    expect(warn.mock.calls[0][0]).toMatch(/^Pragma: no-cache is absent/);
  });

  it('does not warn with Pragma when it is optional', () => {
    const warn = vi.fn();
    expectNoStore(exchange(200, NO_STORE), { pragma: 'optional', warn });
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('expectOAuthError (RFC 6749 §5.2)', () => {
  const expected = { status: 400, error: 'invalid_grant' };

  it('passes a conforming error', () => {
    expect(() => expectOAuthError(error(400, { error: 'invalid_grant', error_description: 'code expired' }), expected, required)).not.toThrow();
  });

  it('accepts any of several statuses and codes', () => {
    expect(() => expectOAuthError(error(401, { error: 'invalid_client' }), { status: [400, 401], error: ['invalid_grant', 'invalid_client'] }, required)).not.toThrow();
  });

  it('accepts a registered extension error code when it is the one expected (RFC 6749 §8.5)', () => {
    expect(() => expectOAuthError(error(400, { error: 'invalid_dpop_proof' }), { status: 400, error: 'invalid_dpop_proof' }, required)).not.toThrow();
  });

  it('fails on the wrong status, naming the requirement it was given', () => {
    const e = failure(() => expectOAuthError(error(500, { error: 'invalid_grant' }), { ...expected, because: 'a reused code must be refused (RFC 6749 §10.5)' }, required));
    expect(e.requirement).toBe('a reused code must be refused (RFC 6749 §10.5)');
    expect(e.expected).toBe('HTTP 400 invalid_grant');
    expect(e.actual).toBe(JSON.stringify('HTTP 500 {"error":"invalid_grant"}'));
  });

  it('fails on an HTML body', () => {
    const e = failure(() => expectOAuthError(exchange(400, NO_STORE, '<html>Bad Request</html>', 'text/html'), expected, required));
    expect(e.actual).toBe('"text/html: <html>Bad Request</html>"');
  });

  it('fails on the wrong error code', () => {
    const e = failure(() => expectOAuthError(error(400, { error: 'invalid_request' }), expected, required));
    expect([e.expected, e.actual]).toEqual(['invalid_grant', '"invalid_request"']);
  });

  it.each(['say "no"', 'back\\slash', 'tab\there', 'ünïcode'])('fails on error_description %j', (description) => {
    const e = failure(() => expectOAuthError(error(400, { error: 'invalid_grant', error_description: description }), expected, required));
    expect(e.requirement).toBe('error_description must use the RFC 6749 §5.2 character set');
  });

  it.each(['see the docs', 'https://as.test/errors/"x"', ''])('fails on error_uri %j, which is not a URI', (uri) => {
    const e = failure(() => expectOAuthError(error(400, { error: 'invalid_grant', error_uri: uri }), expected, required));
    expect(e.requirement).toBe('error_uri must be a URI (RFC 6749 §5.2)');
  });

  it('passes an absolute error_uri', () => {
    expect(() => expectOAuthError(error(400, { error: 'invalid_grant', error_uri: 'https://as.test/errors#invalid_grant' }), expected, required)).not.toThrow();
  });

  it('fails on a non-string error_description', () => {
    failure(() => expectOAuthError(error(400, { error: 'invalid_grant', error_description: 1 }), expected, required));
  });

  it('only warns without no-store or Pragma: on an error response they are a SHOULD (catalog TK-03)', () => {
    const warn = vi.fn();
    expectOAuthError(error(400, { error: 'invalid_grant' }, {}), expected, { pragma: 'required', warn });
    expect(warn).toHaveBeenCalledTimes(2);
    expect(warn.mock.calls[0][0]).toMatch(/^an error response from the token endpoint should not be cached \(RFC 6749 §5\.1\)/);
  });
});

describe('expectNoStore at SHOULD level', () => {
  it('warns instead of failing', () => {
    const warn = vi.fn();
    expectNoStore(exchange(400, { 'cache-control': 'no-cache' }), { pragma: 'optional', warn }, 'SHOULD');
    expect(warn).toHaveBeenCalledOnce();
  });
});

describe('recommend (a SHOULD-level assertion)', () => {
  it('warns with the requirement, expected and actual, and returns false', () => {
    const warn = vi.fn();
    expect(recommend(warn, false, 'x should hold (RFC 1 §1)', 'a', 'b')).toBe(false);
    expect(warn).toHaveBeenCalledWith('x should hold (RFC 1 §1)\n  expected: a\n  actual:   "b"');
  });

  it('stays silent and returns true when it holds', () => {
    const warn = vi.fn();
    expect(recommend(warn, true, 'x', 'a', 'b')).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });
});

describe('expectSuccessfulTokenResponse (RFC 6749 §5.1)', () => {
  const good = { access_token: 'at', token_type: 'Bearer', expires_in: 900 };

  it('returns the body of a good response without warning', () => {
    const warn = vi.fn();
    expect(expectSuccessfulTokenResponse(exchange(200, NO_STORE, good), warn)).toEqual(good);
    expect(warn).not.toHaveBeenCalled();
  });

  it('fails on a non-200 status', () => {
    failure(() => expectSuccessfulTokenResponse(exchange(201, NO_STORE, good), vi.fn()));
  });

  it('fails on a non-JSON content type', () => {
    expect(failure(() => expectSuccessfulTokenResponse(exchange(200, NO_STORE, 'access_token=at', 'text/plain'), vi.fn())).actual).toBe('"text/plain"');
  });

  it.each(['access_token', 'token_type'])('fails without %s', (member) => {
    const e = failure(() => expectSuccessfulTokenResponse(exchange(200, NO_STORE, { ...good, [member]: undefined }), vi.fn()));
    expect(e.requirement).toBe(`${member} is REQUIRED (RFC 6749 §5.1)`);
  });

  it('fails on an empty access_token', () => {
    failure(() => expectSuccessfulTokenResponse(exchange(200, NO_STORE, { ...good, access_token: '' }), vi.fn()));
  });

  it('warns without expires_in (RECOMMENDED)', () => {
    const warn = vi.fn();
    expectSuccessfulTokenResponse(exchange(200, NO_STORE, { access_token: 'at', token_type: 'Bearer' }), warn);
    expect(warn.mock.calls[0][0]).toMatch(/^expires_in is RECOMMENDED \(RFC 6749 §5\.1\)/);
  });
});

describe('expectTokenResponseTyping', () => {
  const good = { access_token: 'at', token_type: 'Bearer', expires_in: 900, scope: 'a b', refresh_token: 'rt' };
  const typing = (patch: Record<string, unknown>, warn = vi.fn()) => () => expectTokenResponseTyping({ ...good, ...patch }, warn);

  it.each(['Bearer', 'bearer', 'BEARER'])('accepts token_type %s', (tokenType) => {
    expect(typing({ token_type: tokenType })).not.toThrow();
  });

  it.each([1, 1.5, 31_536_000])('accepts expires_in %d without a warning', (seconds) => {
    const warn = vi.fn();
    expect(typing({ expires_in: seconds }, warn)).not.toThrow();
    expect(warn).not.toHaveBeenCalled();
  });

  it('accepts absent optional members', () => {
    expect(() => expectTokenResponseTyping({ access_token: 'at', token_type: 'Bearer' }, vi.fn())).not.toThrow();
  });

  it.each([
    ['token_type "mac"', { token_type: 'mac' }],
    ['expires_in "900"', { expires_in: '900' }],
    ['scope with a double space', { scope: 'a  b' }],
    ['scope with a leading space', { scope: ' a' }],
    ['scope as an array', { scope: ['a', 'b'] }],
    ['a tab-delimited scope (RFC 6749 §3.3 delimits with SP only)', { scope: 'a\tb' }],
    ['an empty refresh_token', { refresh_token: '' }],
  ])('fails on %s (MUST)', (_name, patch) => {
    expect(typing(patch)).toThrow(CheckFailure);
  });

  it.each([
    ['expires_in 0', { expires_in: 0 }],
    ['expires_in -1', { expires_in: -1 }],
    ['expires_in 31536001 (a milliseconds bug)', { expires_in: 31_536_001 }],
    ['a null member', { id_token: null }],
  ])('only warns on %s (catalog TK-02 precision)', (_name, patch) => {
    const warn = vi.fn();
    expect(typing(patch, warn)).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
  });

  it('names the null members', () => {
    const warn = vi.fn();
    typing({ id_token: null, state: null }, warn)();
    expect(warn.mock.calls[0][0]).toContain('["id_token","state"]');
  });
});

describe('expectBearerChallenge (RFC 6750 §3)', () => {
  const bearer = (status: number, challenge?: string) => exchange(status, challenge ? { 'www-authenticate': challenge } : {}, {});

  it('returns the Bearer challenge, also after another challenge', () => {
    expect(expectBearerChallenge(bearer(401, 'Basic realm="x", Bearer error="invalid_token"')).params).toEqual({ error: 'invalid_token' });
  });

  it('fails without a challenge, or with only a Basic one', () => {
    expect(failure(() => expectBearerChallenge(bearer(401))).actual).toBe('[]');
    failure(() => expectBearerChallenge(bearer(401, 'Basic realm="x"')));
  });
});

describe('expectTokenRefused (RFC 6750 §3.1)', () => {
  const refused = (status: number, challenge?: string) => exchange(status, challenge ? { 'www-authenticate': challenge } : {}, {});

  it('passes 401 invalid_token without a warning', () => {
    const warn = vi.fn();
    expectTokenRefused(refused(401, 'Bearer error="invalid_token"'), 'r', warn);
    expect(warn).not.toHaveBeenCalled();
  });

  it('warns on a 401 without an error code, or a 403', () => {
    const warn = vi.fn();
    expectTokenRefused(refused(401, 'Bearer realm="api"'), 'r', warn);
    expectTokenRefused(refused(403, 'Bearer error="insufficient_scope"'), 'r', warn);
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it('fails on a 2xx or without a Bearer challenge', () => {
    expect(failure(() => expectTokenRefused(refused(200), 'an old token must not work (RFC 9700 §4.14.2)', vi.fn())).requirement).toBe('an old token must not work (RFC 9700 §4.14.2)');
    failure(() => expectTokenRefused(refused(401, 'Basic realm="x"'), 'r', vi.fn()));
  });
});

describe('challengesOf', () => {
  it('reads every challenge of every header line', () => {
    expect(challengesOf(exchange(401, { 'www-authenticate': ['Bearer realm="a"', 'Basic realm="b"'] })).map((c) => c.scheme)).toEqual(['bearer', 'basic']);
  });
});

describe('expectBasicChallenge (RFC 7617 §2)', () => {
  it('passes a 401 with a realm', () => {
    expect(expectBasicChallenge(exchange(401, { 'www-authenticate': 'Basic realm="pleo", charset="UTF-8"' })).params).toEqual({ realm: 'pleo', charset: 'UTF-8' });
  });

  it('passes an empty realm', () => {
    expect(() => expectBasicChallenge(exchange(401, { 'www-authenticate': 'Basic realm=""' }))).not.toThrow();
  });

  it('fails without a realm', () => {
    expect(failure(() => expectBasicChallenge(exchange(401, { 'www-authenticate': 'Basic charset="UTF-8"' }))).requirement)
      .toBe('the Basic challenge must carry a realm (RFC 7617 §2)');
  });

  it('fails with only a Bearer challenge', () => {
    expect(failure(() => expectBasicChallenge(exchange(401, { 'www-authenticate': 'Bearer realm="x"' }))).actual).toBe('["Bearer realm=\\"x\\""]');
  });

  it('fails on a 403', () => {
    failure(() => expectBasicChallenge(exchange(403, { 'www-authenticate': 'Basic realm="x"' })));
  });
});

describe('expectInvalidClient (RFC 6749 §5.2)', () => {
  const body = { error: 'invalid_client' };

  it('passes 401 with a Basic challenge', () => {
    expect(() => expectInvalidClient(error(401, body, { ...NO_STORE, 'www-authenticate': 'Basic realm="pleo"' }), required)).not.toThrow();
  });

  it('fails on 400: the suite authenticates with the Authorization header, so 401 is a MUST (catalog CA-03)', () => {
    expect(failure(() => expectInvalidClient(error(400, body), required)).expected).toBe('HTTP 401 invalid_client');
  });

  it('fails on 401 without a challenge', () => {
    expect(failure(() => expectInvalidClient(error(401, body), required)).requirement)
      .toBe('the 401 must carry a challenge for the scheme the client used, Basic (RFC 6749 §5.2, RFC 9110 §11.6.1)');
  });

  it('fails on another error code or status', () => {
    failure(() => expectInvalidClient(error(401, { error: 'invalid_grant' }, { ...NO_STORE, 'www-authenticate': 'Basic realm="x"' }), required));
    failure(() => expectInvalidClient(error(403, body, { ...NO_STORE, 'www-authenticate': 'Basic realm="x"' }), required));
  });
});

describe('expectErrorFormat (TK-12, RFC 6749 §5.2)', () => {
  it.each([
    [400, 'invalid_grant'], [400, 'unsupported_grant_type'], [401, 'invalid_client'], [400, 'invalid_client'], [400, 'invalid_target'],
  ])('passes HTTP %i %s', (status, code) => {
    expect(() => expectErrorFormat(error(status, { error: code, error_description: 'no' }), required)).not.toThrow();
  });

  it('fails on an unknown error code', () => {
    expect(failure(() => expectErrorFormat(error(400, { error: 'bad_code' }), required)).requirement).toMatch(/RFC 6749 §8\.5/);
  });

  it('fails on 401 for anything but invalid_client, and on 5xx', () => {
    failure(() => expectErrorFormat(error(401, { error: 'invalid_grant' }), required));
    failure(() => expectErrorFormat(error(500, { error: 'invalid_request' }), required));
  });

  it('fails on HTML and on JSON under another media type', () => {
    failure(() => expectErrorFormat(exchange(400, NO_STORE, '<html>Bad</html>', 'text/html'), required));
    failure(() => expectErrorFormat(exchange(400, NO_STORE, { error: 'invalid_grant' }, 'application/problem+json'), required));
  });

  it('fails on a CR or LF in error_description and on an error_uri that is no URI', () => {
    failure(() => expectErrorFormat(error(400, { error: 'invalid_grant', error_description: 'line\r\nbreak' }), required));
    failure(() => expectErrorFormat(error(400, { error: 'invalid_grant', error_uri: 'not a uri' }), required));
  });

  it('only warns without no-store (catalog TK-03)', () => {
    const warn = vi.fn();
    expectErrorFormat(error(400, { error: 'invalid_grant' }, {}), { pragma: 'optional', warn });
    expect(warn).toHaveBeenCalledOnce();
  });
});
