import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, loadEnvFiles, readConfig } from '../../support/config.ts';
import { clearSecretsForTesting, redact } from '../../support/secrets.ts';
import { thrown } from './thrown.ts';

const ENV = {
  PLEO_AUTH_URL: 'https://auth.example.test/',
  PLEO_API_URL: 'https://api.example.test',
  PLEO_CLIENT_ID: 'client-1',
  PLEO_CLIENT_SECRET: 'client-secret-1',
  PLEO_REDIRECT_URI: 'http://127.0.0.1:8080/callback',
  PLEO_SCOPES: ' users:read  expenses:read ',
  PLEO_LOGIN_EMAIL: 'someone@example.test',
  PLEO_LOGIN_PASSWORD: 'login-password-1',
  PLEO_API_KEY: 'api-key-value-1',
};
const REQUIRED = Object.keys(ENV);

const configError = (fn: () => unknown) => thrown(ConfigError, fn);

beforeEach(() => clearSecretsForTesting());

describe('readConfig', () => {
  it('builds the endpoints from the default paths', () => {
    const config = readConfig(ENV);
    expect(config.authUrl).toBe('https://auth.example.test');
    expect(config.apiUrl).toBe('https://api.example.test');
    expect(config.issuer).toBe('https://auth.example.test');
    expect(config.authorizeUrl).toBe('https://auth.example.test/oauth/authorize');
    expect(config.tokenUrl).toBe('https://auth.example.test/oauth/token');
    expect(config.introspectUrl).toBe('https://auth.example.test/oauth/token/introspect');
    expect(config.scopes).toEqual(['users:read', 'expenses:read']);
    expect(config.login).toEqual({ email: 'someone@example.test', password: 'login-password-1' });
    expect(config.revokedApiKey).toBeUndefined();
    expect(config.profile).toEqual({ rotation: { policy: 'strict' }, refreshRevokesAccessToken: false, pragma: 'required' });
    expect(config.strict).toBe(false);
    expect(config.httpTimeoutMs).toBe(10_000);
  });

  it('takes overridden paths and issuer', () => {
    const config = readConfig({ ...ENV, PLEO_TOKEN_PATH: '/token', PLEO_ISSUER: 'https://issuer.test' });
    expect(config.tokenUrl).toBe('https://auth.example.test/token');
    expect(config.issuer).toBe('https://issuer.test');
  });

  it('names every missing variable in one ConfigError', () => {
    const error = configError(() => readConfig({}));
    expect(error.problems).toEqual(REQUIRED.map((name) => `${name} is not set`));
    for (const name of REQUIRED) expect(error.message).toContain(`  - ${name} is not set`);
  });

  it('treats a blank variable as missing', () => {
    expect(configError(() => readConfig({ ...ENV, PLEO_CLIENT_ID: '   ' })).problems).toEqual(['PLEO_CLIENT_ID is not set']);
  });

  it('refuses an invalid URL', () => {
    expect(configError(() => readConfig({ ...ENV, PLEO_AUTH_URL: 'auth.example.test' })).problems)
      .toEqual(['PLEO_AUTH_URL is not a URL: "auth.example.test"']);
  });

  it('reports several problems together', () => {
    const error = configError(() => readConfig({ ...ENV, PLEO_API_KEY: '', PLEO_REDIRECT_URI: 'nope', PLEO_PROFILE_PRAGMA: 'x' }));
    expect(error.problems).toHaveLength(3);
  });

  it.each([
    ['strict', { policy: 'strict' }],
    ['none', { policy: 'none' }],
    ['grace:30', { policy: 'grace', seconds: 30 }],
    ['grace:0', { policy: 'grace', seconds: 0 }],
  ])('reads PLEO_PROFILE_ROTATION=%s', (raw, rotation) => {
    expect(readConfig({ ...ENV, PLEO_PROFILE_ROTATION: raw }).profile.rotation).toEqual(rotation);
  });

  it.each(['bogus', 'grace:', 'grace:-1', 'Strict'])('refuses PLEO_PROFILE_ROTATION=%s', (raw) => {
    expect(configError(() => readConfig({ ...ENV, PLEO_PROFILE_ROTATION: raw })).problems)
      .toEqual([`PLEO_PROFILE_ROTATION must be strict, none or grace:<seconds>, not "${raw}"`]);
  });

  it('reads PLEO_PROFILE_PRAGMA', () => {
    expect(readConfig({ ...ENV, PLEO_PROFILE_PRAGMA: 'optional' }).profile.pragma).toBe('optional');
    expect(readConfig({ ...ENV, PLEO_PROFILE_PRAGMA: 'required' }).profile.pragma).toBe('required');
    expect(configError(() => readConfig({ ...ENV, PLEO_PROFILE_PRAGMA: 'sometimes' })).problems)
      .toEqual(['PLEO_PROFILE_PRAGMA must be required or optional, not "sometimes"']);
  });

  it.each(['0', '-5', 'abc'])('refuses PLEO_HTTP_TIMEOUT_MS=%s', (raw) => {
    expect(configError(() => readConfig({ ...ENV, PLEO_HTTP_TIMEOUT_MS: raw })).problems)
      .toEqual(['PLEO_HTTP_TIMEOUT_MS must be a positive number of milliseconds']);
  });

  it('registers the secrets it reads', () => {
    readConfig({ ...ENV, PLEO_API_KEY_REVOKED: 'revoked-key-1' });
    expect(redact('client-secret-1 login-password-1 api-key-value-1 revoked-key-1 client-1'))
      .toBe('[REDACTED:client_secret] [REDACTED:password] [REDACTED:api_key] [REDACTED:api_key] client-1');
  });
});

describe('loadEnvFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'conformance-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads .env.x < .env.x.local < the environment', () => {
    writeFileSync(join(dir, '.env.x'), 'A=file\nB=file\nC=file\n');
    writeFileSync(join(dir, '.env.x.local'), 'B=local\nC=local\n');
    const { vars, files } = loadEnvFiles('x', dir, { C: 'env', D: undefined });
    expect(vars).toEqual({ A: 'file', B: 'local', C: 'env' });
    expect(files).toEqual([join(dir, '.env.x'), join(dir, '.env.x.local')]);
  });

  it('works with only the .local file', () => {
    writeFileSync(join(dir, '.env.x.local'), 'A=local\n');
    expect(loadEnvFiles('x', dir, {})).toEqual({ vars: { A: 'local' }, files: [join(dir, '.env.x.local')] });
  });

  it('names the missing file', () => {
    expect(configError(() => loadEnvFiles('staging', dir, {})).problems)
      .toEqual([`no .env.staging or .env.staging.local file found in ${dir}`]);
  });

  it.each(['../x', 'a/b', '', 'x y'])('refuses the environment name %j', (name) => {
    expect(configError(() => loadEnvFiles(name, dir, {})).problems).toEqual([`--env "${name}" is not a valid environment name`]);
  });
});
