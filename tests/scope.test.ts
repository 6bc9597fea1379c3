/** SC: scope at the authorization endpoint and at the API (RFC 6749 §3.3; RFC 6750 §3.1). */
import { check } from '../support/check.ts';
import { tokenSetOf } from '../support/token-endpoint.ts';
import { demand, describeResponse, expectBearerChallenge, expectRefused, precondition } from '../support/verdicts.ts';

const UNKNOWN_SCOPE = 'conformance:unknown';

check('SC-03', 'an unknown scope is refused or visibly dropped', { level: 'MUST', refs: ['RFC6749-3.3', 'RFC6749-4.1.2.1', 'RFC6749-5.1'] }, async (t) => {
  for (const scope of [UNKNOWN_SCOPE, `${t.config.scopes[0]} ${UNKNOWN_SCOPE}`]) {
    const flow = await t.authorize({ scope });
    const outcome = flow.outcome;
    demand(outcome, `scope "${scope}": the AS must redirect back to the client`, 'a redirect', '(no redirect)');
    if (outcome.error) {
      demand(outcome.error === 'invalid_scope', `scope "${scope}": the error must be invalid_scope (RFC 6749 §4.1.2.1)`, 'invalid_scope', outcome.error);
      demand(outcome.state === flow.request.state, 'state must be echoed on errors (RFC 6749 §4.1.2.1)', flow.request.state, outcome.state);
      continue;
    }
    // Accepted: then the unknown scope must have been dropped, and the token response must say so.
    demand(outcome.code, `scope "${scope}": the redirect carries neither a code nor an error`, 'code or error', outcome.redirectedTo);
    const exchange = await t.token.exchangeCode(outcome.code, { verifier: flow.request.pkce.verifier });
    const tokens = tokenSetOf(exchange);
    demand(tokens, `scope "${scope}": the accepted request's code must redeem`, 'HTTP 200', describeResponse(exchange));
    demand(tokens.scope !== undefined, 'a narrowed grant must be named in the token response scope (RFC 6749 §3.3, §5.1)', 'a scope member', tokens.scope);
    demand(!tokens.scope.split(' ').includes(UNKNOWN_SCOPE), 'an unknown scope must not be granted (RFC 6749 §3.3)', `a scope without ${UNKNOWN_SCOPE}`, tokens.scope);
  }
});

check('SC-06', 'the API refuses a token that lacks the route\'s scope', { level: 'MUST', refs: ['RFC6750-3.1', 'RFC6749-7', 'RFC9700-2.3'] }, async (t) => {
  const { scopedPath, scopedPathScope } = t.config.api;
  const narrower = t.config.scopes.filter((s) => s !== scopedPathScope);
  precondition(narrower.length > 0, `every configured scope is ${scopedPathScope}: add another scope to PLEO_SCOPES so that a narrower token can be requested`);
  const { tokens, exchange } = await t.authorizeAndExchange({ scope: narrower.join(' ') });
  precondition(tokens, `no token could be obtained for scope "${narrower.join(' ')}" (${exchange ? describeResponse(exchange) : 'no code'})`);
  if (tokens.scope?.split(' ').includes(scopedPathScope)) {
    // Not a skip: an over-grant is a finding of its own.
    t.warn(`the AS granted ${scopedPathScope} although only "${narrower.join(' ')}" was requested: privileges should be the minimum needed (RFC 9700 §2.3), and the API's scope enforcement could not be tested`);
    return;
  }
  const response = await t.api.call(scopedPath, { bearer: tokens.accessToken });
  expectRefused(response, `a token without ${scopedPathScope} must not get ${scopedPath} (RFC 6749 §7, RFC 6750 §3.1)`);
  const bearer = expectBearerChallenge(response);
  t.should(response.response.status === 403 && bearer.params.error === 'insufficient_scope', 'a token without the required scope should get 403 with error="insufficient_scope" (RFC 6750 §3.1)', '403, error="insufficient_scope"', `HTTP ${response.response.status}, error=${bearer.params.error ?? '(none)'}`);
});
