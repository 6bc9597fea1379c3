import { describe, expect, it } from 'vitest';
import { parseChallenges } from '../../support/www-authenticate.ts';

describe('parseChallenges', () => {
  it('parses a Bearer challenge with quoted params (RFC 6750 §3)', () => {
    expect(parseChallenges(['Bearer realm="pleo", error="invalid_token", error_description="The access token expired"'])).toEqual([
      { scheme: 'bearer', params: { realm: 'pleo', error: 'invalid_token', error_description: 'The access token expired' } },
    ]);
  });

  it('parses two challenges in one header line', () => {
    expect(parseChallenges(['Bearer realm="a", Basic realm="b", charset="UTF-8"'])).toEqual([
      { scheme: 'bearer', params: { realm: 'a' } },
      { scheme: 'basic', params: { realm: 'b', charset: 'UTF-8' } },
    ]);
  });

  it('parses challenges from two header lines', () => {
    expect(parseChallenges(['Bearer realm="a"', 'Basic realm="b"'])).toEqual([
      { scheme: 'bearer', params: { realm: 'a' } },
      { scheme: 'basic', params: { realm: 'b' } },
    ]);
  });

  it('lower-cases the scheme and parameter names, takes token values', () => {
    expect(parseChallenges(['BASIC Realm=x'])).toEqual([{ scheme: 'basic', params: { realm: 'x' } }]);
  });

  it('unescapes quoted-pairs (RFC 9110 §11.6.1 example)', () => {
    expect(parseChallenges(['Newauth realm="apps", type=1, title="Login to \\"apps\\"", Basic realm="simple"'])).toEqual([
      { scheme: 'newauth', params: { realm: 'apps', type: '1', title: 'Login to "apps"' } },
      { scheme: 'basic', params: { realm: 'simple' } },
    ]);
  });

  it('keeps commas inside a quoted-string', () => {
    expect(parseChallenges(['Bearer error_description="a, b=c"'])[0].params).toEqual({ error_description: 'a, b=c' });
  });

  it('parses token68', () => {
    expect(parseChallenges(['Negotiate abc=='])).toEqual([{ scheme: 'negotiate', params: {}, token68: 'abc==' }]);
    expect(parseChallenges(['Negotiate abc==, Basic realm="x"'])).toEqual([
      { scheme: 'negotiate', params: {}, token68: 'abc==' },
      { scheme: 'basic', params: { realm: 'x' } },
    ]);
  });

  it('allows whitespace around =', () => {
    expect(parseChallenges(['Bearer realm = "a"'])).toEqual([{ scheme: 'bearer', params: { realm: 'a' } }]);
  });

  it('parses a scheme without params', () => {
    expect(parseChallenges(['Bearer'])).toEqual([{ scheme: 'bearer', params: {} }]);
  });

  it('gives nothing for no header or an empty one', () => {
    expect(parseChallenges([])).toEqual([]);
    expect(parseChallenges(['', ' , '])).toEqual([]);
  });
});
