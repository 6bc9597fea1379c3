/** RT: the refresh grant and refresh-token rotation (RFC 6749 §6; RFC 9700 §4.14.2). */
import { setTimeout as sleep } from 'node:timers/promises';
import { check, type CheckContext } from '../support/check.ts';
import { tokenSetOf, type TokenSet } from '../support/token-endpoint.ts';
import { demand, describeResponse, errorOf, expectNoStore, expectOAuthError, expectSuccessfulTokenResponse, expectTokenRefused, expectTokenResponseTyping, precondition } from '../support/verdicts.ts';

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
  if (policy === 'none') demand(issued !== 'a new refresh_token', 'rotation policy "none" (declared profile): the refresh token must be kept (RFC 6749 §6)', 'no refresh_token or the same one', issued);
  else demand(issued === 'a new refresh_token', `rotation policy "${policy}" (declared profile): every refresh must issue a new refresh token (RFC 9700 §4.14.2)`, 'a new refresh_token', issued);
});

check('RT-03', 'a superseded refresh token no longer works', { level: 'PROFILE', refs: ['RFC6749-6', 'RFC9700-4.14.2'], effects: 'destructive' }, async (t) => {
  precondition(t.config.profile.rotation.policy !== 'none', 'rotation policy "none": no refresh token is ever superseded');
  const { first } = await rotatedFamily(t);
  if (t.config.profile.refreshRevokesAccessToken) {
    // Pleo: "all previous tokens are immediately invalidated". Checked before the replay below, which may revoke everything anyway.
    expectTokenRefused(await t.api.probe({ bearer: first.accessToken }), 'after a refresh the previous access token must no longer work (declared profile: Pleo invalidates all previous tokens)', t.warn);
  }
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
