/** PL: Pleo's documented behaviour beyond the RFCs (its OAuth 2.0 and API-key guides). */
import { check } from '../support/check.ts';
import { expectTokenRefused, precondition } from '../support/verdicts.ts';

check('PL-01', 'after a refresh the previous access token is rejected by the API', { level: 'PROFILE', refs: ['RFC6749-6', 'RFC9700-4.14.2'] }, async (t) => {
  const { before, after } = await t.firstRefresh();
  precondition(before, 'the fixture exchange issued no tokens (see TK-01)');
  precondition(after, 'no successful refresh of the shared family (see RT-01)');
  const previous = await t.api.probe({ bearer: before.accessToken });
  const requirement = 'after a refresh the previous access token must no longer work (Pleo: a refresh immediately invalidates all previous tokens)';
  if (t.config.profile.refreshRevokesAccessToken) expectTokenRefused(previous, requirement, t.warn);
  else t.info(`the profile does not declare that a refresh revokes the previous access token; it got HTTP ${previous.response.status}`);
});
