/** SC: scope at the authorization endpoint and at the API (RFC 6749 §3.3; RFC 6750 §3.1). */
import { answerTo, describeAnswer } from '../support/authorization-answer.ts';
import { probeAuthorization } from '../support/authorization-probe.ts';
import { check } from '../support/check.ts';
import { tokenSetOf } from '../support/token-endpoint.ts';
import { observed } from '../support/verify/observations.ts';
import { demand, describeResponse, expectBearerChallenge, expectRefused, precondition } from '../support/verdicts.ts';

const scopeSet = (scope: string) => [...new Set(scope.split(' ').filter(Boolean))].sort().join(' ');

const UNKNOWN_SCOPE = 'conformance:unknown';

check('SC-03', 'an unknown scope is refused or visibly dropped', { level: 'MUST', refs: ['RFC6749-3.3', 'RFC6749-4.1.2.1', 'RFC6749-5.1'] }, async (t) => {
  for (const scope of [UNKNOWN_SCOPE, `${t.config.scopes[0]} ${UNKNOWN_SCOPE}`]) {
    // A server that refuses the scope at once answers over HTTP: no login is spent on it.
    const answer = await answerTo(t, { scope });
    const outcome = answer.outcome;
    demand(outcome, `scope "${scope}": the AS must redirect back to the client`, 'a redirect', describeAnswer(answer));
    if (outcome.error) {
      demand(outcome.error === 'invalid_scope', `scope "${scope}": the error must be invalid_scope (RFC 6749 §4.1.2.1)`, 'invalid_scope', outcome.error);
      demand(outcome.state === answer.request.state, 'state must be echoed on errors (RFC 6749 §4.1.2.1)', answer.request.state, outcome.state);
      continue;
    }
    // Accepted: then the unknown scope must have been dropped, and the token response must say so.
    demand(outcome.code, `scope "${scope}": the redirect carries neither a code nor an error`, 'code or error', outcome.redirectedTo);
    const exchange = await t.token.exchangeCode(outcome.code, { verifier: answer.request.pkce.verifier });
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
  t.info(observed('API without the route scope', `GET ${scopedPath}: HTTP ${response.response.status}`));
  expectRefused(response, `a token without ${scopedPathScope} must not get ${scopedPath} (RFC 6749 §7, RFC 6750 §3.1)`);
  const bearer = expectBearerChallenge(response);
  t.should(response.response.status === 403 && bearer.params.error === 'insufficient_scope', 'a token without the required scope should get 403 with error="insufficient_scope" (RFC 6750 §3.1)', '403, error="insufficient_scope"', `HTTP ${response.response.status}, error=${bearer.params.error ?? '(none)'}`);
});

check('SC-01', 'the order of the requested scopes does not matter', { level: 'MUST', refs: ['RFC6749-3.3'] }, async (t) => {
  precondition(t.config.scopes.length > 1, 'PLEO_SCOPES names one scope: configure two or more to test their order');
  const reversed = [...t.config.scopes].reverse().join(' ');
  const { flow, exchange, tokens } = await t.authorizeAndExchange({ scope: reversed });
  demand(flow.outcome?.code, `scopes in another order ("${reversed}") must be authorized as the configured order is (RFC 6749 §3.3)`, 'a code', flow.outcome?.error ?? 'no redirect to the client');
  demand(tokens, 'the code of the reordered request must redeem (RFC 6749 §3.3)', 'HTTP 200', exchange ? describeResponse(exchange) : '(no exchange)');
  // The same grant as the configured order got: the fixture's scope when it named one, else the request.
  const expected = (await t.shared()).tokens?.scope ?? t.config.scopes.join(' ');
  demand(tokens.scope === undefined || scopeSet(tokens.scope) === scopeSet(expected), 'the grant must not depend on the order of the scopes (RFC 6749 §3.3)', scopeSet(expected), tokens.scope);
});

check('SC-02', 'the token response names the scope whenever the grant differs from the request', { level: 'MUST', refs: ['RFC6749-3.3', 'RFC6749-5.1', 'RFC6750-3.1'] }, async (t) => {
  const { scopedPath, scopedPathScope } = t.config.api;
  const requested = t.config.scopes.join(' ');
  const { flow, exchange, tokens } = await t.authorizeAndExchange({ scope: requested });
  precondition(tokens, `no token was issued for the configured scopes (${flow.outcome?.error ?? (exchange ? describeResponse(exchange) : 'no code')}; see AZ-01)`);
  const granted = tokens.scope ?? requested;
  if (tokens.scope !== undefined && scopeSet(tokens.scope) !== scopeSet(requested)) t.info(`the grant was narrowed or widened to "${tokens.scope}" and the response says so`);
  precondition(t.config.scopes.includes(scopedPathScope), `PLEO_SCOPES lacks ${scopedPathScope}: the API cannot confirm the grant (PLEO_API_SCOPED_PATH_SCOPE)`);
  // The API is the witness: a scope the response names (or, without scope, every requested one) must open the route.
  const response = await t.api.call(scopedPath, { bearer: tokens.accessToken });
  t.info(observed('API with the granted scope', `GET ${scopedPath} with "${granted}": HTTP ${response.response.status}`));
  const claimed = granted.split(' ').includes(scopedPathScope);
  const what = tokens.scope === undefined ? 'a response without scope means the whole request was granted (RFC 6749 §3.3, §5.1)' : 'the response scope must be accurate (RFC 6749 §3.3)';
  demand(claimed === (response.response.status === 200), `${what}: the API ${claimed ? 'must' : 'must not'} give ${scopedPath} to this token`, claimed ? 'HTTP 200' : 'a refusal', describeResponse(response));
});

check('SC-04', 'an authorization request without scope gets a default scope it names, or invalid_scope', { level: 'MUST', refs: ['RFC6749-3.3', 'RFC6749-4.1.2.1'] }, async (t) => {
  // A server without a default refuses at once: that costs no login.
  const probe = await probeAuthorization(t.config, { params: { scope: undefined } });
  const flow = probe.outcome ? undefined : await t.authorize({ params: { scope: undefined } });
  const outcome = probe.outcome ?? flow?.outcome;
  demand(outcome, 'a request without scope must be answered with a redirect to the client (RFC 6749 §3.3, §4.1.2.1)', 'a code or invalid_scope', '(no redirect)');
  if (outcome.error) {
    demand(outcome.error === 'invalid_scope', 'a request without scope and no default must fail with invalid_scope (RFC 6749 §3.3)', 'invalid_scope', outcome.error);
    return;
  }
  demand(outcome.code && flow, 'the redirect carries neither a code nor an error (RFC 6749 §4.1.2)', 'code or error', outcome.redirectedTo);
  const exchange = await t.token.exchangeCode(outcome.code, { verifier: flow.request.pkce.verifier });
  const tokens = tokenSetOf(exchange);
  demand(tokens, 'the code of a request without scope must redeem (RFC 6749 §3.3: the default applies)', 'HTTP 200', describeResponse(exchange));
  if (t.should(tokens.scope !== undefined, 'the token response should name the default scope that was granted (RFC 6749 §3.3)', 'a scope member', tokens.scope)) t.info(`the default scope is "${tokens.scope}"`);
});

check('SC-05', 'scope tokens are case-sensitive and odd lists never break the server', { level: 'MUST', refs: ['RFC6749-3.3', 'RFC6749-4.1.2.1'] }, async (t) => {
  const [first, second = first] = t.config.scopes;
  // Upper case: Pleo's scope names are lower case (resource:permission), so the variant is surely undefined.
  const variant = first.toUpperCase() === first ? first.toLowerCase() : first.toUpperCase();
  precondition(variant !== first, `the scope "${first}" has no letter whose case could change`);
  for (const scope of [`${first},${second}`, `${first} ${first}`, `${first}  ${second}`]) {
    const { exchange } = await probeAuthorization(t.config, { scope });
    demand(exchange.response.status < 500, `scope "${scope}" must not break the authorization endpoint (RFC 6749 §4.1.2.1)`, 'no 5xx', describeResponse(exchange));
  }
  const probe = await probeAuthorization(t.config, { scope: variant });
  demand(probe.exchange.response.status < 500, `scope "${variant}" must not break the authorization endpoint (RFC 6749 §4.1.2.1)`, 'no 5xx', describeResponse(probe.exchange));
  if (probe.outcome?.error) {
    demand(probe.outcome.error === 'invalid_scope', `the undefined scope "${variant}" must be refused with invalid_scope (RFC 6749 §4.1.2.1)`, 'invalid_scope', probe.outcome.error);
    return;
  }
  // Not refused at once: only the grant shows whether the variant was taken for the real scope.
  const { flow, tokens } = await t.authorizeAndExchange({ scope: variant });
  if (flow.outcome?.error) return void demand(flow.outcome.error === 'invalid_scope', `the undefined scope "${variant}" must be refused with invalid_scope (RFC 6749 §4.1.2.1)`, 'invalid_scope', flow.outcome.error);
  precondition(tokens, `the request for "${variant}" was neither refused nor redeemed`);
  demand(tokens.scope !== undefined && !tokens.scope.split(' ').includes(first), `"${variant}" must not be granted as "${first}": scope tokens are case-sensitive (RFC 6749 §3.3)`, `a scope member without ${first}`, tokens.scope);
});
