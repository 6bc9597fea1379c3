/**
 * An exported Postman environment (`{"name", "values": [{"key", "value", "enabled", "type"}]}`) as
 * one more source of settings, so that a partner who already has one for Pleo's guides need not
 * copy it into an env file. It ranks below the env files and the environment: they win. Its
 * variables map to the suite's settings by DEFAULT_POSTMAN_MAP, which PLEO_POSTMAN_MAP overrides.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConfigError, KNOWN_VARIABLES } from './config.ts';
import { registerSecret } from './secrets.ts';

export interface PostmanVariable {
  key: string;
  value: string;
  enabled?: boolean;
  /** 'default' or 'secret' (Postman masks the latter). */
  type?: string;
}

export interface PostmanEnvironment {
  name: string;
  values: PostmanVariable[];
}

/** The settings that hold secrets: what maps to them is registered for redaction. */
export const SECRET_VARIABLES: readonly string[] = [
  'PLEO_CLIENT_SECRET', 'PLEO_LOGIN_PASSWORD', 'PLEO_API_KEY', 'PLEO_API_KEY_REVOKED', 'PLEO_CLIENT2_SECRET', 'PLEO_ENCODING_CLIENT_SECRET',
];

/**
 * Postman variable names and the setting each maps to. Names are compared without case and
 * without separators, so `clientId`, `client_id` and `CLIENT_ID` are one name. Pleo's guide keeps
 * the authorization server's base URL ({AUTHORIZATION_SERVER_URL}) and the client's credentials in
 * environment variables and fills Postman's OAuth 2.0 fields (Auth URL, Access Token URL, Callback
 * URL, Scope) from them. A key that is a suite setting (PLEO_…) maps to itself.
 */
export const DEFAULT_POSTMAN_MAP: Readonly<Record<string, string>> = {
  authorizationServerUrl: 'PLEO_AUTH_URL', authServerUrl: 'PLEO_AUTH_URL', authUrl: 'PLEO_AUTH_URL', authBaseUrl: 'PLEO_AUTH_URL',
  apiUrl: 'PLEO_API_URL', apiBaseUrl: 'PLEO_API_URL', baseUrl: 'PLEO_API_URL',
  authorizeUrl: 'PLEO_AUTHORIZE_PATH', authorizationUrl: 'PLEO_AUTHORIZE_PATH', authorizationEndpoint: 'PLEO_AUTHORIZE_PATH',
  accessTokenUrl: 'PLEO_TOKEN_PATH', tokenUrl: 'PLEO_TOKEN_PATH', tokenEndpoint: 'PLEO_TOKEN_PATH',
  introspectionUrl: 'PLEO_INTROSPECT_PATH', revocationUrl: 'PLEO_REVOCATION_PATH',
  clientId: 'PLEO_CLIENT_ID', clientSecret: 'PLEO_CLIENT_SECRET',
  callbackUrl: 'PLEO_REDIRECT_URI', callback: 'PLEO_REDIRECT_URI', redirectUri: 'PLEO_REDIRECT_URI', redirectUrl: 'PLEO_REDIRECT_URI', redirect: 'PLEO_REDIRECT_URI',
  scope: 'PLEO_SCOPES', scopes: 'PLEO_SCOPES',
  apiKey: 'PLEO_API_KEY',
  username: 'PLEO_LOGIN_EMAIL', email: 'PLEO_LOGIN_EMAIL', password: 'PLEO_LOGIN_PASSWORD',
};

const normalised = (key: string) => key.toLowerCase().replace(/[^a-z0-9]/g, '');
const DEFAULTS = new Map(Object.entries(DEFAULT_POSTMAN_MAP).map(([key, variable]) => [normalised(key), variable]));
/** Names of variables that hold credentials even where no setting takes them (a saved access token, say). */
const LOOKS_SECRET = /secret|password|token|apikey|verifier|cookie/;

/** PLEO_POSTMAN_MAP: `postmanKey=PLEO_VARIABLE` pairs separated by commas; `key=` leaves a variable out. */
export function parsePostmanMap(setting: string | undefined): { map: Map<string, string | null>; problems: string[] } {
  const map = new Map<string, string | null>();
  const problems: string[] = [];
  for (const entry of (setting ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const pair = /^([^=]+)=\s*(\S*)$/.exec(entry);
    const variable = pair?.[2] ?? '';
    if (!pair || (variable && !KNOWN_VARIABLES.includes(variable))) {
      problems.push(`PLEO_POSTMAN_MAP: "${entry}" is not postmanKey=PLEO_SETTING (a setting the README lists) or postmanKey= (left out)`);
      continue;
    }
    map.set(normalised(pair[1]), variable || null);
  }
  return { map, problems };
}

function variableFor(key: string, overrides: Map<string, string | null>): string | undefined {
  const override = overrides.get(normalised(key));
  if (override !== undefined) return override ?? undefined;
  if (KNOWN_VARIABLES.includes(key)) return key;
  return DEFAULTS.get(normalised(key));
}

/** The environment's shape, or the one problem with it. */
function parseEnvironment(text: string): PostmanEnvironment | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  const values = (json as { values?: unknown })?.values;
  if (!Array.isArray(values)) return 'not an exported Postman environment: it has no "values" list';
  const bad = values.findIndex((v) => !v || typeof v.key !== 'string' || !['string', 'number', 'boolean'].includes(typeof v.value));
  if (bad >= 0) return `values[${bad}] has no "key" string and "value"`;
  const name = (json as { name?: unknown }).name;
  return { name: typeof name === 'string' ? name : '', values: values.map((v) => ({ ...v, value: String(v.value) })) };
}

/** Postman's `{{name}}` references to other variables of the environment, resolved. */
function resolveReferences(value: string, values: Map<string, string>, depth = 0): { value: string; missing: string[] } {
  const missing: string[] = [];
  const resolved = value.replace(/\{\{([^{}]+)\}\}/g, (whole, name: string) => {
    const target = values.get(name.trim());
    if (target === undefined || depth > 5) {
      missing.push(name.trim());
      return whole;
    }
    const inner = resolveReferences(target, values, depth + 1);
    missing.push(...inner.missing);
    return inner.value;
  });
  return { value: resolved, missing };
}

/**
 * Reads a Postman environment file and maps its enabled variables to settings. Every secret in it
 * is registered for redaction (what maps to a secret setting, what Postman marks secret, and what
 * is named like a credential). `source` names where the file came from, for the messages.
 */
export function readPostmanEnvironment(file: string, { source, map }: { source: string; map?: string }): { name: string; vars: Record<string, string> } {
  const where = `${source} ${file}`;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${where}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`]);
  }
  const environment = parseEnvironment(text);
  if (typeof environment === 'string') throw new ConfigError([`${where}: ${environment}`]);
  const overrides = parsePostmanMap(map);
  const problems = [...overrides.problems];
  const enabled = environment.values.filter((v) => v.enabled !== false);
  for (const v of enabled) {
    const variable = variableFor(v.key, overrides.map);
    // A setting's own kind decides (accessTokenUrl is a URL); an unmapped variable is judged by its name.
    const secret = variable ? SECRET_VARIABLES.includes(variable) : LOOKS_SECRET.test(normalised(v.key));
    if (secret || v.type === 'secret') registerSecret(v.value, 'postman_secret');
  }
  const values = new Map(enabled.map((v) => [v.key, v.value]));
  const vars: Record<string, string> = {};
  const from: Record<string, string> = {};
  for (const v of enabled) {
    const variable = variableFor(v.key, overrides.map);
    if (!variable || v.value === '') continue;
    const { value, missing } = resolveReferences(v.value, values);
    if (missing.length) problems.push(`${where}: "${v.key}" (for ${variable}) refers to ${missing.map((m) => `{{${m}}}`).join(', ')}, which the file does not define`);
    else if (variable in vars && vars[variable] !== value) problems.push(`${where}: "${from[variable]}" and "${v.key}" both set ${variable}, to different values: choose one with PLEO_POSTMAN_MAP (e.g. ${v.key}=)`);
    else {
      vars[variable] = value;
      from[variable] = v.key;
    }
  }
  if (problems.length) throw new ConfigError(problems);
  return { name: environment.name, vars };
}

/** A target's variables with those of its Postman environment underneath (`--postman-env`, else PLEO_POSTMAN_ENV). */
export function withPostmanEnvironment(target: { env: Record<string, string>; files: string[] }, option: string | undefined, dir: string): { env: Record<string, string>; files: string[] } {
  const given = option ?? target.env.PLEO_POSTMAN_ENV;
  if (!given) return target;
  const file = resolve(dir, given);
  const { vars } = readPostmanEnvironment(file, { source: option ? '--postman-env' : 'PLEO_POSTMAN_ENV', map: target.env.PLEO_POSTMAN_MAP });
  return { env: { ...vars, ...target.env }, files: [...target.files, file] };
}

/** The Postman name a setting is written under: the first default name that maps to it, else its own. */
const POSTMAN_NAME = new Map(Object.entries(DEFAULT_POSTMAN_MAP).reverse().map(([key, variable]) => [variable, key]));

/**
 * A Postman environment for a target's settings, which Postman imports and the suite reads back
 * (`--postman-env`). The endpoints are full URLs, ready for Postman's OAuth 2.0 fields.
 */
export function postmanEnvironmentOf(name: string, env: Record<string, string>): PostmanEnvironment {
  const full = (path: string | undefined) => (path && !/^[a-z][a-z\d+.-]*:/i.test(path) ? `${env.PLEO_AUTH_URL.replace(/\/$/, '')}${path}` : path);
  const settings = { ...env, PLEO_AUTHORIZE_PATH: full(env.PLEO_AUTHORIZE_PATH), PLEO_TOKEN_PATH: full(env.PLEO_TOKEN_PATH) };
  const values = Object.entries(settings).filter((e): e is [string, string] => e[1] !== undefined).map(([variable, value]) => ({
    key: POSTMAN_NAME.get(variable) ?? variable,
    value,
    type: SECRET_VARIABLES.includes(variable) ? 'secret' : 'default',
    enabled: true,
  }));
  return { name, values };
}
