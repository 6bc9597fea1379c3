import { beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../support/config.ts';
import { profileLine, runHeader } from '../../support/run/header.ts';
import { progressPrinter } from '../../support/run/progress.ts';
import { clearSecretsForTesting } from '../../support/secrets.ts';

const ENV = {
  PLEO_AUTH_URL: 'https://auth.example.test',
  PLEO_API_URL: 'https://api.example.test',
  PLEO_CLIENT_ID: 'client-1',
  PLEO_CLIENT_SECRET: 'client-secret-1',
  PLEO_REDIRECT_URI: 'https://client.example.test/callback',
  PLEO_SCOPES: 'users:read',
  PLEO_LOGIN_EMAIL: 'someone@example.test',
  PLEO_LOGIN_PASSWORD: 'login-password-1',
  PLEO_API_KEY: 'api-key-value-1',
  PLEO_INTROSPECT_PATH: '/oauth/token/introspect',
  PLEO_BROWSER_PATH: process.execPath,
};

beforeEach(() => clearSecretsForTesting());

describe('runHeader', () => {
  it('shows target, client, browser, profile, strictness and features', () => {
    const header = runHeader(readConfig(ENV, { label: 'staging', strict: true }), ['PLEO_CLIENT_SECRTE']).join('\n');
    expect(header).toBe([
      'Target staging: authorization server https://auth.example.test, API https://api.example.test',
      '  client    client-1',
      `  browser   ${process.execPath} (headless)`,
      '  profile   PKCE rfc9700, rotation strict, reuse detection on, refresh keeps the previous access token, Pragma required, token redirect_uri required, codes ≤ 600 s, access tokens ≤ 3600 s',
      '  verdicts  strict: warnings fail the run; slow checks off (--slow), destructive checks off (--destructive)',
      '  features  apiKey, introspection',
      '  not configured: revokedApiKey (set PLEO_API_KEY_REVOKED), otherTenantApiKey (set PLEO_API_KEY_OTHER_TENANT), revocation (set PLEO_REVOCATION_PATH), secondClient (set PLEO_CLIENT2_ID and PLEO_CLIENT2_SECRET), encodingClient (set PLEO_ENCODING_CLIENT_ID and PLEO_ENCODING_CLIENT_SECRET), throwawayClient (set PLEO_THROWAWAY_CLIENT_ID and PLEO_THROWAWAY_CLIENT_SECRET)',
      '  notice: PLEO_CLIENT_SECRTE is not a setting of the suite; it is ignored (a typo?)',
    ].join('\n'));
  });

  it('never shows a secret or the login email', () => {
    const config = readConfig({ ...ENV, PLEO_API_KEY_REVOKED: 'revoked-key-1', PLEO_CLIENT2_ID: 'c2', PLEO_CLIENT2_SECRET: 'second-secret-1' }, { runSlow: true, runDestructive: true, headed: true });
    const header = runHeader(config).join('\n');
    for (const hidden of ['client-secret-1', 'login-password-1', 'api-key-value-1', 'revoked-key-1', 'second-secret-1', 'someone@example.test']) {
      expect(header).not.toContain(hidden);
    }
    expect(header).toContain('slow checks on, destructive checks on');
    expect(header).toContain('(headed)');
  });

  it('says the grace period of the rotation policy', () => {
    expect(profileLine(readConfig({ ...ENV, PLEO_PROFILE_ROTATION: 'grace:30' }).profile)).toContain('rotation grace 30 s');
  });
});

describe('progressPrinter', () => {
  it('prints each step as it starts, then its outcome', async () => {
    let out = '';
    const progress = progressPrinter((text) => void (out += text));
    expect(await progress.step('hosts reachable', async () => {
      expect(out).toBe('preflight: hosts reachable … ');
      return 42;
    })).toBe(42);
    expect(out).toMatch(/^preflight: hosts reachable … ok \(\d+ ms\)\n$/);
    await expect(progress.step('login', () => Promise.reject(new Error('refused')))).rejects.toThrow('refused');
    progress.note('continuing');
    expect(out).toMatch(/preflight: login … FAILED\n {2}notice: continuing\n$/);
  });
});
