import { beforeEach, describe, expect, it } from 'vitest';
import { createPkcePair, s256, unrelatedVerifier } from '../../support/pkce.ts';
import { clearSecretsForTesting, redact } from '../../support/secrets.ts';

const UNRESERVED = /^[A-Za-z0-9\-._~]+$/;
const BASE64URL_NO_PAD = /^[A-Za-z0-9_-]+$/;

beforeEach(() => clearSecretsForTesting());

describe('s256', () => {
  it('matches the RFC 7636 Appendix B vector', async () => {
    expect(await s256('dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk')).toBe('E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM');
  });

  it('gives 43 chars of base64url without padding', async () => {
    const challenge = await s256('x'.repeat(128));
    expect(challenge).toHaveLength(43);
    expect(challenge).toMatch(BASE64URL_NO_PAD);
  });
});

describe('createPkcePair', () => {
  it('defaults to a 64-char verifier of unreserved chars and its S256 challenge', async () => {
    const pair = await createPkcePair();
    expect(pair.method).toBe('S256');
    expect(pair.verifier).toHaveLength(64);
    expect(pair.verifier).toMatch(UNRESERVED);
    expect(pair.challenge).toMatch(BASE64URL_NO_PAD);
    expect(pair.challenge).toBe(await s256(pair.verifier));
  });

  it.each([43, 128])('accepts the boundary length %i', async (length) => {
    const pair = await createPkcePair(length);
    expect(pair.verifier).toHaveLength(length);
    expect(pair.verifier).toMatch(UNRESERVED);
  });

  it.each([42, 129])('refuses length %i (RFC 7636 §4.1)', async (length) => {
    await expect(createPkcePair(length)).rejects.toThrow(/between 43 and 128/);
  });

  it('registers the verifier for redaction', async () => {
    const { verifier } = await createPkcePair();
    expect(redact(`verifier ${verifier}.`)).toBe('verifier [REDACTED:code_verifier].');
  });

  it('gives fresh verifiers', async () => {
    const a = await createPkcePair();
    expect(await unrelatedVerifier()).not.toBe(a.verifier);
  });
});
