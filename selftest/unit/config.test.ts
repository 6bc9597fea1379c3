import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_SCREEN_SELECTORS } from '../../support/browser/login-page.ts';
import { ConfigError, configuredFeatures, isRunSetting, KNOWN_VARIABLES, loadEnvFiles, readConfig, unknownVariables } from '../../support/config.ts';
import { clearSecretsForTesting, redact } from '../../support/secrets.ts';
import { thrown } from './thrown.ts';

// PLEO_BROWSER_PATH: any existing file, so that no test depends on the machine's browsers.
const ENV = {
  PLEO_AUTH_URL: 'https://auth.example.test/',
  PLEO_API_URL: 'https://api.example.test',
  PLEO_CLIENT_ID: 'client-1',
  PLEO_CLIENT_SECRET: 'client-secret-1',
  PLEO_REDIRECT_URI: 'http://127.0.0.1:8080/callback',
  PLEO_SCOPES: ' users:read  expenses:read ',
  PLEO_LOGIN_EMAIL: 'someone@example.test',
  PLEO_LOGIN_PASSWORD: 'login-password-1',
  PLEO_BROWSER_PATH: process.execPath,
};
const REQUIRED = Object.keys(ENV).filter((name) => name !== 'PLEO_BROWSER_PATH');

const configError = (fn: () => unknown) => thrown(ConfigError, fn);
const problems = (env: Record<string, string>) => configError(() => readConfig({ ...ENV, ...env })).problems;

beforeEach(() => clearSecretsForTesting());

describe('readConfig', () => {
  it('builds the endpoints from the default paths; optional endpoints have none', () => {
    const config = readConfig(ENV);
    expect(config.authUrl).toBe('https://auth.example.test');
    expect(config.apiUrl).toBe('https://api.example.test');
    expect(config.issuer).toBe('https://auth.example.test');
    expect(config.authorizeUrl).toBe('https://auth.example.test/oauth/authorize');
    expect(config.tokenUrl).toBe('https://auth.example.test/oauth/token');
    expect(config.introspectUrl).toBeUndefined();
    expect(config.revocationUrl).toBeUndefined();
    expect(config.scopes).toEqual(['users:read', 'expenses:read']);
    expect(config.login).toEqual({ email: 'someone@example.test', password: 'login-password-1' });
    expect(config.apiKey).toBeUndefined();
    expect(config.revokedApiKey).toBeUndefined();
    expect(config.secondClient).toBeUndefined();
    expect(config.encodingClient).toBeUndefined();
    expect(config.evidenceFullBodies).toBe(false);
    expect(config.strict).toBe(false);
    expect(config.httpTimeoutMs).toBe(10_000);
  });

  it('has the profile defaults of interfaces.md', () => {
    expect(readConfig(ENV).profile).toEqual({
      rotation: { policy: 'strict' }, refreshRevokesAccessToken: false, pragma: 'required', pkce: 'rfc9700',
      reuseDetection: true, tokenRedirectUri: 'required', codeLifetimeMaxS: 600, accessTokenLifetimeMaxS: 3600,
    });
  });

  it('reads every profile setting', () => {
    const profile = readConfig({
      ...ENV, PLEO_PROFILE_ROTATION: 'grace:30', PLEO_PROFILE_REFRESH_REVOKES_ACCESS: 'true', PLEO_PROFILE_PRAGMA: 'optional',
      PLEO_PROFILE_PKCE: 'fapi2', PLEO_PROFILE_REUSE_DETECTION: 'false', PLEO_PROFILE_TOKEN_REDIRECT_URI: 'optional',
      PLEO_PROFILE_CODE_LIFETIME_MAX_S: '60', PLEO_PROFILE_ACCESS_TOKEN_LIFETIME_MAX_S: '900',
    }).profile;
    expect(profile).toEqual({
      rotation: { policy: 'grace', seconds: 30 }, refreshRevokesAccessToken: true, pragma: 'optional', pkce: 'fapi2',
      reuseDetection: false, tokenRedirectUri: 'optional', codeLifetimeMaxS: 60, accessTokenLifetimeMaxS: 900,
    });
  });

  it('takes the run settings of the command line', () => {
    const config = readConfig(ENV, { label: 'staging', strict: true, headed: true, runSlow: true, runDestructive: false, artifactsDir: '/out/reports', sessionFile: '/private/session.json' });
    expect(config.target).toEqual({ label: 'staging' });
    expect(config.strict).toBe(true);
    expect([config.runSlow, config.runDestructive]).toEqual([true, false]);
    expect(config.browser).toEqual({
      executablePath: process.execPath, headed: true, sessionFile: '/private/session.json', artifactsDir: '/out/reports', selectors: DEFAULT_SCREEN_SELECTORS,
    });
    expect(readConfig({ ...ENV, PLEO_STRICT: 'true' }).strict).toBe(true);
  });

  it('takes overridden paths, full endpoint URLs and the issuer', () => {
    const config = readConfig({ ...ENV, PLEO_TOKEN_PATH: 'token', PLEO_INTROSPECT_PATH: '/introspect', PLEO_REVOCATION_PATH: 'https://other.test/revoke', PLEO_ISSUER: 'https://issuer.test' });
    expect(config.tokenUrl).toBe('https://auth.example.test/token');
    expect(config.introspectUrl).toBe('https://auth.example.test/introspect');
    expect(config.revocationUrl).toBe('https://other.test/revoke');
    expect(config.issuer).toBe('https://issuer.test');
  });

  it('takes the screen selectors as strings', () => {
    const selectors = { PLEO_LOGIN_EMAIL_SELECTOR: '#email', PLEO_LOGIN_PASSWORD_SELECTOR: '#pw', PLEO_LOGIN_SUBMIT_SELECTOR: '#go', PLEO_LOGIN_ERROR_SELECTOR: '.oops', PLEO_CONSENT_ALLOW_PATTERN: '^Yes$', PLEO_CONSENT_DENY_PATTERN: '^No$', PLEO_LOGIN_PASSCODE_SELECTOR: '#pin', PLEO_LOGIN_TOTP_SELECTOR: '#otp' };
    expect(readConfig({ ...ENV, ...selectors }).browser.selectors).toEqual({ email: '#email', password: '#pw', submit: '#go', error: '.oops', allow: '^Yes$', deny: '^No$', passcode: '#pin', totp: '#otp' });
  });

  it('names every missing variable in one ConfigError; PLEO_API_KEY is optional', () => {
    const error = configError(() => readConfig({ PLEO_BROWSER_PATH: process.execPath }));
    // The password's message goes on to name the other ways to log in.
    expect(error.problems.map((problem) => problem.replace(/ \(nor .*$/, ''))).toEqual(REQUIRED.map((name) => `${name} is not set`));
    for (const name of REQUIRED) expect(error.message).toContain(`  - ${name} is not set`);
  });

  it('treats a blank variable as missing', () => {
    expect(problems({ PLEO_CLIENT_ID: '   ' })).toEqual(['PLEO_CLIENT_ID is not set']);
  });

  it.each([
    ['PLEO_AUTH_URL', 'auth.example.test', 'PLEO_AUTH_URL is not a URL: "auth.example.test" (it needs a scheme, e.g. https://)'],
    ['PLEO_AUTH_URL', 'localhost:4400', 'PLEO_AUTH_URL must be an http: or https: URL, not "localhost:4400"'],
    ['PLEO_API_URL', 'ftp://api.example.test', 'PLEO_API_URL must be an http: or https: URL, not "ftp://api.example.test"'],
    ['PLEO_REDIRECT_URI', 'javascript:alert(1)', 'PLEO_REDIRECT_URI must be an http: or https: URL, not "javascript:alert(1)"'],
    ['PLEO_ISSUER', 'urn:example', 'PLEO_ISSUER must be an http: or https: URL, not "urn:example"'],
    ['PLEO_TOKEN_PATH', 'ftp://auth.example.test/token', 'PLEO_TOKEN_PATH must be an http: or https: URL, not "ftp://auth.example.test/token"'],
    ['PLEO_REVOCATION_PATH', 'javascript:x', 'PLEO_REVOCATION_PATH must be an http: or https: URL, not "javascript:x"'],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problems({ [name]: value })).toEqual([message]);
  });

  it.each(['PLEO_CONSENT_ALLOW_PATTERN', 'PLEO_CONSENT_DENY_PATTERN'])('refuses an invalid regular expression in %s', (name) => {
    expect(problems({ [name]: '(allow' })).toEqual([`${name} is not a valid regular expression: Invalid regular expression: /(allow/i: Unterminated group`]);
  });

  it('reports several problems together', () => {
    expect(problems({ PLEO_CLIENT_ID: '', PLEO_REDIRECT_URI: 'nope', PLEO_PROFILE_PRAGMA: 'x' })).toHaveLength(3);
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
    expect(problems({ PLEO_PROFILE_ROTATION: raw })).toEqual([`PLEO_PROFILE_ROTATION must be strict, none or grace:<seconds>, not "${raw}"`]);
  });

  it.each([
    ['PLEO_PROFILE_PRAGMA', 'sometimes', 'PLEO_PROFILE_PRAGMA must be required or optional, not "sometimes"'],
    ['PLEO_PROFILE_PKCE', 'rfc7636', 'PLEO_PROFILE_PKCE must be rfc9700, oauth21 or fapi2, not "rfc7636"'],
    ['PLEO_PROFILE_TOKEN_REDIRECT_URI', 'maybe', 'PLEO_PROFILE_TOKEN_REDIRECT_URI must be required or optional, not "maybe"'],
    ['PLEO_PROFILE_REUSE_DETECTION', 'yes', 'PLEO_PROFILE_REUSE_DETECTION must be true or false, not "yes"'],
    ['PLEO_PROFILE_REFRESH_REVOKES_ACCESS', '1', 'PLEO_PROFILE_REFRESH_REVOKES_ACCESS must be true or false, not "1"'],
    ['PLEO_STRICT', 'on', 'PLEO_STRICT must be true or false, not "on"'],
    ['PLEO_EVIDENCE_FULL_BODIES', 'all', 'PLEO_EVIDENCE_FULL_BODIES must be true or false, not "all"'],
    ['PLEO_PROFILE_CODE_LIFETIME_MAX_S', '0', 'PLEO_PROFILE_CODE_LIFETIME_MAX_S must be a positive whole number of seconds, not "0"'],
    ['PLEO_PROFILE_ACCESS_TOKEN_LIFETIME_MAX_S', '1h', 'PLEO_PROFILE_ACCESS_TOKEN_LIFETIME_MAX_S must be a positive whole number of seconds, not "1h"'],
    ['PLEO_HTTP_TIMEOUT_MS', '-5', 'PLEO_HTTP_TIMEOUT_MS must be a positive whole number of milliseconds, not "-5"'],
  ])('refuses %s=%s', (name, value, message) => {
    expect(problems({ [name]: value })).toEqual([message]);
  });

  it('refuses a PLEO_BROWSER_PATH that does not exist', () => {
    expect(problems({ PLEO_BROWSER_PATH: '/nonexistent/chromium' })).toEqual([
      'PLEO_BROWSER_PATH points at /nonexistent/chromium, which does not exist. Run "npm run setup" to install one, or set PLEO_BROWSER_PATH to a Chromium or Chrome executable.',
    ]);
  });

  it('reads the optional clients in pairs', () => {
    const config = readConfig({ ...ENV, PLEO_CLIENT2_ID: 'client-2', PLEO_CLIENT2_SECRET: 'secret-2', PLEO_ENCODING_CLIENT_ID: 'client-3', PLEO_ENCODING_CLIENT_SECRET: ' +/=%: x ' });
    expect(config.secondClient).toEqual({ id: 'client-2', secret: 'secret-2' });
    expect(config.encodingClient).toEqual({ id: 'client-3', secret: ' +/=%: x ' });
  });

  it.each([
    [{ PLEO_CLIENT2_ID: 'client-2' }, 'PLEO_CLIENT2_ID is set but PLEO_CLIENT2_SECRET is not: set both or neither'],
    [{ PLEO_CLIENT2_SECRET: 'secret-2' }, 'PLEO_CLIENT2_SECRET is set but PLEO_CLIENT2_ID is not: set both or neither'],
    [{ PLEO_ENCODING_CLIENT_ID: 'client-3' }, 'PLEO_ENCODING_CLIENT_ID is set but PLEO_ENCODING_CLIENT_SECRET is not: set both or neither'],
  ])('refuses half a pair: %j', (env, message) => {
    expect(problems(env)).toEqual([message]);
  });

  it('registers the secrets it reads', () => {
    readConfig({ ...ENV, PLEO_API_KEY: 'api-key-value-1', PLEO_API_KEY_REVOKED: 'revoked-key-1', PLEO_CLIENT2_ID: 'c2', PLEO_CLIENT2_SECRET: 'second-secret', PLEO_ENCODING_CLIENT_ID: 'c3', PLEO_ENCODING_CLIENT_SECRET: 'enc +/ secret' });
    expect(redact('client-secret-1 login-password-1 api-key-value-1 revoked-key-1 second-secret enc +/ secret client-1'))
      .toBe('[REDACTED:client_secret] [REDACTED:password] [REDACTED:api_key] [REDACTED:api_key] [REDACTED:client_secret] [REDACTED:client_secret] client-1');
  });

  it('is plain JSON: it crosses to the Vitest worker unchanged', () => {
    const config = readConfig({ ...ENV, PLEO_API_KEY: 'k-1234', PLEO_PROFILE_ROTATION: 'grace:5' }, { sessionFile: '/s.json' });
    expect(JSON.parse(JSON.stringify(config))).toEqual(config);
  });
});

describe('optional features', () => {
  it('lists the configured ones', () => {
    expect(configuredFeatures(readConfig(ENV))).toEqual([]);
    const all = readConfig({
      ...ENV, PLEO_API_KEY: 'k-1234', PLEO_API_KEY_REVOKED: 'r-1234', PLEO_INTROSPECT_PATH: '/i', PLEO_REVOCATION_PATH: '/r',
      PLEO_CLIENT2_ID: 'c2', PLEO_CLIENT2_SECRET: 's2-secret', PLEO_ENCODING_CLIENT_ID: 'c3', PLEO_ENCODING_CLIENT_SECRET: 's3-secret',
    });
    expect(configuredFeatures(all)).toEqual(['apiKey', 'revokedApiKey', 'introspection', 'revocation', 'secondClient', 'encodingClient']);
    expect(configuredFeatures(readConfig({ ...ENV, PLEO_INTROSPECT_PATH: '/i' }))).toEqual(['introspection']);
  });
});

describe('variables', () => {
  it('tells run settings from target settings', () => {
    for (const name of ['PLEO_STRICT', 'PLEO_HTTP_TIMEOUT_MS', 'PLEO_BROWSER_PATH', 'PLEO_EVIDENCE_FULL_BODIES', 'PLEO_PROFILE_PKCE']) expect(isRunSetting(name)).toBe(true);
    for (const name of ['PLEO_AUTH_URL', 'PLEO_TOKEN_PATH', 'PLEO_CLIENT2_ID', 'PLEO_LOGIN_EMAIL_SELECTOR', 'PLEO_CONSENT_ALLOW_PATTERN', 'PLEO_API_KEY']) expect(isRunSetting(name)).toBe(false);
  });

  it('knows its own variables and names the others', () => {
    expect(unknownVariables(Object.fromEntries(KNOWN_VARIABLES.map((name) => [name, 'x'])))).toEqual([]);
    expect(unknownVariables({ PLEO_CLIENT_SECRTE: 'x', PLEO_CLIENT_ID: 'y', HOME: '/root' })).toEqual(['PLEO_CLIENT_SECRTE']);
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

  it('names a file it cannot read', () => {
    mkdirSync(join(dir, '.env.x'));
    expect(configError(() => loadEnvFiles('x', dir, {})).problems).toEqual([`cannot read ${join(dir, '.env.x')}: EISDIR`]);
  });

  it('refuses a value that an unquoted # would cut short', () => {
    const file = join(dir, '.env.x');
    writeFileSync(file, 'A=kept # a comment\nPLEO_LOGIN_EMAIL_SELECTOR=#email\nB="#quoted"\n# C=#commented out\nD=input#id\nE=\'#single\'\n');
    const cut = (name: string) => `the value of ${name} holds an unquoted "#", which starts a comment in env files; quote the value (${name}="…")`;
    expect(configError(() => loadEnvFiles('x', dir, {})).problems).toEqual([`${file}: line 2: ${cut('PLEO_LOGIN_EMAIL_SELECTOR')}`, `${file}: line 5: ${cut('D')}`]);
    writeFileSync(file, 'A=kept # a comment\nB="#quoted"\n');
    expect(loadEnvFiles('x', dir, {}).vars).toEqual({ A: 'kept', B: '#quoted' });
  });

  it.each(['../x', 'a/b', '', 'x y'])('refuses the environment name %j', (name) => {
    expect(configError(() => loadEnvFiles(name, dir, {})).problems).toEqual([`--env "${name}" is not a valid environment name`]);
  });
});
