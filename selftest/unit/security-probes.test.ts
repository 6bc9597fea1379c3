import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../support/http.ts';
import { bruteForceDefence, isJwtShaped, redirectTargetOf, reflectsMarkup, retryAfterSeconds, shannonBits, stackTraceIn, unpredictablePart, type Attempt } from '../../support/security-probes.ts';

const exchange = (status: number, headers: Record<string, string>, text = '', url = 'http://as.test/oauth/authorize'): Exchange => ({
  request: { method: 'GET', url, headers: {} },
  response: { status, headers, text, json: undefined, contentType: headers['content-type'] ?? '' },
});

describe('shannonBits', () => {
  it('is zero for a repeated character and length × log2(alphabet) for all-distinct characters', () => {
    expect(shannonBits('aaaaaaaa')).toBe(0);
    expect(shannonBits('abcdefgh')).toBeCloseTo(24);
  });

  it('puts 32 random bytes (base64url) above 128 bits and 8 hex digits below 96', () => {
    expect(shannonBits(randomBytes(32).toString('base64url'))).toBeGreaterThan(128);
    expect(shannonBits(randomBytes(4).toString('hex'))).toBeLessThan(96);
    expect(shannonBits('pleo-at-00000042')).toBeLessThan(96);
  });
});

describe('unpredictablePart', () => {
  it('takes the signature of a JWT-shaped value and the whole of any other', () => {
    expect(isJwtShaped('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe(true);
    expect(unpredictablePart('eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln')).toBe('c2ln');
    expect(isJwtShaped('a.b')).toBe(false);
    expect(unpredictablePart('opaque~value.with.dots/')).toBe('opaque~value.with.dots/');
  });
});

const failures = (count: number, ms = 10, status = 401, error = 'invalid_client'): Attempt[] => Array.from({ length: count }, () => ({ status, ms, error }));

describe('bruteForceDefence', () => {
  it('sees a 429, with its Retry-After', () => {
    expect(bruteForceDefence([...failures(5), { status: 429, ms: 5, retryAfter: '60' }])).toEqual({ kind: 'rate-limited', after: 5, retryAfter: '60' });
  });

  it('sees a lockout as a change of answer part-way', () => {
    expect(bruteForceDefence([...failures(10), ...failures(10, 10, 403, 'access_denied')])).toEqual({ kind: 'locked-out', after: 10, answer: 'HTTP 403 access_denied' });
  });

  it('sees backoff in answers that slow down, not in noise', () => {
    expect(bruteForceDefence([...failures(10, 10), ...failures(10, 800)])).toMatchObject({ kind: 'backoff', firstMs: 10, lastMs: 800 });
    expect(bruteForceDefence([...failures(10, 10), ...failures(10, 40)])).toEqual({ kind: 'none' });
    expect(bruteForceDefence([...failures(19, 10), { status: 401, ms: 2000, error: 'invalid_client' }])).toEqual({ kind: 'none' });
  });

  it('sees nothing in twenty identical quick refusals', () => {
    expect(bruteForceDefence(failures(20))).toEqual({ kind: 'none' });
  });
});

describe('redirectTargetOf', () => {
  it('reads a 3xx Location, resolved against the request', () => {
    expect(redirectTargetOf(exchange(302, { location: 'https://evil.example/cb?error=x' }))).toBe('https://evil.example/cb?error=x');
    expect(redirectTargetOf(exchange(303, { location: '/login' }))).toBe('http://as.test/login');
  });

  it('reads an HTML meta refresh, and nothing from a plain page', () => {
    expect(redirectTargetOf(exchange(200, { 'content-type': 'text/html' }, '<meta http-equiv="refresh" content="0;url=https://evil.example/">'))).toBe('https://evil.example/');
    expect(redirectTargetOf(exchange(400, { 'content-type': 'text/html' }, '<p>invalid redirect_uri</p>'))).toBeUndefined();
  });
});

describe('error-surface hygiene', () => {
  it('finds Node, Java and Python stack traces, not ordinary text', () => {
    expect(stackTraceIn(new Error('x').stack!)).toBeDefined();
    expect(stackTraceIn('java.lang.IllegalStateException\n\tat com.pleo.Auth.check(Auth.java:42)')).toContain('Auth.java:42');
    expect(stackTraceIn('Traceback (most recent call last):\n  File "x.py"')).toBeDefined();
    expect(stackTraceIn('invalid_request: redirect_uri did not match at 12:00')).toBeUndefined();
  });

  it('finds markup reflected in HTML, not escaped markup or JSON', () => {
    const payload = '"><script>alert(1)</script>';
    expect(reflectsMarkup(`<p>${payload}</p>`, 'text/html; charset=utf-8', payload)).toBe(true);
    expect(reflectsMarkup('<p>&#34;&#62;&#60;script&#62;</p>', 'text/html', payload)).toBe(false);
    expect(reflectsMarkup(JSON.stringify({ error_description: payload }), 'application/json', payload)).toBe(false);
  });
});

describe('retryAfterSeconds (RFC 9110 §10.2.3)', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it('reads delay-seconds and an HTTP-date', () => {
    expect(retryAfterSeconds('2', now)).toBe(2);
    expect(retryAfterSeconds(' 120 ', now)).toBe(120);
    expect(retryAfterSeconds('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Wed, 31 Dec 2025 23:59:00 GMT', now)).toBe(0);
  });
  it('gives undefined for an absent or unreadable value', () => {
    expect(retryAfterSeconds(undefined, now)).toBeUndefined();
    expect(retryAfterSeconds('soon', now)).toBeUndefined();
  });
});
