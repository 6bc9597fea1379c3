/** RT: the refresh grant and refresh-token rotation (RFC 6749 §6; RFC 9700 §4.14.2). */
import { setTimeout as sleep } from 'node:timers/promises';
import { check, type CheckContext } from '../support/check.ts';
import { tokenSetOf, type TokenSet } from '../support/token-endpoint.ts';
import { demand, describeResponse, expectBearerChallenge, expectNoStore, expectOAuthError, expectSuccessfulTokenResponse, expectTokenResponseTyping, precondition } from '../support/verdicts.ts';

/** A new token family for a check that destroys it: its first tokens, and those of one refresh. */
async function rotatedFamily(t: CheckContext): Promise<{ first: TokenSet & { refreshToken: string }; second: TokenSet }> {
  const { tokens } = await t.authorizeAndExchange();
  precondition(tokens?.refreshToken, 'the code exchange issued no refresh token');
  const second = tokenSetOf(await t.token.refresh(tokens.refreshToken));
  precondition(second, 'refreshing a fresh refresh token failed (see RT-01)');
  return { first: { ...tokens, refreshToken: tokens.refreshToken }, second };
}

/** Under a grace policy the superseded token stays valid for a while: wait until it must not. */
async function outwaitGrace(t: CheckContext): Promise<void> {
  const rotation = t.config.profile.rotation;
  if (rotation.policy === 'grace') await sleep((rotation.seconds + 1) * 1_000);
}

check('RT-01', 'the refresh grant works with Basic client authentication', { level: 'MUST', refs: ['RFC6749-6', 'RFC6749-5.1'] }, async (t) => {
  const refresh = await t.sharedFirstRefresh();
  precondition(refresh, 'the fixture exchange issued no refresh token');
  const body = expectSuccessfulTokenResponse(refresh.exchange, t.warn);
  expectTokenResponseTyping(body);
  expectNoStore(refresh.exchange, t.cache);
  if (refresh.after?.accessToken === refresh.before.accessToken) t.info('the refresh returned the same access token as before');
});

check('RT-02', 'refresh tokens rotate as the profile declares', { level: 'PROFILE', refs: ['RFC6749-6', 'RFC9700-2.2.2', 'RFC9700-4.14.2'] }, async (t) => {
  const refresh = await t.sharedFirstRefresh();
  precondition(refresh?.after, 'no successful refresh of the fixture family (see RT-01)');
  const { before, after } = refresh;
  const policy = t.config.profile.rotation.policy;
  const issued = after.refreshToken === undefined ? 'no refresh_token' : after.refreshToken === before.refreshToken ? 'the same refresh_token' : 'a new refresh_token';
  if (policy === 'none') demand(issued !== 'a new refresh_token', 'rotation policy "none": the refresh token must be kept', 'no refresh_token or the same one', issued);
  else demand(issued === 'a new refresh_token', `rotation policy "${policy}": every refresh must issue a new refresh token`, 'a new refresh_token', issued);
});

check('RT-03', 'a superseded refresh token no longer works', { level: 'PROFILE', refs: ['RFC6749-6', 'RFC9700-4.14.2'] }, async (t) => {
  precondition(t.config.profile.rotation.policy !== 'none', 'rotation policy "none": no refresh token is ever superseded');
  const { first } = await rotatedFamily(t);
  if (t.config.profile.refreshRevokesAccessToken) {
    // Pleo: "all previous tokens are immediately invalidated". Checked before the replay below, which revokes everything anyway.
    expectBearerChallenge(await t.api.probe({ bearer: first.accessToken }), { status: 401, error: 'invalid_token' });
  }
  await outwaitGrace(t);
  expectOAuthError(await t.token.refresh(first.refreshToken), { status: 400, error: 'invalid_grant' }, t.cache);
});

check('RT-04', 'replaying a superseded refresh token revokes the grant', { level: 'MUST', refs: ['RFC9700-4.14.2', 'RFC6749-10.4'] }, async (t) => {
  precondition(t.config.profile.rotation.policy !== 'none', 'rotation policy "none": replay detection needs rotation');
  const { first, second } = await rotatedFamily(t);
  precondition(second.refreshToken, 'the refresh issued no new refresh token (see RT-02)');
  await outwaitGrace(t);
  const replay = await t.token.refresh(first.refreshToken);
  precondition(replay.response.status >= 400, `the superseded refresh token was accepted (${describeResponse(replay)}; see RT-03)`);
  const access = await t.api.probe({ bearer: second.accessToken });
  if (access.response.status !== 401) t.warn(`the grant's current access token still works after the replay (HTTP ${access.response.status}); RFC 9700 §4.14.2 expects the grant revoked`);
  expectOAuthError(await t.token.refresh(second.refreshToken), { status: 400, error: 'invalid_grant' }, t.cache);
});
