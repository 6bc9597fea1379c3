/** RT: the refresh grant and refresh-token rotation (RFC 6749 §6; RFC 9700 §4.14.2). */
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { check, type CheckContext } from '../support/check.ts';
import { clientBasicAuth } from '../support/client-auth.ts';
import { grantedScope, isSubsetOf, refreshChain, sameScope } from '../support/refresh-chain.ts';
import { registerSecret } from '../support/secrets.ts';
import { refreshLiveFamily } from '../support/target.ts';
import { tokenSetOf, type TokenSet } from '../support/token-endpoint.ts';
import { tokenRequest } from '../support/token-form.ts';
import { observed } from '../support/verify/observations.ts';
import { demand, describeResponse, errorOf, expectInvalidClient, expectNoStore, expectOAuthError, expectSuccessfulTokenResponse, expectTokenResponseTyping, precondition } from '../support/verdicts.ts';

/** A new token family for a check that destroys it: its first tokens, and those of one refresh. */
async function rotatedFamily(t: CheckContext): Promise<{ first: TokenSet & { refreshToken: string }; second: TokenSet }> {
  const { tokens } = await t.authorizeAndExchange();
  precondition(tokens?.refreshToken, 'the code exchange issued no refresh token (see RT-01)');
  const second = tokenSetOf(await t.token.refresh(tokens.refreshToken));
  precondition(second, 'refreshing a fresh refresh token failed (see RT-01)');
  return { first: { ...tokens, refreshToken: tokens.refreshToken }, second };
}

const graceSeconds = (t: CheckContext) => (t.config.profile.rotation.policy === 'grace' ? t.config.profile.rotation.seconds : 0);

/** Under a grace policy the superseded token stays valid for a while: wait until it must not. */
async function outwaitGrace(t: CheckContext): Promise<void> {
  if (graceSeconds(t)) await sleep((graceSeconds(t) + 1) * 1_000);
}

check('RT-01', 'the refresh grant works with Basic client authentication', { level: 'MUST', refs: ['RFC6749-6', 'RFC6749-5.1'] }, async (t) => {
  const refresh = await t.firstRefresh();
  precondition(refresh.before, 'the fixture exchange issued no tokens (see TK-01)');
  const { policy } = t.config.profile.rotation;
  if (!refresh.exchange) {
    // A skip must not hide a violation: the declared profile promises refresh tokens.
    precondition(policy === 'none', 'no refresh token was issued');
    demand(false, `the declared profile (PLEO_PROFILE_ROTATION=${policy}) promises a refresh token with every code exchange (RFC 6749 §5.1)`, 'a refresh_token member', '(none issued)');
  }
  const body = expectSuccessfulTokenResponse(refresh.exchange!, t.warn);
  expectTokenResponseTyping(body, t.warn);
  expectNoStore(refresh.exchange!, t.cache);
  if (refresh.after?.accessToken === refresh.before.accessToken) t.info('the refresh returned the same access token as before');
});

check('RT-02', 'refresh tokens rotate as the profile declares', { level: 'PROFILE', refs: ['RFC6749-6', 'RFC9700-2.2.2', 'RFC9700-4.14.2'] }, async (t) => {
  const refresh = await t.firstRefresh();
  const { before, after } = refresh;
  precondition(before, 'the fixture exchange issued no tokens (see TK-01)');
  precondition(after, 'no successful refresh of the fixture family (see RT-01)');
  const policy = t.config.profile.rotation.policy;
  const issued = after.refreshToken === undefined ? 'no refresh_token' : after.refreshToken === before.refreshToken ? 'the same refresh_token' : 'a new refresh_token';
  t.info(observed('rotation', issued));
  if (policy === 'none') demand(issued !== 'a new refresh_token', 'rotation policy "none" (declared profile): the refresh token must be kept (RFC 6749 §6)', 'no refresh_token or the same one', issued);
  else demand(issued === 'a new refresh_token', `rotation policy "${policy}" (declared profile): every refresh must issue a new refresh token (RFC 9700 §4.14.2)`, 'a new refresh_token', issued);
});

check('RT-03', 'a superseded refresh token no longer works', { level: 'PROFILE', refs: ['RFC6749-6', 'RFC9700-4.14.2'], effects: 'destructive' }, async (t) => {
  precondition(t.config.profile.rotation.policy !== 'none', 'rotation policy "none": no refresh token is ever superseded');
  const { first } = await rotatedFamily(t);
  if (graceSeconds(t)) {
    const inside = await t.token.refresh(first.refreshToken);
    demand(inside.response.status === 200, `rotation policy grace:${graceSeconds(t)} (declared profile): the superseded refresh token must still work inside the window (RFC 9700 §4.14.2)`, 'HTTP 200', describeResponse(inside));
    await outwaitGrace(t);
  }
  const superseded = await t.token.refresh(first.refreshToken);
  expectOAuthError(superseded, { status: 400, error: 'invalid_grant', because: `rotation policy "${t.config.profile.rotation.policy}" (declared profile): a superseded refresh token must be refused (RFC 9700 §4.14.2)` }, t.cache);
});

check('RT-04', 'replaying a superseded refresh token revokes the grant', { level: 'PROFILE', refs: ['RFC9700-4.14.2', 'RFC6749-10.4'], effects: 'destructive' }, async (t) => {
  precondition(t.config.profile.rotation.policy !== 'none', 'rotation policy "none": replay detection needs rotation');
  const { first, second } = await rotatedFamily(t);
  precondition(second.refreshToken, 'the refresh issued no new refresh token (see RT-02)');
  await outwaitGrace(t);
  const replay = await t.token.refresh(first.refreshToken);
  precondition(replay.response.status >= 400, `the superseded refresh token was accepted (${describeResponse(replay)}); RT-03 reports it`);
  // The access token first: refreshing the successor below would retire it either way.
  const access = await t.api.probe({ bearer: second.accessToken });
  t.should(access.response.status === 401, 'after a replay the grant\'s access tokens should be revoked too (RFC 9700 §4.14.2)', 'HTTP 401', `HTTP ${access.response.status}`);
  const successor = await t.token.refresh(second.refreshToken);
  const because = 'after a replay of a superseded refresh token, the grant\'s active refresh token must be refused (RFC 9700 §4.14.2)';
  if (t.config.profile.reuseDetection) {
    expectOAuthError(successor, { status: 400, error: 'invalid_grant', because: `${because}; the declared profile has reuse detection` }, t.cache);
  } else {
    t.should(errorOf(successor) === 'invalid_grant', `${because.replace('must', 'should')}; the profile does not declare reuse detection`, 'invalid_grant', describeResponse(successor));
  }
});

check('RT-05', 'a refresh token works only for the client it was issued to', { level: 'MUST', refs: ['RFC6749-6', 'RFC6749-10.4'], needs: ['secondClient'] }, async (t) => {
  const live = await t.live();
  precondition(live?.refreshToken, 'the shared family has no refresh token (see RT-01)');
  const { id, secret } = t.config.secondClient!;
  const foreign = await t.token.refresh(live.refreshToken, { authorization: clientBasicAuth(id, secret) });
  demand(!tokenSetOf(foreign), 'another client must not redeem this client\'s refresh token (RFC 6749 §6, §10.4)', '400 invalid_grant', describeResponse(foreign));
  if (errorOf(foreign) === 'invalid_client') expectInvalidClient(foreign, t.cache);
  else expectOAuthError(foreign, { status: 400, error: 'invalid_grant' }, t.cache);
});

check('RT-06', 'a refresh without client authentication is refused', { level: 'MUST', refs: ['RFC6749-6', 'RFC6749-3.2.1', 'RFC6749-10.4'] }, async (t) => {
  const live = await t.live();
  precondition(live?.refreshToken, 'the shared family has no refresh token (see RT-01)');
  const form = { grant_type: 'refresh_token', refresh_token: live.refreshToken, client_id: t.config.clientId };
  const unauthenticated = await tokenRequest(t.config, form, null);
  demand(!tokenSetOf(unauthenticated), 'a confidential client must authenticate to refresh (RFC 6749 §6)', 'HTTP 400 or 401', describeResponse(unauthenticated));
  expectOAuthError(unauthenticated, { status: [400, 401], error: ['invalid_client', 'invalid_grant', 'invalid_request'] }, t.cache);
  const after = await refreshLiveFamily(t.info);
  t.should(after && tokenSetOf(after), 'an unauthenticated attempt should leave the refresh token usable, or anyone could revoke it (RFC 6749 §10.4)', 'HTTP 200', after ? describeResponse(after) : '(no refresh token)');
});

/** A scope no grant holds, to ask for more than the original scope. */
const EXTRA_SCOPE = 'conformance:beyond-grant';

check('RT-07', 'scope on refresh: kept when omitted, narrowed only for the access token, never widened', { level: 'MUST', refs: ['RFC6749-6', 'RFC6749-5.1', 'RFC6749-3.3'] }, async (t) => {
  const { scopedPathScope } = t.config.api;
  const { tokens } = await t.authorizeAndExchange();
  precondition(tokens?.refreshToken, 'the code exchange issued no refresh token (see RT-01)');
  const original = grantedScope(tokens, t.config.scopes);
  precondition(original.length > 1, `the grant holds one scope (${original.join(' ')}): configure two in PLEO_SCOPES so that a subset can be asked for`);
  const subset = original.filter((s) => s !== (original.includes(scopedPathScope) ? scopedPathScope : original.at(-1)));
  const step = refreshChain(t.token, tokens.refreshToken);
  for (const [asked, expected, what] of [[undefined, original, 'a refresh without scope'], [subset, subset, 'a refresh with a subset'], [undefined, original, 'a refresh without scope after a narrowed one']] as const) {
    const { exchange, tokens: issued } = await step(asked && [...asked]);
    demand(issued, `${what} must succeed (RFC 6749 §6)`, 'HTTP 200', describeResponse(exchange));
    const granted = grantedScope(issued, expected);
    demand(sameScope(granted, expected), `${what} must grant ${asked ? 'the requested scope' : 'the refresh token\'s scope, which a narrowed refresh leaves unchanged'} (RFC 6749 §6)`, expected.join(' '), granted.join(' '));
  }
  const widened = await step([...original, EXTRA_SCOPE]);
  if (!widened.tokens) return expectOAuthError(widened.exchange, { status: 400, error: 'invalid_scope', because: 'a scope beyond the original grant must be refused with invalid_scope, or dropped (RFC 6749 §6)' }, t.cache);
  demand(widened.tokens.scope !== undefined, 'a refresh that drops requested scope must name the granted scope (RFC 6749 §5.1)', 'a scope member', '(absent)');
  demand(isSubsetOf(grantedScope(widened.tokens, []), original), 'a refresh must not grant scope beyond the original grant (RFC 6749 §6)', `within "${original.join(' ')}"`, widened.tokens.scope);
});

check('RT-08', 'a random or truncated refresh token is refused with invalid_grant', { level: 'MUST', refs: ['RFC6749-5.2', 'RFC6749-6'] }, async (t) => {
  const live = await t.live();
  const variants: Array<[string, string]> = [['a random refresh token', registerSecret(randomBytes(32).toString('base64url'), 'refresh_token')]];
  if (live?.refreshToken) variants.push(['the refresh token without its last character', registerSecret(live.refreshToken.slice(0, -1), 'derived')]);
  for (const [label, value] of variants) {
    expectOAuthError(await t.token.refresh(value), { status: 400, error: 'invalid_grant', because: `${label} must be refused with invalid_grant (RFC 6749 §5.2)` }, t.cache);
  }
});

const RACE_WIDTH = 5;

check('RT-09', 'concurrent refreshes with one refresh token leave at most one successor', { level: 'PROFILE', refs: ['RFC9700-4.14.2', 'RFC6749-6'], effects: 'destructive' }, async (t) => {
  const { policy } = t.config.profile.rotation;
  precondition(policy !== 'none', 'rotation policy "none": a refresh token is never superseded');
  const { tokens } = await t.authorizeAndExchange();
  precondition(tokens?.refreshToken, 'the code exchange issued no refresh token (see RT-01)');
  const answers = await Promise.all(Array.from({ length: RACE_WIDTH }, () => t.token.refresh(tokens.refreshToken!)));
  demand(answers.every((a) => a.response.status < 500), 'a concurrent refresh must not cause a server error (RFC 6749 §5.2)', 'no 5xx', answers.map(describeResponse).join('; '));
  const issued = answers.map(tokenSetOf).filter((s) => s !== undefined);
  const successors = new Set(issued.map((s) => s.refreshToken));
  if (issued.length === 0) t.info(`none of ${RACE_WIDTH} concurrent refreshes succeeded`);
  if (policy === 'strict') demand(issued.length <= 1, `rotation policy "strict" (declared profile): at most one of ${RACE_WIDTH} concurrent refreshes with one token may succeed (RFC 9700 §4.14.2)`, 'at most one HTTP 200', `${issued.length} × HTTP 200, ${successors.size} different refresh tokens`);
  else t.should(successors.size <= 1, `rotation policy "${policy}" (declared profile): concurrent refreshes should leave one live refresh token (RFC 9700 §4.14.2)`, 'one successor', `${successors.size} different refresh tokens`);
});
