import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../support/http.ts';
import { introspectionActive, unknownToken } from '../../support/token-management.ts';

const answer = (json: unknown): Exchange => ({
  request: { method: 'POST', url: 'https://as.example/introspect', headers: {} },
  response: { status: 200, headers: {}, text: JSON.stringify(json), json, contentType: 'application/json' },
});

describe('introspectionActive (RFC 7662 §2.2)', () => {
  it('reads the boolean active member', () => {
    expect(introspectionActive(answer({ active: true, client_id: 'c' }))).toBe(true);
    expect(introspectionActive(answer({ active: false }))).toBe(false);
  });

  it('is undefined when active is missing or not a boolean', () => {
    expect(introspectionActive(answer({ error: 'invalid_client' }))).toBeUndefined();
    expect(introspectionActive(answer({ active: 'true' }))).toBeUndefined();
    expect(introspectionActive(answer(undefined))).toBeUndefined();
  });
});

describe('unknownToken', () => {
  it('is a fresh 256-bit base64url value each time', () => {
    expect(unknownToken()).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(unknownToken()).not.toBe(unknownToken());
  });
});
