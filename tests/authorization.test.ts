/** AZ: the authorization endpoint, driven through the real login and consent screens. */
import { redirectTarget } from '../support/authorization-request.ts';
import { check } from '../support/check.ts';
import { demand, precondition } from '../support/verdicts.ts';

check('AZ-01', 'the code returns to the registered redirect_uri with state echoed', { level: 'MUST', refs: ['RFC6749-4.1.2', 'RFC9207-2'] }, async (t) => {
  const { flow } = await t.shared();
  const outcome = flow.outcome;
  demand(outcome, 'the AS must redirect back to the client (RFC 6749 §4.1.2)', `a redirect to ${t.config.redirectUri}`, flow.errorPage ? `an error page, HTTP ${flow.errorPage.status}` : '(no redirect)');
  demand(redirectTarget(outcome.redirectedTo) === redirectTarget(t.config.redirectUri), 'the redirect must go to the registered redirect_uri (RFC 6749 §4.1.2)', t.config.redirectUri, outcome.redirectedTo);
  demand(!outcome.error, 'a valid authorization request must succeed (RFC 6749 §4.1.2)', 'no error', `${outcome.error}: ${outcome.errorDescription ?? ''}`);
  demand(outcome.code, 'the redirect must carry the code in its query (RFC 6749 §4.1.2)', 'code=…', outcome.code);
  demand(outcome.state === flow.request.state, 'state must be echoed exactly (RFC 6749 §4.1.2)', flow.request.state, outcome.state);
  demand(outcome.fragmentParams.length === 0, 'the code flow puts nothing in the fragment (RFC 6749 §4.1.2)', 'no fragment parameters', outcome.fragmentParams);
  if (outcome.iss !== undefined) demand(outcome.iss === t.config.issuer, 'iss, when sent, must be the issuer (RFC 9207 §2)', t.config.issuer, outcome.iss);
});

check('AZ-07', 'denying consent redirects with access_denied and state', { level: 'MUST', refs: ['RFC6749-4.1.2.1'] }, async (t) => {
  let flow = await t.authorize({ decision: 'deny' });
  if (!flow.consentShown && flow.outcome) {
    // A server that remembers consent completes the flow without asking: ask for the screen again.
    t.info('the server remembered consent and skipped the screen; asked again with prompt=consent');
    flow = await t.authorize({ decision: 'deny', params: { prompt: 'consent' } });
  }
  precondition(flow.consentShown, 'the server showed no consent screen, even with prompt=consent: there was nothing to deny');
  const outcome = flow.outcome;
  demand(outcome, 'a denial must redirect back to the client (RFC 6749 §4.1.2.1)', `a redirect to ${t.config.redirectUri}`, '(no redirect)');
  demand(!outcome.code, 'a denied request must not yield a code (RFC 6749 §4.1.2.1)', 'no code', '(a code was issued)');
  demand(outcome.error === 'access_denied', 'the denial must be reported as access_denied (RFC 6749 §4.1.2.1)', 'access_denied', outcome.error);
  demand(outcome.state === flow.request.state, 'state must be echoed on errors too (RFC 6749 §4.1.2.1)', flow.request.state, outcome.state);
});
