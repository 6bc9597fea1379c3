import { randomBytes } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  clearSecretsForTesting, REDACTED, redact, redactDeep, redactedExcerpt, registerSecret, registerSecretsInJson,
} from '../../support/secrets.ts';
import { cpuMillis, encodingsForTest, jwtSizedToken, survivingFragment } from './redaction-helpers.ts';

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

describe('fragments of registered secrets', () => {
  const token = jwtSizedToken();

  it('a JWT-sized token is about 1 KB', () => {
    expect(token.length).toBeGreaterThan(900);
    expect(token.split('.')).toHaveLength(3);
  });

  it.each([12, 13, 20, 199, 200, 244, 300, 470, 1000])('masks a token cut after %i characters, in an unterminated JSON string', (length) => {
    registerSecret(token, 'access_token');
    const text = `HTTP 200 {"token_type":"Bearer","access_token":"${token.slice(0, length)}`;
    expect(survivingFragment(redact(text), token)).toBeUndefined();
  });

  it.each([12, 31, 300])('masks a %i-character piece from the middle of the token, in any place', (length) => {
    registerSecret(token, 'access_token');
    const piece = token.slice(400, 400 + length);
    const places = [
      `https://rp.test/cb?state=s&x=${piece}&y=1`,
      `{"data":{"note":"${piece}"},"n":1}`,
      `grant_type=refresh_token&other=${piece}`,
      `x-debug: ${piece}\nHTTP 200`,
      `a${piece}b`,
    ];
    for (const place of places) {
      const out = redact(place);
      expect(out).toContain('[REDACTED:access_token]');
      expect(survivingFragment(out, token)).toBeUndefined();
    }
  });

  it.each(['url-encoded', 'form-encoded', 'json-escaped', 'base64'] as const)('masks a piece of the %s form', (form) => {
    const secret = `${randomBytes(24).toString('base64url')}+/=:%~ "x"\\ ${randomBytes(24).toString('base64url')}`;
    registerSecret(secret, 'client_secret');
    const encoded = encodingsForTest(secret)[form];
    const piece = encoded.slice(5, 40);
    const out = redact(`before ${piece} after`);
    expect(out).toBe('before [REDACTED:client_secret] after');
  });

  it('leaves a piece shorter than 12 characters, and ordinary text', () => {
    registerSecret(token, 'access_token');
    const piece = token.slice(500, 511);
    expect(redact(`x ${piece} y`)).toBe(`x ${piece} y`);
    expect(redact('the quick brown fox jumps over the lazy dog')).toBe('the quick brown fox jumps over the lazy dog');
  });

  it('merges overlapping and adjacent finds into one mask', () => {
    const other = jwtSizedToken();
    registerSecret(token, 'access_token');
    registerSecret(other, 'refresh_token');
    expect(redact(`<${token.slice(0, 100)}${other.slice(300, 400)}>`)).toBe('<[REDACTED:access_token]>');
    expect(redact(`${token} ${token}`)).toBe('[REDACTED:access_token] [REDACTED:access_token]');
  });

  it('finds a piece whose seeds repeat elsewhere in the secret', () => {
    const repetitive = `${'abcdefgh'.repeat(8)}${randomBytes(30).toString('hex')}`;
    registerSecret(repetitive, 'x');
    expect(redact(`<${repetitive.slice(3, 70)}>`)).toBe('<[REDACTED:x]>');
  });

  it('stays fast: 300 registered 1 KB secrets, a 2 MB text', { timeout: 60_000 }, () => {
    const secrets = Array.from({ length: 300 }, () => registerSecret(jwtSizedToken(), 'access_token'));
    const filler = `${JSON.stringify({ note: 'nothing to see '.repeat(10), blob: randomBytes(600).toString('base64') })}\n`;
    const parts: string[] = [];
    let planted = 0;
    for (let size = 0; size < 2_000_000; size += filler.length) {
      parts.push(filler);
      if (parts.length % 20 === 0) parts.push(secrets[planted++ % 300].slice(100, 400));
    }
    const text = parts.join('');
    let out = '';
    const elapsed = cpuMillis(() => (out = redact(text)));
    expect(text.length).toBeGreaterThan(2_000_000);
    expect(out.match(/\[REDACTED:access_token\]/g)).toHaveLength(planted);
    expect(elapsed).toBeLessThan(1000);
  });
});

describe('unterminated JSON members (a value cut by someone else)', () => {
  it.each([
    ['{"access_token":"abc', `{"access_token":"${REDACTED}`],
    ['{"refresh_token": "abc\\', `{"refresh_token": "${REDACTED}`],
    ['{"code":"abc…\nnext line', `{"code":"${REDACTED}\nnext line`],
    ['{"code":"abc","state":"s"}', `{"code":"${REDACTED}","state":"s"}`],
  ])('%j', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });
});

describe('e-mail addresses', () => {
  it.each([
    ['astrid.holm@stand-in.example', '[REDACTED:email]'],
    ['{"email":"bo.nyberg+x@stand-in.example","id":1}', '{"email":"[REDACTED:email]","id":1}'],
    ['login_hint=dana.ruiz%40stand-in.example&x=1', 'login_hint=[REDACTED:email]&x=1'],
    ['to: a@b.co, c_d@e.f.org.', 'to: [REDACTED:email], [REDACTED:email].'],
  ])('masks %s', (text, expected) => {
    expect(redact(text)).toBe(expected);
  });

  it.each(['node_modules/@vitest/runner/dist', 'allure-vitest@3.12.2', 'user@localhost', 'scope=users:read'])('leaves %s', (text) => {
    expect(redact(text)).toBe(text);
  });

  it('stays linear on long runs without an @', () => {
    const text = `${'a'.repeat(1_000_000)}@x ${'b.'.repeat(100_000)}`;
    expect(cpuMillis(() => redact(text))).toBeLessThan(1000);
  });
});

describe('redactedExcerpt', () => {
  it('redacts the whole text before cutting it', () => {
    const token = registerSecret(jwtSizedToken().slice(0, 470), 'access_token');
    for (const max of [50, 200, 300, 600]) {
      const excerpt = redactedExcerpt(`HTTP 200 {"note":"${token}"}`, max);
      expect(survivingFragment(excerpt, token)).toBeUndefined();
      expect(excerpt).toContain('[REDACTED:access_token]');
    }
  });

  it('never cuts inside a mask, and says how much it left out', () => {
    registerSecret('s3cr3t-value-of-some-length', 'client_secret');
    const text = `${'x'.repeat(10)}s3cr3t-value-of-some-length${'y'.repeat(100)}`;
    expect(redactedExcerpt(text, 15)).toBe(`${'x'.repeat(10)}… (${'[REDACTED:client_secret]'.length + 100} more characters)`);
    expect(redactedExcerpt('short', 15)).toBe('short');
  });
});
