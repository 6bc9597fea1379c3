/**
 * The answer to an authorization request that a server should refuse. It is asked over HTTP first:
 * a server that validates the request up front redirects to the client with an error (or shows an
 * error page) at once, which costs no login and no code. Only a request that leads on to a login
 * or consent screen goes to the browser, to see whether a code comes back in the end.
 */
import { buildAuthorizationRequest, parseAuthorizationRedirect, redirectTarget, type AuthorizationOutcome, type AuthorizationRequest, type AuthorizationRequestOptions } from './authorization-request.ts';
import type { CheckContext } from './check.ts';
import { headerValue, send } from './http.ts';
import { demand } from './verdicts.ts';

export interface AuthorizationAnswer {
  request: AuthorizationRequest;
  /** The redirect to the client, when there was one. */
  outcome?: AuthorizationOutcome;
  /** The status of the error page the server showed instead of redirecting. */
  errorPage?: number;
}

export async function answerTo(t: Pick<CheckContext, 'config' | 'authorize'>, options: AuthorizationRequestOptions): Promise<AuthorizationAnswer> {
  const request = await buildAuthorizationRequest(t.config, options);
  const { response } = await send({ url: request.url, headers: { accept: 'text/html' } });
  if (response.status >= 400) return { request, errorPage: response.status };
  const location = headerValue(response, 'location');
  const to = location && new URL(location, request.url).toString();
  if (to && redirectTarget(to) === redirectTarget(request.redirectUri)) return { request, outcome: parseAuthorizationRedirect(to, false) };
  const flow = await t.authorize(options);
  return { request: flow.request, outcome: flow.outcome, errorPage: flow.errorPage?.status };
}

/** How an answer reads in a failure or a note. */
export function describeAnswer(answer: AuthorizationAnswer): string {
  if (answer.errorPage) return `an error page, HTTP ${answer.errorPage}`;
  if (answer.outcome?.code) return 'a redirect with a code';
  if (answer.outcome) return `a redirect with error=${answer.outcome.error ?? '(none)'}`;
  return 'no redirect';
}

export type Assertion = (condition: unknown, requirement: string, expected: unknown, actual: unknown) => void;

/**
 * A refused request is reported as RFC 6749 §4.1.2.1 says: a redirect with `error` set to
 * `invalid_request` (the code `clause` requires) and `state` echoed, or an error page that is not a
 * server error (never a 5xx, whatever `assert` is). `assert` is `demand` where the refusal is a MUST, `t.should` where it is a SHOULD.
 */
export function expectInvalidRequest(answer: AuthorizationAnswer, assert: Assertion, clause: string): void {
  if (answer.errorPage) {
    demand(answer.errorPage < 500, `a malformed authorization request must be refused, not crash the server (${clause})`, 'an error page (4xx) or an error redirect', describeAnswer(answer));
    return;
  }
  const outcome = answer.outcome;
  assert(outcome?.error, `the request must be refused with an error redirect or an error page (${clause})`, 'error=invalid_request', describeAnswer(answer));
  if (!outcome?.error) return;
  assert(outcome.error === 'invalid_request', `the refusal must say invalid_request (${clause})`, 'invalid_request', outcome.error);
  assert(outcome.state === answer.request.state, 'state must be echoed on errors too (RFC 6749 §4.1.2.1)', answer.request.state, outcome.state);
}
