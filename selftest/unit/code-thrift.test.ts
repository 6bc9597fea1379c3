import { describe, expect, it } from 'vitest';
import type { CheckContext } from '../../support/check.ts';
import { refusalsOnFewCodes, refusedWithoutCode, type IssuedCode } from '../../support/code-thrift.ts';
import type { Exchange } from '../../support/http.ts';
import type { OracleCalibration } from '../../support/token-endpoint.ts';

const answer = (status: number, error?: string): Exchange => {
  const json = error ? { error } : { access_token: 'a' };
  return { request: { method: 'POST', url: 'https://as.example/token', headers: {} }, response: { status, headers: {}, text: JSON.stringify(json), json, contentType: 'application/json' } };
};

/** A server whose codes answer `probe` as given, and redeem unless burnt (`burns`: a refusal burns the code). */
function server(burns: boolean) {
  let issued = 0;
  const burnt = new Set<string>();
  const t = {
    freshCode: async () => ({ code: `code-${++issued}`, flow: { request: { pkce: { verifier: 'v' }, redirectUri: 'https://client.example/cb' } } }),
    token: { exchangeCode: async (code: string) => (burnt.has(code) ? answer(400, 'invalid_grant') : answer(200)) },
  } as unknown as Pick<CheckContext, 'freshCode' | 'token'>;
  /** A negative request that the server refuses (or, `accepted`, takes), seen from the code it got. */
  const request = (accepted = false) => async ({ code }: IssuedCode) => {
    if (burnt.has(code)) return answer(400, 'invalid_grant');
    if (accepted) return (burnt.add(code), answer(200));
    if (burns) burnt.add(code);
    return answer(400, 'invalid_request');
  };
  return { t, request, codes: () => issued };
}

describe('refusalsOnFewCodes', () => {
  it('sends the refusals on one code, proven alive by a redemption at the end', async () => {
    const { t, request, codes } = server(false);
    const answers = await refusalsOnFewCodes(t, [request(), request(), request()]);
    expect(answers.map((a) => a.response.status)).toEqual([400, 400, 400]);
    expect(answers.map((a) => (a.response.json as { error: string }).error)).toEqual(['invalid_request', 'invalid_request', 'invalid_request']);
    expect(codes()).toBe(1);
  });

  it('repeats each request after the first on a code of its own when the code did not survive', async () => {
    const { t, request, codes } = server(true);
    const answers = await refusalsOnFewCodes(t, [request(), request(), request()]);
    // Without the proof the later answers would be a burnt code's invalid_grant.
    expect(answers.map((a) => (a.response.json as { error: string }).error)).toEqual(['invalid_request', 'invalid_request', 'invalid_request']);
    expect(codes()).toBe(3);
  });

  it('takes a new code after a request that got tokens, which also proves the code alive before it', async () => {
    const { t, request, codes } = server(false);
    const answers = await refusalsOnFewCodes(t, [request(), request(true), request()]);
    expect(answers.map((a) => a.response.status)).toEqual([400, 200, 400]);
    expect(codes()).toBe(2);
  });
});

describe('refusedWithoutCode', () => {
  const calibration: OracleCalibration = { usable: true, authenticated: 'HTTP 400 invalid_grant', rejected: 'HTTP 401 invalid_client' };
  const token = (reply: Exchange, oracle = calibration) => ({ token: { calibration: async () => oracle, probeClientAuthRequest: async () => ({ verdict: 'inconclusive' as const, exchange: reply }) } }) as unknown as Pick<CheckContext, 'token'>;

  it('settles a refusal the server made before it looked at the code', async () => {
    expect(await refusedWithoutCode(token(answer(401, 'invalid_client')), {}, ['invalid_client'])).toBeDefined();
    expect(await refusedWithoutCode(token(answer(400, 'invalid_request')), {}, ['invalid_client', 'invalid_request'])).toBeDefined();
  });

  it('needs a real code when the random code was judged first, the refusal is not one the check takes, or the oracle is uncalibrated', async () => {
    expect(await refusedWithoutCode(token(answer(400, 'invalid_grant')), {}, ['invalid_grant'])).toBeUndefined();
    expect(await refusedWithoutCode(token(answer(400, 'invalid_scope')), {}, ['invalid_client'])).toBeUndefined();
    expect(await refusedWithoutCode(token(answer(500, 'invalid_client')), {}, ['invalid_client'])).toBeUndefined();
    expect(await refusedWithoutCode(token(answer(401, 'invalid_client'), { ...calibration, usable: false }), {}, ['invalid_client'])).toBeUndefined();
  });
});
