/**
 * Fewer authorization codes for the same verdicts (the code budget, support/reporting/code-budget.ts).
 *
 * - A negative token request that the server refuses for what the probe changed needs no real
 *   code: `refusedWithoutCode` tries it with a random one first.
 * - A code that a refused request left unredeemed can serve the check's next negative request, if
 *   it is shown to have been alive throughout: `refusalsOnFewCodes`. Some servers burn a code on
 *   any failed attempt (catalog: never chain two negative checks on one code without that proof).
 */
import type { CheckContext } from './check.ts';
import type { Exchange } from './http.ts';
import type { BrowserFlow } from './target.ts';
import { signature, type TokenEndpoint } from './token-endpoint.ts';
import { errorOf } from './verdicts.ts';

/**
 * The answer to `request` made with a random code, when the server refused it with one of
 * `refusals` and not as it answers any random code of this client (the auth oracle's calibrated
 * "authenticated" answer, typically invalid_grant): it refused the request before the code could
 * matter, so a real code would be refused alike. Undefined when only a real code can tell.
 */
export async function refusedWithoutCode(t: Pick<CheckContext, 'token'>, request: Parameters<TokenEndpoint['probeClientAuthRequest']>[0], refusals: readonly string[]): Promise<Exchange | undefined> {
  const oracle = await t.token.calibration();
  if (!oracle.usable) return undefined;
  const { exchange } = await t.token.probeClientAuthRequest(request);
  const { status } = exchange.response;
  const refused = status >= 400 && status < 500 && refusals.includes(errorOf(exchange) ?? '') && signature(exchange) !== oracle.authenticated;
  return refused ? exchange : undefined;
}

export interface IssuedCode {
  code: string;
  flow: BrowserFlow;
}

/** A token request with an issued code that should be refused. */
export type NegativeRequest = (issued: IssuedCode) => Promise<Exchange>;

async function redeems(t: Pick<CheckContext, 'token'>, { code, flow }: IssuedCode): Promise<boolean> {
  const exchange = await t.token.exchangeCode(code, { verifier: flow.request.pkce.verifier, redirectUri: flow.request.redirectUri });
  return exchange.response.status === 200;
}

/**
 * The answers to `requests`, in order, sent on as few fresh codes as stay honest: a refused request
 * leaves its code to the next one. A code's last user is proof that it was alive for the others:
 * a request that got tokens (and spent the code), or else a correct redemption at the end. Without
 * that proof, every request after the first on that code is sent again on a code of its own.
 */
export async function refusalsOnFewCodes(t: Pick<CheckContext, 'freshCode' | 'token'>, requests: readonly NegativeRequest[]): Promise<Exchange[]> {
  const answers: Exchange[] = [];
  let issued: IssuedCode | undefined;
  let first = 0; // the first request on `issued`
  for (const [index, request] of requests.entries()) {
    if (!issued) [issued, first] = [await t.freshCode(), index];
    answers[index] = await request(issued);
    if (answers[index].response.status === 200) issued = undefined;
  }
  if (issued && requests.length - first > 1 && !(await redeems(t, issued))) {
    for (let index = first + 1; index < requests.length; index++) answers[index] = await requests[index](await t.freshCode());
  }
  return answers;
}
