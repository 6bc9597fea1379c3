import { describe, expect, it } from 'vitest';
import { isLoopbackHttp, listMember, metadataLocations } from '../../support/metadata.ts';

describe('metadataLocations (RFC 8414 §3)', () => {
  it('for an issuer without a path, both suffixes follow the host', () => {
    expect(metadataLocations('https://auth.example.com')).toEqual({
      inserted: 'https://auth.example.com/.well-known/oauth-authorization-server',
      appended: 'https://auth.example.com/.well-known/openid-configuration',
    });
  });

  it('inserts the RFC 8414 suffix before the issuer path, and appends the OpenID one after it', () => {
    expect(metadataLocations('https://example.com/issuer1')).toEqual({
      inserted: 'https://example.com/.well-known/oauth-authorization-server/issuer1',
      appended: 'https://example.com/issuer1/.well-known/openid-configuration',
    });
  });

  it('ignores a trailing slash of the issuer', () => {
    expect(metadataLocations('https://example.com/').inserted).toBe('https://example.com/.well-known/oauth-authorization-server');
  });
});

describe('isLoopbackHttp', () => {
  it('is true only for plain http on a loopback host', () => {
    expect(isLoopbackHttp('http://127.0.0.1:4400')).toBe(true);
    expect(isLoopbackHttp('http://localhost:4400')).toBe(true);
    expect(isLoopbackHttp('http://[::1]:4400')).toBe(true);
    expect(isLoopbackHttp('https://127.0.0.1:4400')).toBe(false);
    expect(isLoopbackHttp('http://auth.example.com')).toBe(false);
  });
});

describe('listMember', () => {
  it('reads string lists and leaves absent members undefined', () => {
    expect(listMember({ a: ['x', 1, 'y'] }, 'a')).toEqual(['x', 'y']);
    expect(listMember({ a: 'x' }, 'a')).toBeUndefined();
    expect(listMember({}, 'a')).toBeUndefined();
  });
});
