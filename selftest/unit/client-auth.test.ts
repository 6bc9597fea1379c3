import { describe, expect, it } from 'vitest';
import { apiKeyBasicAuth, clientBasicAuth, formUrlEncode, rawClientBasicAuth } from '../../support/client-auth.ts';

function userPass(header: string): string {
  expect(header).toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
  return Buffer.from(header.slice('Basic '.length), 'base64').toString('utf8');
}
const formDecode = (value: string) => new URLSearchParams(`v=${value}`).get('v');

const SECRET = 'a+b/c=d:e%f~g h';

describe('clientBasicAuth (RFC 6749 §2.3.1)', () => {
  it('matches the RFC 6749 §2.3.1 example', () => {
    expect(clientBasicAuth('s6BhdRkqt3', '7Fjfp0ZBr1KtDRbnfVdmIw')).toBe('Basic czZCaGRSa3F0Mzo3RmpmcDBaQnIxS3REUmJuZlZkbUl3');
  });

  it('form-urlencodes the secret before base64', () => {
    const [id, secret] = userPass(clientBasicAuth('client', SECRET)).split(':');
    expect(id).toBe('client');
    expect(secret).toBe('a%2Bb%2Fc%3Dd%3Ae%25f%7Eg+h');
    expect(formDecode(secret)).toBe(SECRET);
  });

  it('encodes space as + and + as %2B', () => {
    expect(userPass(clientBasicAuth('id', 'x y+z'))).toBe('id:x+y%2Bz');
  });

  it('encodes a : in the client id, so exactly one : separates id and secret', () => {
    const decoded = userPass(clientBasicAuth('my:client', 'p:w'));
    expect(decoded).toBe('my%3Aclient:p%3Aw');
    expect(decoded.split(':')).toHaveLength(2);
  });
});

describe('formUrlEncode', () => {
  it('is application/x-www-form-urlencoded and round-trips', () => {
    expect(formUrlEncode(SECRET)).toBe('a%2Bb%2Fc%3Dd%3Ae%25f%7Eg+h');
    expect(formDecode(formUrlEncode(SECRET))).toBe(SECRET);
    expect(decodeURIComponent(formUrlEncode(SECRET).replace(/\+/g, ' '))).toBe(SECRET);
  });

  it('leaves unreserved ASCII alone', () => {
    expect(formUrlEncode('AZaz09-._*')).toBe('AZaz09-._*');
  });
});

describe('rawClientBasicAuth', () => {
  it('does not encode', () => {
    expect(userPass(rawClientBasicAuth('my:client', SECRET))).toBe(`my:client:${SECRET}`);
  });

  it('equals clientBasicAuth when nothing needs encoding', () => {
    expect(rawClientBasicAuth('s6BhdRkqt3', '7Fjfp0ZBr1KtDRbnfVdmIw')).toBe(clientBasicAuth('s6BhdRkqt3', '7Fjfp0ZBr1KtDRbnfVdmIw'));
  });
});

describe('apiKeyBasicAuth (RFC 7617 §2)', () => {
  it('is base64(key + ":") with an empty password', () => {
    expect(apiKeyBasicAuth('key')).toBe(`Basic ${Buffer.from('key:').toString('base64')}`);
    expect(apiKeyBasicAuth('Aladdin')).toBe('Basic QWxhZGRpbjo=');
  });

  it('does not URL-encode the key', () => {
    expect(userPass(apiKeyBasicAuth('k+y/=%~ z'))).toBe('k+y/=%~ z:');
  });

  it('appends a password as is (RFC 7617 §2 example)', () => {
    expect(apiKeyBasicAuth('Aladdin', 'open sesame')).toBe('Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==');
  });
});
