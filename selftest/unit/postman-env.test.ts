import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../support/config.ts';
import { parsePostmanMap, postmanEnvironmentOf, readPostmanEnvironment, withPostmanEnvironment } from '../../support/postman-env.ts';
import { parseRunnerArgs, UsageError } from '../../support/run/cli-args.ts';
import { clearSecretsForTesting, redact } from '../../support/secrets.ts';
import { thrown } from './thrown.ts';

const dir = mkdtempSync(join(tmpdir(), 'postman-env-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
beforeEach(() => clearSecretsForTesting());

let count = 0;
function file(content: unknown): string {
  const path = join(dir, `env-${++count}.json`);
  writeFileSync(path, typeof content === 'string' ? content : JSON.stringify(content));
  return path;
}
const environment = (values: Array<Record<string, unknown>>) => file({ name: 'Pleo staging', values, _postman_variable_scope: 'environment' });
const problems = (fn: () => unknown) => thrown(ConfigError, fn).problems;
const read = (path: string, map?: string) => readPostmanEnvironment(path, { source: '--postman-env', map }).vars;

describe('readPostmanEnvironment', () => {
  it('maps the names of Pleo\'s Postman set-up to settings, whatever their case and separators', () => {
    const path = environment([
      { key: 'AUTHORIZATION_SERVER_URL', value: 'https://auth.example.test', enabled: true },
      { key: 'client_id', value: 'client-1', enabled: true },
      { key: 'clientSecret', value: 'client-secret-value-1', enabled: true, type: 'secret' },
      { key: 'Callback URL', value: 'https://oauth.pstmn.io/v1/callback' },
      { key: 'scope', value: 'users:read test:test' },
      { key: 'api-key', value: 'api-key-value-123456' },
      { key: 'PLEO_API_URL', value: 'https://api.example.test' },
      { key: 'unrelated', value: 'kept out' },
    ]);
    expect(read(path)).toEqual({
      PLEO_AUTH_URL: 'https://auth.example.test',
      PLEO_CLIENT_ID: 'client-1',
      PLEO_CLIENT_SECRET: 'client-secret-value-1',
      PLEO_REDIRECT_URI: 'https://oauth.pstmn.io/v1/callback',
      PLEO_SCOPES: 'users:read test:test',
      PLEO_API_KEY: 'api-key-value-123456',
      PLEO_API_URL: 'https://api.example.test',
    });
  });

  it('leaves out disabled and empty variables, and resolves {{references}} to other variables', () => {
    const path = environment([
      { key: 'authServer', value: 'https://auth.example.test', enabled: true },
      { key: 'authorizeUrl', value: '{{authServer}}/oauth/authorize', enabled: true },
      { key: 'clientId', value: 'disabled', enabled: false },
      { key: 'clientSecret', value: '' },
    ]);
    expect(read(path)).toEqual({ PLEO_AUTHORIZE_PATH: 'https://auth.example.test/oauth/authorize' });
  });

  it('lets PLEO_POSTMAN_MAP add, change and drop mappings', () => {
    const path = environment([
      { key: 'issuerBase', value: 'https://auth.example.test' },
      { key: 'baseUrl', value: 'https://not-the-api.example.test' },
      { key: 'clientId', value: 'client-1' },
    ]);
    expect(read(path, 'issuerBase=PLEO_AUTH_URL, baseUrl=, clientId=PLEO_CLIENT2_ID')).toEqual({ PLEO_AUTH_URL: 'https://auth.example.test', PLEO_CLIENT2_ID: 'client-1' });
  });

  it('registers every secret for redaction: mapped to a secret setting, marked secret, or named like a credential', () => {
    const path = environment([
      { key: 'clientSecret', value: 'client-secret-value-1' },
      { key: 'myValue', value: 'marked-secret-value-2', type: 'secret' },
      { key: 'accessToken', value: 'saved-access-token-value-3' },
      { key: 'accessTokenUrl', value: 'https://auth.example.test/oauth/token' },
    ]);
    read(path);
    expect(redact('client-secret-value-1 marked-secret-value-2 saved-access-token-value-3')).not.toMatch(/value-\d/);
    expect(redact('https://auth.example.test/oauth/token')).toBe('https://auth.example.test/oauth/token');
  });

  it('names the problem of a bad file in one ConfigError', () => {
    expect(problems(() => read(join(dir, 'missing.json')))[0]).toMatch(/--postman-env .*missing\.json: cannot read it \(ENOENT\)/);
    expect(problems(() => read(file('{"values": [')))[0]).toMatch(/not JSON/);
    expect(problems(() => read(file({ name: 'a collection', item: [] })))[0]).toMatch(/no "values" list/);
    expect(problems(() => read(file({ values: [{ value: 'x' }] })))[0]).toMatch(/values\[0\] has no "key"/);
    expect(problems(() => read(environment([{ key: 'authUrl', value: '{{host}}/x' }])))[0]).toMatch(/"authUrl" \(for PLEO_AUTH_URL\) refers to \{\{host\}\}/);
    expect(problems(() => read(environment([{ key: 'authUrl', value: 'https://a.test' }, { key: 'authServerUrl', value: 'https://b.test' }])))[0]).toMatch(/both set PLEO_AUTH_URL/);
    expect(problems(() => read(environment([]), 'x=PLEO_NOSUCH'))[0]).toMatch(/PLEO_POSTMAN_MAP: "x=PLEO_NOSUCH"/);
  });
});

describe('withPostmanEnvironment', () => {
  const path = environment([{ key: 'clientId', value: 'from-postman' }, { key: 'authUrl', value: 'https://auth.example.test' }]);

  it('ranks the Postman environment below the env files and the environment', () => {
    const target = withPostmanEnvironment({ env: { PLEO_CLIENT_ID: 'from-env-file' }, files: ['.env.x'] }, path, dir);
    expect(target).toEqual({ env: { PLEO_CLIENT_ID: 'from-env-file', PLEO_AUTH_URL: 'https://auth.example.test' }, files: ['.env.x', path] });
  });

  it('takes the file from PLEO_POSTMAN_ENV, relative to the env files\' folder, when no option names one', () => {
    const target = withPostmanEnvironment({ env: { PLEO_POSTMAN_ENV: path.slice(dir.length + 1) }, files: [] }, undefined, dir);
    expect(target.env.PLEO_CLIENT_ID).toBe('from-postman');
    expect(withPostmanEnvironment({ env: {}, files: [] }, undefined, dir)).toEqual({ env: {}, files: [] });
  });
});

describe('postmanEnvironmentOf', () => {
  it('writes what the suite reads back, with full endpoint URLs and the secrets marked secret', () => {
    const env = {
      PLEO_AUTH_URL: 'http://127.0.0.1:4400', PLEO_API_URL: 'http://127.0.0.1:4401', PLEO_AUTHORIZE_PATH: '/oauth/authorize', PLEO_TOKEN_PATH: '/oauth/token',
      PLEO_CLIENT_ID: 'client-1', PLEO_CLIENT_SECRET: 'client-secret-value-1', PLEO_REDIRECT_URI: 'https://oauth.pstmn.io/v1/callback', PLEO_SCOPES: 'users:read test:test',
      PLEO_LOGIN_EMAIL: 'partner@stand-in.example', PLEO_LOGIN_PASSWORD: 'login-password-1', PLEO_API_KEY: 'api-key-value-123456', PLEO_CLIENT2_ID: 'client-2',
    };
    const written = postmanEnvironmentOf('Pleo stand-in', env);
    const byKey = Object.fromEntries(written.values.map((v) => [v.key, v]));
    expect(byKey.authorizeUrl.value).toBe('http://127.0.0.1:4400/oauth/authorize');
    expect(byKey.accessTokenUrl.value).toBe('http://127.0.0.1:4400/oauth/token');
    expect(byKey.clientSecret.type).toBe('secret');
    expect(byKey.PLEO_CLIENT2_ID.value).toBe('client-2');
    const readBack = read(file(written));
    expect(readBack).toEqual({ ...env, PLEO_AUTHORIZE_PATH: 'http://127.0.0.1:4400/oauth/authorize', PLEO_TOKEN_PATH: 'http://127.0.0.1:4400/oauth/token' });
  });
});

describe('--postman-env on the command line', () => {
  it('is taken alone or with --env, and not with a local target\'s switches', () => {
    expect(parseRunnerArgs(['--postman-env', 'x.json']).postmanEnv).toBe('x.json');
    expect(parseRunnerArgs(['--env', 'staging', '--postman-env=x.json']).postmanEnv).toBe('x.json');
    expect(thrown(UsageError, () => parseRunnerArgs(['--postman-env', 'x.json', '--target', 'node-oauth'])).message).toMatch(/--postman-env/);
    expect(thrown(UsageError, () => parseRunnerArgs(['--postman-env', 'x.json', '--fault', 'code-reusable'])).message).toMatch(/--postman-env/);
  });

  it('parses PLEO_POSTMAN_MAP pairs', () => {
    expect([...parsePostmanMap('a=PLEO_AUTH_URL, b=').map]).toEqual([['a', 'PLEO_AUTH_URL'], ['b', null]]);
  });
});
