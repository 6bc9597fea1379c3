import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSecretsForTesting, REDACTED, redact, redactDeep, registerSecret, registerSecretsInJson,
} from '../../support/secrets.ts';

beforeEach(() => clearSecretsForTesting());

describe('registerSecret', () => {
  const secret = 'p@ss w/rd+"x"';

  it('returns the value', () => {
    expect(registerSecret(secret, 'client_secret')).toBe(secret);
    expect(registerSecret(undefined)).toBe('');
    expect(registerSecret(null)).toBe('');
  });

  it.each([
    ['clear', secret],
    ['URL-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['JSON-escaped', JSON.stringify(secret).slice(1, -1)],
    ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
  ])('masks the %s form', (_form, value) => {
    registerSecret(secret, 'client_secret');
    expect(redact(`<${value}>`)).toBe('<[REDACTED:client_secret]>');
  });

  it('masks every occurrence', () => {
    registerSecret('s3cr3t', 'x');
    expect(redact('s3cr3t s3cr3t')).toBe('[REDACTED:x] [REDACTED:x]');
  });

  it('replaces the longest value first', () => {
    registerSecret('abcd', 'short');
    registerSecret('abcdefgh', 'long');
    expect(redact('abcdefgh abcd')).toBe('[REDACTED:long] [REDACTED:short]');
  });

  it('ignores values shorter than 4 chars, keeps 4', () => {
    registerSecret('abc', 'x');
    registerSecret('wxyz', 'y');
    expect(redact('abc wxyz')).toBe('abc [REDACTED:y]');
  });

  it('forgets everything on clearSecretsForTesting', () => {
    registerSecret('s3cr3t', 'x');
    clearSecretsForTesting();
    expect(redact('s3cr3t')).toBe('s3cr3t');
  });
});

describe('registerSecretsInJson', () => {
  it('registers credential members only', () => {
    registerSecretsInJson({ access_token: 'at-123456', token_type: 'Bearer', scope: 'users:read' });
    expect(redact('Bearer at-123456 users:read')).toBe('Bearer [REDACTED:access_token] users:read');
  });

  it('ignores non-objects', () => {
    registerSecretsInJson('access_token');
    registerSecretsInJson(null);
    expect(redact('access_token')).toBe('access_token');
  });
});

describe('known places', () => {
  it.each(['access_token', 'refresh_token', 'id_token', 'code', 'code_verifier', 'client_secret', 'password'])(
    'masks the JSON member "%s" even when unregistered',
    (name) => {
      expect(redact(`{"${name}": "x", "state":"s"}`)).toBe(`{"${name}": "${REDACTED}", "state":"s"}`);
    },
  );

  it('masks a JSON member with escaped quotes', () => {
    expect(redact('{"code":"a\\"b","x":1}')).toBe(`{"code":"${REDACTED}","x":1}`);
  });

  it('masks form and query params and keeps the others', () => {
    expect(redact('code=abc&state=s')).toBe(`code=${REDACTED}&state=s`);
    expect(redact('https://rp/cb?state=s&code=abc')).toBe(`https://rp/cb?state=s&code=${REDACTED}`);
    expect(redact('https://rp/cb#access_token=abc&token_type=Bearer')).toBe(`https://rp/cb#access_token=${REDACTED}&token_type=Bearer`);
    expect(redact('grant_type=refresh_token&refresh_token=rt1')).toBe(`grant_type=refresh_token&refresh_token=${REDACTED}`);
  });

  it('does not mask a param whose name only ends with a secret name', () => {
    expect(redact('unicode=abc&xcode=def')).toBe('unicode=abc&xcode=def');
  });

  it('masks Authorization, Cookie and Set-Cookie lines of a transcript, keeping the scheme', () => {
    const transcript = [
      'POST https://as/oauth/token',
      'authorization: Basic abc',
      'Proxy-Authorization: Bearer tok',
      'Cookie: sid=abc; other=def',
      'accept: application/json',
      '',
      'HTTP 200',
      'set-cookie: sid=xyz; Path=/; HttpOnly',
    ].join('\n');
    expect(redact(transcript)).toBe([
      'POST https://as/oauth/token',
      `authorization: Basic ${REDACTED}`,
      `Proxy-Authorization: Bearer ${REDACTED}`,
      `Cookie: ${REDACTED}`,
      'accept: application/json',
      '',
      'HTTP 200',
      `set-cookie: ${REDACTED}`,
    ].join('\n'));
  });

  it('leaves non-secrets untouched', () => {
    const text = 'state=abc&scope=users:read {"error":"invalid_grant","error_description":"bad code"} content-type: application/json';
    expect(redact(text)).toBe(text);
  });
});

describe('redactDeep', () => {
  it('redacts nested strings and keeps the shape', () => {
    registerSecret('api-key-1234', 'api_key');
    const value = {
      request: { url: 'https://as/cb?code=c1&state=s' },
      response: { json: { access_token: 'at', token_type: 'Bearer', expires_in: 900 } },
      list: ['api-key-1234', 1, null, true],
    };
    expect(redactDeep(value)).toEqual({
      request: { url: `https://as/cb?code=${REDACTED}&state=s` },
      response: { json: { access_token: REDACTED, token_type: 'Bearer', expires_in: 900 } },
      list: ['[REDACTED:api_key]', 1, null, true],
    });
  });

  it('keeps values that hold no string', () => {
    expect(redactDeep(42)).toBe(42);
    expect(redactDeep(undefined)).toBeUndefined();
  });

  // BUG (support/secrets.ts:67): redactDeep replaces registered values in the JSON *text*, so a
  // value that spans a JSON escape or a closing quote breaks the JSON and JSON.parse throws.
  it('does not throw when a registered value starts inside a JSON escape', () => {
    registerSecret('nABCDEF', 'x');
    expect(redactDeep({ msg: 'line1\nABCDEF' })).toEqual({ msg: 'line1\nABCDEF' });
  });

  it('does not throw when a registered value ends with a quote', () => {
    registerSecret('abcdef"', 'x');
    expect(redactDeep({ msg: 'xabcdef' })).toEqual({ msg: 'xabcdef' });
  });
});
