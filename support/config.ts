/**
 * The suite's configuration: which target, which client, which profile.
 * Everything comes from environment variables (documented in the README), so that the same
 * suite runs against the stand-in, Pleo's staging, or any OAuth 2.0 server.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { registerSecret } from './secrets.ts';

export type Rotation = { policy: 'strict' } | { policy: 'none' } | { policy: 'grace'; seconds: number };

export interface SuiteConfig {
  authUrl: string;
  apiUrl: string;
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  introspectUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  login: { email: string; password: string };
  apiKey?: string;
  revokedApiKey?: string;
  revocationUrl?: string;
  secondClient?: { id: string; secret: string };
  encodingClient?: { id: string; secret: string };
  api: { probePath: string; scopedPath: string; scopedPathScope: string };
  profile: {
    rotation: Rotation;
    /** Pleo documents that a refresh also invalidates the previous access token. */
    refreshRevokesAccessToken: boolean;
    /** `Pragma: no-cache` is required by RFC 6749 §5.1 and dropped by OAuth 2.1. */
    pragma: 'required' | 'optional';
    /** Replaying a superseded refresh token revokes the grant (Pleo documents it). */
    reuseDetection: boolean;
    pkce: 'rfc9700' | 'oauth21' | 'fapi2';
  };
  strict: boolean;
  httpTimeoutMs: number;
}

/** A problem with the configuration: the run cannot start. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is incomplete or invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads `.env.NAME` and then the git-ignored `.env.NAME.local`; variables already in the
 * environment win. Returns the merged variables and the files that were read.
 */
export function loadEnvFiles(name: string, dir = process.cwd(), environment = process.env): { vars: Record<string, string>; files: string[] } {
  if (!/^[\w.-]+$/.test(name)) throw new ConfigError([`--env "${name}" is not a valid environment name`]);
  const files = [`.env.${name}`, `.env.${name}.local`].map((f) => resolve(dir, f)).filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new ConfigError([`no .env.${name} or .env.${name}.local file found in ${dir}`]);
  }
  const fromFiles = Object.assign({}, ...files.map((f) => parse(readFileSync(f))));
  const vars: Record<string, string> = { ...fromFiles };
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) vars[key] = value;
  return { vars, files };
}

function parseRotation(raw: string): Rotation | undefined {
  if (raw === 'strict' || raw === 'none') return { policy: raw };
  const grace = /^grace:(\d+)$/.exec(raw);
  return grace ? { policy: 'grace', seconds: Number(grace[1]) } : undefined;
}

function parseUrl(name: string, raw: string | undefined, problems: string[]): string {
  if (!raw) return '';
  try {
    return new URL(raw).toString().replace(/\/$/, '');
  } catch {
    problems.push(`${name} is not a URL: "${raw}"`);
    return '';
  }
}

const REQUIRED = [
  'PLEO_AUTH_URL', 'PLEO_API_URL', 'PLEO_CLIENT_ID', 'PLEO_CLIENT_SECRET', 'PLEO_REDIRECT_URI',
  'PLEO_SCOPES', 'PLEO_LOGIN_EMAIL', 'PLEO_LOGIN_PASSWORD',
] as const;

/** What a target may lack: the checks that need one skip, naming the variables to set. */
export type Feature = 'apiKey' | 'revokedApiKey' | 'introspection' | 'revocation' | 'secondClient' | 'encodingClient';

export const FEATURE_VARIABLES: Record<Feature, string> = {
  apiKey: 'PLEO_API_KEY',
  revokedApiKey: 'PLEO_API_KEY_REVOKED',
  introspection: 'PLEO_INTROSPECT_PATH',
  revocation: 'PLEO_REVOCATION_PATH',
  secondClient: 'PLEO_CLIENT2_ID and PLEO_CLIENT2_SECRET',
  encodingClient: 'PLEO_ENCODING_CLIENT_ID and PLEO_ENCODING_CLIENT_SECRET',
};

export function configuredFeatures(config: SuiteConfig): Feature[] {
  const present: Record<Feature, unknown> = {
    apiKey: config.apiKey,
    revokedApiKey: config.revokedApiKey,
    introspection: config.introspectUrl,
    revocation: config.revocationUrl,
    secondClient: config.secondClient,
    encodingClient: config.encodingClient,
  };
  return (Object.keys(present) as Feature[]).filter((feature) => present[feature]);
}

/** Validates the variables and builds the config; throws one ConfigError naming every problem. */
export function readConfig(env: Record<string, string | undefined> = process.env): SuiteConfig {
  const problems: string[] = [];
  const get = (name: string, fallback = '') => env[name]?.trim() || fallback;
  for (const name of REQUIRED) if (!get(name)) problems.push(`${name} is not set`);

  const authUrl = parseUrl('PLEO_AUTH_URL', get('PLEO_AUTH_URL'), problems);
  const apiUrl = parseUrl('PLEO_API_URL', get('PLEO_API_URL'), problems);
  parseUrl('PLEO_REDIRECT_URI', get('PLEO_REDIRECT_URI'), problems);
  const rotation = parseRotation(get('PLEO_PROFILE_ROTATION', 'strict'));
  if (!rotation) problems.push(`PLEO_PROFILE_ROTATION must be strict, none or grace:<seconds>, not "${get('PLEO_PROFILE_ROTATION')}"`);
  const pragma = get('PLEO_PROFILE_PRAGMA', 'required');
  if (pragma !== 'required' && pragma !== 'optional') problems.push(`PLEO_PROFILE_PRAGMA must be required or optional, not "${pragma}"`);
  const timeout = Number(get('PLEO_HTTP_TIMEOUT_MS', '10000'));
  if (!(timeout > 0)) problems.push(`PLEO_HTTP_TIMEOUT_MS must be a positive number of milliseconds`);
  if (problems.length > 0) throw new ConfigError(problems);

  // Paths are appended to PLEO_AUTH_URL (which may have a path of its own); a full URL is taken as is.
  const endpoint = (name: string, path: string) => {
    const value = get(name, path);
    return /^https?:\/\//i.test(value) ? value : `${authUrl}${value.startsWith('/') ? '' : '/'}${value}`;
  };
  // Secrets are taken byte for byte: a space at either end may be part of them.
  const secret = (name: string) => env[name] ?? '';
  return {
    authUrl,
    apiUrl,
    issuer: get('PLEO_ISSUER', authUrl),
    authorizeUrl: endpoint('PLEO_AUTHORIZE_PATH', '/oauth/authorize'),
    tokenUrl: endpoint('PLEO_TOKEN_PATH', '/oauth/token'),
    introspectUrl: endpoint('PLEO_INTROSPECT_PATH', '/oauth/token/introspect'),
    clientId: get('PLEO_CLIENT_ID'),
    clientSecret: registerSecret(secret('PLEO_CLIENT_SECRET'), 'client_secret'),
    redirectUri: get('PLEO_REDIRECT_URI'),
    scopes: get('PLEO_SCOPES').split(/\s+/),
    login: { email: get('PLEO_LOGIN_EMAIL'), password: registerSecret(secret('PLEO_LOGIN_PASSWORD'), 'password') },
    apiKey: registerSecret(secret('PLEO_API_KEY'), 'api_key') || undefined,
    revocationUrl: get('PLEO_REVOCATION_PATH') ? endpoint('PLEO_REVOCATION_PATH', '') : undefined,
    secondClient: get('PLEO_CLIENT2_ID') ? { id: get('PLEO_CLIENT2_ID'), secret: registerSecret(secret('PLEO_CLIENT2_SECRET'), 'client_secret') } : undefined,
    encodingClient: get('PLEO_ENCODING_CLIENT_ID') ? { id: get('PLEO_ENCODING_CLIENT_ID'), secret: registerSecret(secret('PLEO_ENCODING_CLIENT_SECRET'), 'client_secret') } : undefined,
    revokedApiKey: registerSecret(secret('PLEO_API_KEY_REVOKED'), 'api_key') || undefined,
    api: {
      probePath: get('PLEO_API_PROBE_PATH', '/v1/introspect'),
      scopedPath: get('PLEO_API_SCOPED_PATH', '/v2/employees'),
      scopedPathScope: get('PLEO_API_SCOPED_PATH_SCOPE', 'users:read'),
    },
    profile: {
      rotation: rotation!,
      refreshRevokesAccessToken: get('PLEO_PROFILE_REFRESH_REVOKES_ACCESS', 'false') === 'true',
      pragma: pragma as 'required' | 'optional',
      reuseDetection: get('PLEO_PROFILE_REUSE_DETECTION', 'true') === 'true',
      pkce: get('PLEO_PROFILE_PKCE', 'rfc9700') as 'rfc9700' | 'oauth21' | 'fapi2',
    },
    strict: get('PLEO_STRICT', 'false') === 'true',
    httpTimeoutMs: timeout,
  };
}

let cached: SuiteConfig | undefined;
/** The config of this run, read once per process from the environment the runner prepared. */
export function suiteConfig(): SuiteConfig {
  cached ??= readConfig();
  return cached;
}
