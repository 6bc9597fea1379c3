import { describe, expect, it } from 'vitest';
import { malformedBasicVariants, wellFormedBasicVariants } from '../../support/basic-variants.ts';
import type { Exchange } from '../../support/http.ts';
import { grantedScope, isSubsetOf, refreshChain, sameScope } from '../../support/refresh-chain.ts';
import type { TokenEndpoint } from '../../support/token-endpoint.ts';

const userPass = (header: string) => Buffer.from(header.replace(/^\S+ +/, ''), 'base64').toString('utf8');

describe('Basic header variants (catalog CA-07)', () => {
  it('keeps the credentials and bends only the scheme and the spacing', () => {
    const { schemeCases, doubleSpace } = wellFormedBasicVariants('id', 'a b+c');
    expect(schemeCases.map(([scheme]) => scheme)).toEqual(['basic', 'BASIC', 'bASIC']);
    for (const [scheme, header] of schemeCases) expect(header.startsWith(`${scheme} `) && userPass(header)).toBe('id:a+b%2Bc');
    expect(doubleSpace).toMatch(/^Basic {2}\S+$/);
    expect(userPass(doubleSpace)).toBe('id:a+b%2Bc');
  });

  it('makes headers without base64, without a colon, and with an empty secret', () => {
    const [[, notBase64], [, noColon], [, emptySecret]] = malformedBasicVariants('my id');
    expect(notBase64).not.toMatch(/^Basic [A-Za-z0-9+/]+=*$/);
    expect(userPass(noColon)).toBe('my+id');
    expect(userPass(emptySecret)).toBe('my+id:');
  });
});

describe('scope arithmetic (RFC 6749 §5.1, §6)', () => {
  it('reads an absent scope as the requested one', () => {
    expect(grantedScope({ accessToken: 'a' }, ['x', 'y'])).toEqual(['x', 'y']);
    expect(grantedScope({ accessToken: 'a', scope: 'y' }, ['x', 'y'])).toEqual(['y']);
  });

  it('compares scopes as sets', () => {
    expect(sameScope(['a', 'b'], ['b', 'a'])).toBe(true);
    expect(sameScope(['a'], ['a', 'b'])).toBe(false);
    expect(isSubsetOf(['a'], ['a', 'b'])).toBe(true);
    expect(isSubsetOf(['a', 'c'], ['a', 'b'])).toBe(false);
  });
});

describe('refreshChain', () => {
  const answer = (status: number, json: unknown) => ({ response: { status, json } }) as unknown as Exchange;

  it('refreshes with the newest refresh token, and stays put after a failed step', async () => {
    const seen: Array<[string, string | undefined]> = [];
    const replies = [answer(200, { access_token: 'a1', refresh_token: 'r1' }), answer(400, { error: 'invalid_scope' }), answer(200, { access_token: 'a2', refresh_token: 'r2' })];
    const endpoint = { refresh: async (token: string, options: { scope?: string }) => (seen.push([token, options.scope]), replies.shift()!) } as unknown as TokenEndpoint;
    const step = refreshChain(endpoint, 'r0');
    expect((await step()).tokens?.refreshToken).toBe('r1');
    expect((await step(['x', 'y'])).tokens).toBeUndefined();
    await step();
    expect(seen).toEqual([['r0', undefined], ['r1', 'x y'], ['r1', undefined]]);
  });
});
