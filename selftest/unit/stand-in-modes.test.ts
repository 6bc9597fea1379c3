/**
 * The stand-in's realism modes and optional features, over HTTP: each mode changes what it says
 * and nothing else the suite relies on, and the optional features are on by default.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, test } from 'vitest';
import { MODES, selectModes } from '../../fixtures/stand-in/modes.ts';
import { OPTIONAL_FEATURES, SECRET_SETTINGS, startStandIn, type StandIn, type StandInOptions } from '../../fixtures/stand-in/index.ts';
import { apiKey, basic, StandInClient, type Reply } from './stand-in-http.ts';

const oauthError = (reply: Reply) => ({ status: reply.status, error: reply.json?.error });

const running: StandIn[] = [];
async function standIn(options: StandInOptions = {}): Promise<StandInClient> {
  const started = await startStandIn(options);
  running.push(started);
  return new StandInClient(started);
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

describe('selectModes', () => {
  test('validates names, listing the valid ones', () => {
    expect(selectModes(['no-discovery', ' long-tokens ']).active).toEqual(['no-discovery', 'long-tokens']);
    expect(() => selectModes(['no-discovery', 'no-such-mode'])).toThrow(/unknown mode no-such-mode; valid modes: remember-consent, .*long-tokens.* \(or all\)/);
  });

  test('all switches on every mode', () => {
    const { active, isOn } = selectModes(['all']);
    expect(active).toEqual(Object.keys(MODES));
    expect(isOn('remember-consent')).toBe(true);
  });
});

describe('optional features, all on by default', () => {
  test('env carries every optional feature, and the secret ones are marked secret', async () => {
    const { env } = await standIn();
    for (const { variable } of OPTIONAL_FEATURES) expect(env[variable], variable).toBeTruthy();
    for (const secret of ['PLEO_CLIENT2_SECRET', 'PLEO_ENCODING_CLIENT_SECRET', 'PLEO_API_KEY', 'PLEO_API_KEY_REVOKED']) expect(SECRET_SETTINGS).toContain(secret);
    for (const character of ['+', '/', '=', '%', ':', ' ']) expect(env.PLEO_ENCODING_CLIENT_SECRET).toContain(character);
  });

  test('the second and the encoding client authenticate with client_secret_basic, and codes stay bound to their client', async () => {
    const c = await standIn();
    const { env } = c;
    const second = basic(env.PLEO_CLIENT2_ID, env.PLEO_CLIENT2_SECRET);
    const encoding = basic(env.PLEO_ENCODING_CLIENT_ID, env.PLEO_ENCODING_CLIENT_SECRET);
    expect(oauthError(await c.exchange(await c.authorize({ clientId: env.PLEO_CLIENT2_ID }), {}, second))).toEqual({ status: 200, error: undefined });
    expect(oauthError(await c.exchange(await c.authorize({ clientId: env.PLEO_ENCODING_CLIENT_ID }), {}, encoding))).toEqual({ status: 200, error: undefined });
    expect(oauthError(await c.exchange(await c.authorize(), {}, second))).toEqual({ status: 400, error: 'invalid_grant' });
    // Sent raw (not form-urlencoded), the encoding client's secret does not authenticate.
    const raw = `Basic ${Buffer.from(`${env.PLEO_ENCODING_CLIENT_ID}:${env.PLEO_ENCODING_CLIENT_SECRET}`).toString('base64')}`;
    const refused = await c.exchange(await c.authorize({ clientId: env.PLEO_ENCODING_CLIENT_ID }), {}, raw);
    expect(refused.status).not.toBe(200);
    expect(['invalid_client', 'invalid_request']).toContain(refused.json?.error);
  });

  test('revocation is on: a revoked refresh token no longer refreshes', async () => {
    const c = await standIn();
    const tokens = await c.tokens();
    expect((await c.post(c.env.PLEO_REVOCATION_PATH, { token: String(tokens.refresh_token) })).status).toBe(200);
    expect(oauthError(await c.refresh(tokens.refresh_token))).toEqual({ status: 400, error: 'invalid_grant' });
  });
});

describe('modes', () => {
  test('remember-consent: consent once per user and client, one grant for all their authorizations', async () => {
    const c = await standIn({ modes: ['remember-consent'] });
    const first = await c.authorize();
    const second = await c.authorize();
    expect([first.consentShown, second.consentShown]).toEqual([true, false]);
    // Another browser of the same user: a login, but no consent.
    const otherBrowser = await new StandInClient(c.standIn).authorize();
    expect([otherBrowser.loginStatus, otherBrowser.consentShown]).toEqual([303, false]);
    // Another client: its own consent.
    expect((await c.authorize({ clientId: c.env.PLEO_CLIENT2_ID })).consentShown).toBe(true);

    const [tokens1, tokens2] = [(await c.exchange(first)).json!, (await c.exchange(second)).json!];
    expect((await c.refresh(tokens1.refresh_token)).status).toBe(200);
    expect((await c.refresh(tokens1.refresh_token)).status).toBe(400); // a replay revokes the one grant …
    expect((await c.api('/v1/introspect', c.bearer(tokens2.access_token))).status).toBe(401); // … with the other authorization's tokens
    expect(oauthError(await c.refresh(tokens2.refresh_token))).toEqual({ status: 400, error: 'invalid_grant' });
    expect((await c.authorize()).consentShown).toBe(true); // the grant is gone: consent again
  });

  test('remember-consent: prompt=consent brings the consent screen back, and Deny on it is access_denied', async () => {
    const c = await standIn({ modes: ['remember-consent'] });
    await c.authorize();
    const denied = await c.authorize({ prompt: 'consent', decision: 'deny' });
    expect(denied.consentShown).toBe(true);
    expect(denied.redirect?.searchParams.get('error')).toBe('access_denied');
    expect((await c.authorize()).consentShown).toBe(false); // the earlier consent stands
  });

  test('without remember-consent, every authorization asks consent and is a grant of its own', async () => {
    const c = await standIn();
    const [first, second] = [await c.authorize(), await c.authorize()];
    expect([first.consentShown, second.consentShown]).toEqual([true, true]);
    const [tokens1, tokens2] = [(await c.exchange(first)).json!, (await c.exchange(second)).json!];
    await c.refresh(tokens1.refresh_token);
    expect((await c.refresh(tokens1.refresh_token)).status).toBe(400);
    expect((await c.api('/v1/introspect', c.bearer(tokens2.access_token))).status).toBe(200);
  });

  test('the login-302 fault: the login POST is answered with 302 (303 without it)', async () => {
    expect((await (await standIn({ faults: ['login-302'] })).authorize()).loginStatus).toBe(302);
    expect((await (await standIn()).authorize()).loginStatus).toBe(303);
  });

  test('no-introspection and no-revocation: the endpoints are gone and env does not name them', async () => {
    const c = await standIn({ modes: ['no-introspection', 'no-revocation'] });
    expect(c.env).not.toHaveProperty('PLEO_INTROSPECT_PATH');
    expect(c.env).not.toHaveProperty('PLEO_REVOCATION_PATH');
    const { access_token: token } = await c.tokens();
    expect((await c.post('/oauth/token/introspect', { token: String(token) })).status).toBe(404);
    expect((await c.post('/oauth/revoke', { token: String(token) })).status).toBe(404);
  });

  test('no-api-keys: Basic credentials are refused with a Bearer challenge only, and env has no key', async () => {
    const c = await standIn({ modes: ['no-api-keys'] });
    expect(c.env).not.toHaveProperty('PLEO_API_KEY');
    expect(c.env).not.toHaveProperty('PLEO_API_KEY_REVOKED');
    for (const authorization of [undefined, apiKey(`pleo_sk_${randomBytes(24).toString('base64url')}`)]) {
      const response = await c.api('/v1/introspect', authorization);
      expect([response.status, response.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="pleo"']);
    }
    expect((await c.api('/v1/introspect', c.bearer((await c.tokens()).access_token))).status).toBe(200);
  });

  test('the bearer-challenge-only fault: 401s carry a Bearer challenge only; API keys still work', async () => {
    const c = await standIn({ faults: ['bearer-challenge-only'] });
    for (const authorization of [undefined, apiKey(c.env.PLEO_API_KEY_REVOKED)]) {
      const response = await c.api('/v1/introspect', authorization);
      expect([response.status, response.headers.get('www-authenticate')]).toEqual([401, 'Bearer realm="pleo"']);
    }
    expect((await c.api('/v1/introspect', apiKey(c.env.PLEO_API_KEY))).status).toBe(200);
  });

  test('missing-verifier-invalid-request: a missing verifier is invalid_request, a wrong one still invalid_grant', async () => {
    const c = await standIn({ modes: ['missing-verifier-invalid-request'] });
    const missing = await c.token({ grant_type: 'authorization_code', code: (await c.authorize()).code!, redirect_uri: c.env.PLEO_REDIRECT_URI });
    expect(oauthError(missing)).toEqual({ status: 400, error: 'invalid_request' });
    expect(missing.headers.get('cache-control')).toBe('no-store');
    const flow = await c.authorize();
    expect(oauthError(await c.exchange(flow, { code_verifier: randomBytes(32).toString('base64url') }))).toEqual({ status: 400, error: 'invalid_grant' });
    expect(oauthError(await c.exchange(await c.authorize()))).toEqual({ status: 200, error: undefined });
  });

  test('long-tokens: JWT-sized codes and tokens that work everywhere and go to the ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'stand-in-ledger-'));
    try {
      const ledgerFile = join(dir, 'ledger');
      const c = await standIn({ modes: ['long-tokens'], ledgerFile });
      const flow = await c.authorize();
      const tokens = (await c.exchange(flow)).json!;
      const values = [flow.code!, String(tokens.access_token), String(tokens.refresh_token)];
      for (const value of values) expect(value).toMatch(/^[\w-]{32}\.[\w-]{200,}\.[\w-]{500,}$/);
      expect(Math.min(...values.map((v) => v.length))).toBeGreaterThan(900);
      expect(readFileSync(ledgerFile, 'utf8').split('\n')).toEqual(expect.arrayContaining(values));

      expect((await c.api('/v2/employees', c.bearer(tokens.access_token))).status).toBe(200);
      expect((await c.post(c.env.PLEO_INTROSPECT_PATH, { token: String(tokens.access_token) })).json?.active).toBe(true);
      const refreshed = (await c.refresh(tokens.refresh_token)).json!;
      expect(String(refreshed.refresh_token).length).toBeGreaterThan(900);
      expect((await c.post(c.env.PLEO_REVOCATION_PATH, { token: String(refreshed.refresh_token) })).status).toBe(200);
      expect(oauthError(await c.refresh(refreshed.refresh_token))).toEqual({ status: 400, error: 'invalid_grant' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('pleo-login: email, passcode and TOTP pages instead of a password; env names the factors, as secrets', async () => {
    const c = await standIn({ modes: ['pleo-login'] });
    expect(c.env.PLEO_LOGIN_PASSWORD).toBeUndefined();
    expect(c.env.PLEO_LOGIN_PASSCODE).toMatch(/^\d{4}$/);
    expect(c.env.PLEO_LOGIN_TOTP_SECRET).toMatch(/^[A-Z2-7]{32}$/);
    expect(SECRET_SETTINGS).toEqual(expect.arrayContaining(['PLEO_LOGIN_PASSCODE', 'PLEO_LOGIN_TOTP_SECRET']));
    const flow = await c.authorize();
    expect([flow.loginStatus, flow.consentShown, Boolean(flow.code)]).toEqual([303, true, true]);
    expect((await c.exchange(flow)).status).toBe(200);
  });

  test('pleo-login: a wrong passcode or TOTP seed never gets past its page', async () => {
    const { standIn: started } = await standIn({ modes: ['pleo-login'] });
    const wrongPasscode = started.env.PLEO_LOGIN_PASSCODE === '0000' ? '1111' : '0000';
    const wrong = (env: Record<string, string>) => new StandInClient({ ...started, env: { ...started.env, ...env } }).authorize();
    await expect(wrong({ PLEO_LOGIN_PASSCODE: wrongPasscode })).rejects.toThrow(/too many hops/);
    await expect(wrong({ PLEO_LOGIN_TOTP_SECRET: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' })).rejects.toThrow(/too many hops/);
  });

  test('all modes together: the code flow, the token exchange and the API still work', async () => {
    const c = await standIn({ modes: ['all'] });
    expect(c.standIn.modes).toEqual(Object.keys(MODES));
    const flow = await c.authorize();
    expect([flow.loginStatus, flow.consentShown]).toEqual([303, true]);
    const { access_token: token } = (await c.exchange(flow)).json!;
    expect((await c.api('/v2/employees', c.bearer(token))).status).toBe(200);
  });
});
