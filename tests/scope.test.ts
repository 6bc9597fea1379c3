/** SC: scope at the authorization endpoint and at the API (RFC 6749 §3.3; RFC 6750 §3.1). */
import { check } from '../support/check.ts';
import { tokenSetOf } from '../support/token-endpoint.ts';
import { demand, describeResponse, expectBearerChallenge, precondition } from '../support/verdicts.ts';

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

check('SC-06', 'the API refuses a token that lacks the route\'s scope', { level: 'SHOULD', refs: ['RFC6750-3.1'] }, async (t) => {
  const { scopedPath, scopedPathScope } = t.config.api;
  const narrower = t.config.scopes.filter((s) => s !== scopedPathScope);
  precondition(narrower.length > 0, `every configured scope is ${scopedPathScope}: no narrower token can be requested`);
  const { tokens } = await t.authorizeAndExchange({ scope: narrower.join(' ') });
  precondition(tokens, `no token could be obtained for scope "${narrower.join(' ')}"`);
  precondition(!tokens.scope?.split(' ').includes(scopedPathScope), `the AS granted ${scopedPathScope} although it was not requested`);
  const response = await t.api.call(scopedPath, { bearer: tokens.accessToken });
  expectBearerChallenge(response, { status: 403, error: 'insufficient_scope' });
});
