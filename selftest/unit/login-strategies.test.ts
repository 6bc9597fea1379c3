/**
 * The driver's login strategies against the stand-in's pleo-login mode (email, passcode, TOTP):
 * the built-in steps, a login script, and a saved session that is reused, written back after
 * each authorization (the server rotates it), and reported once it no longer logs in.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStandIn, type StandIn } from '../../fixtures/stand-in/index.ts';
import { buildAuthorizationRequest } from '../../support/authorization-request.ts';
import { ConsentDriver, SessionExpiredError } from '../../support/browser/driver.ts';
import { readConfig, type RunSettings } from '../../support/config.ts';

let standIn: StandIn;
const dir = mkdtempSync(join(tmpdir(), 'login-strategies-'));
beforeAll(async () => {
  standIn = await startStandIn({ modes: ['pleo-login'] });
}, 30_000);
afterAll(async () => {
  await standIn?.close();
  rmSync(dir, { recursive: true, force: true });
});

const configOf = (env: Record<string, string> = {}, run: Partial<RunSettings> = {}) =>
  readConfig({ ...standIn.env, ...env }, { artifactsDir: join(dir, 'reports'), ...run });

async function withDriver<T>(config: ReturnType<typeof configOf>, use: (driver: ConsentDriver) => Promise<T>, sessionFile?: string): Promise<T> {
  const driver = await ConsentDriver.launch(config, { sessionFile });
  try {
    return await use(driver);
  } finally {
    await driver.close();
  }
}

describe('login strategies (pleo-login)', { timeout: 120_000 }, () => {
  it('a login script handles the passcode page; the built-in TOTP step does the rest', async () => {
    const script = JSON.stringify([{ name: 'passcode', when: { text: 'enter your passcode' }, fill: [{ label: '^passcode', value: '${PLEO_LOGIN_PASSCODE}' }], click: { button: '^continue$' } }]);
    const config = configOf({ PLEO_LOGIN_SCRIPT: script });
    const screens: string[] = [];
    const result = await withDriver(config, async (d) => d.logIn(await buildAuthorizationRequest(config), { onScreen: (s) => screens.push(s.kind === 'login' ? s.fields.join('+') : s.kind) }));
    expect([result.consentShown, screens]).toEqual([true, ['email', 'script', 'totp', 'consent']]);
  });

  it('a saved session is reused, written back after each authorization, and reported once it stops working', async () => {
    const file = join(dir, 'saved.json');
    await withDriver(configOf(), async (d) => {
      await d.logIn(await buildAuthorizationRequest(configOf()));
      await d.saveSession(file);
    });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const config = configOf({}, { savedSession: { envName: 'x', file } });
    expect(config.login.savedSession).toBe(file);
    // A completed authorization rotates the server's session: the file must follow.
    const flow = await withDriver(config, async (d) => d.authorize(await buildAuthorizationRequest(config), { sessionOnly: true }), file);
    expect(flow.outcome?.code).toBeTruthy();
    await withDriver(config, async (d) => {
      expect((await d.logIn(await buildAuthorizationRequest(config), { sessionOnly: true })).consentShown).toBe(true);
      const loggedOut = await d.withoutSession();
      await expect(loggedOut.logIn(await buildAuthorizationRequest(config), { sessionOnly: true })).rejects.toThrow(SessionExpiredError);
      await loggedOut.close();
    }, file);
  });
});
