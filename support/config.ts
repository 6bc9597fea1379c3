/**
 * The suite's configuration: which target, which client, which profile, which browser.
 * The runner reads and validates it once (`readConfig`) from environment variables (documented in
 * the README) and hands the same object to the preflight, the browser driver and the checks; no
 * module below the runner reads the environment. It is plain JSON: it crosses to the Vitest
 * worker through provide/inject.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { DEFAULT_SCREEN_SELECTORS } from './browser/login-page.ts';
import { BrowserNotFoundError, resolveBrowser } from './browser/resolve.ts';
import { LOGIN_VARIABLES, readLoginSettings, registerLoginSecrets, type LoginSettings, type SavedSession } from './config-login.ts';
import { extraCaSpki } from './extra-ca.ts';
import { registerSecret } from './secrets.ts';

export type Rotation = { policy: 'strict' } | { policy: 'none' } | { policy: 'grace'; seconds: number };
export type PkceProfile = 'rfc9700' | 'oauth21' | 'fapi2';

export interface Profile {
  rotation: Rotation;
  /** Pleo documents that a refresh also invalidates the previous access token. */
  refreshRevokesAccessToken: boolean;
  /** `Pragma: no-cache` is required by RFC 6749 §5.1 and dropped by OAuth 2.1. */
  pragma: 'required' | 'optional';
  /** Which document's PKCE rules apply (RFC 9700, OAuth 2.1, FAPI 2.0). */
  pkce: PkceProfile;
  /** A replayed refresh token revokes its grant (RFC 9700 §4.14.2; Pleo documents it). */
  reuseDetection: boolean;
  /** `redirect_uri` at the token endpoint: RFC 6749 requires it, OAuth 2.1 does not. */
  tokenRedirectUri: 'required' | 'optional';
  codeLifetimeMaxS: number;
  accessTokenLifetimeMaxS: number;
}

/** CSS selectors of the login form, and regular-expression sources for the consent buttons' names. */
export interface ScreenSelectorSettings {
  email: string;
  password: string;
  submit: string;
  /** Regular expression source, matched case-insensitively. */
  allow: string;
  /** Regular expression source, matched case-insensitively. */
  deny: string;
  error: string;
  /** Pleo's passcode field and the TOTP field; also recognised by label, autocomplete and inputmode. */
  passcode: string;
  totp: string;
}

export interface BrowserSettings {
  executablePath: string;
  headed: boolean;
  /** The login session the preflight saved, for the checks to reuse. */
  sessionFile?: string;
  /** Where failure screenshots go. */
  artifactsDir: string;
  selectors: ScreenSelectorSettings;
  /** A running browser to connect to instead of launching one (the self-test's fault matrix shares one). */
  wsEndpoint?: string;
  /** Keys (SPKI SHA-256, base64) of the certificates in NODE_EXTRA_CA_CERTS, which the browser accepts as Node does. */
  trustedKeys?: string[];
  /** Record a redacted Playwright trace of every browser context into <artifactsDir>/traces (--trace, PLEO_TRACE). */
  trace?: boolean;
}

export interface ClientCredentials {
  id: string;
  secret: string;
}

export interface SuiteConfig {
  /** 'local', 'local[fault,…]', 'local{mode,…}', 'node-oauth', or the --env name. */
  target: { label: string };
  authUrl: string;
  apiUrl: string;
  issuer: string;
  authorizeUrl: string;
  tokenUrl: string;
  introspectUrl?: string;
  revocationUrl?: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  scopes: string[];
  login: LoginSettings;
  apiKey?: string;
  revokedApiKey?: string;
  /** An API key of another company (tenant), for the tenant-isolation check (AK-06). */
  otherTenantApiKey?: string;
  secondClient?: ClientCredentials;
  encodingClient?: ClientCredentials;
  /** A client for the lockout-prone checks (SEC-09), so that a lockout reaches no client other checks use. */
  throwawayClient?: ClientCredentials;
  /** `tenantResourcePath`: a list of the tenant's resources with ids; one is at `${path}/${id}` (AK-06). */
  api: { probePath: string; scopedPath: string; scopedPathScope: string; tenantResourcePath: string };
  profile: Profile;
  browser: BrowserSettings;
  /** API response bodies in full in the evidence (default: their shape only). */
  evidenceFullBodies: boolean;
  strict: boolean;
  runSlow: boolean;
  runDestructive: boolean;
  httpTimeoutMs: number;
  /** Politeness towards the target (support/politeness/). */
  politeness: PolitenessSettings;
}

export interface PolitenessSettings {
  /** The request-rate ceiling (PLEO_MAX_REQUESTS_PER_MINUTE): Pleo allows 600 a minute and asks integrations to stay at or below 500. */
  maxRequestsPerMinute: number;
  /** At most this many requests with deliberately wrong credentials per run (PLEO_MAX_FAILED_AUTH). */
  maxFailedAuth: number;
  /** Of those, how many the runner's preflight already sent (set when the config is handed to the checks). */
  failedAuthSpent: number;
}

/** What the command line decides for this run, next to the variables. */
export interface RunSettings {
  label: string;
  strict: boolean;
  headed: boolean;
  runSlow: boolean;
  runDestructive: boolean;
  trace: boolean;
  artifactsDir: string;
  sessionFile?: string;
  /** The --env name and where `npm run login` saves its session (used if the file exists). */
  savedSession?: SavedSession;
}

const RUN_DEFAULTS: RunSettings = { label: 'local', strict: false, headed: false, runSlow: false, runDestructive: false, trace: false, artifactsDir: 'reports' };

/** A problem with the configuration: the run cannot start. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration is incomplete or invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Feature = 'apiKey' | 'revokedApiKey' | 'otherTenantApiKey' | 'introspection' | 'revocation' | 'secondClient' | 'encodingClient' | 'throwawayClient';

/** The optional features of a target, and what to set to configure each. */
export const FEATURE_VARIABLES: Record<Feature, string> = {
  apiKey: 'PLEO_API_KEY',
  revokedApiKey: 'PLEO_API_KEY_REVOKED',
  otherTenantApiKey: 'PLEO_API_KEY_OTHER_TENANT',
  introspection: 'PLEO_INTROSPECT_PATH',
  revocation: 'PLEO_REVOCATION_PATH',
  secondClient: 'PLEO_CLIENT2_ID and PLEO_CLIENT2_SECRET',
  encodingClient: 'PLEO_ENCODING_CLIENT_ID and PLEO_ENCODING_CLIENT_SECRET',
  throwawayClient: 'PLEO_THROWAWAY_CLIENT_ID and PLEO_THROWAWAY_CLIENT_SECRET',
};

export function configuredFeatures(config: SuiteConfig): Feature[] {
  const configured: Record<Feature, boolean> = {
    apiKey: Boolean(config.apiKey),
    revokedApiKey: Boolean(config.revokedApiKey),
    otherTenantApiKey: Boolean(config.otherTenantApiKey),
    introspection: Boolean(config.introspectUrl),
    revocation: Boolean(config.revocationUrl),
    secondClient: Boolean(config.secondClient),
    encodingClient: Boolean(config.encodingClient),
    throwawayClient: Boolean(config.throwawayClient),
  };
  return (Object.keys(FEATURE_VARIABLES) as Feature[]).filter((feature) => configured[feature]);
}

/** The variable that sets each screen selector. */
export const SELECTOR_VARIABLES: Record<keyof ScreenSelectorSettings, string> = {
  email: 'PLEO_LOGIN_EMAIL_SELECTOR',
  password: 'PLEO_LOGIN_PASSWORD_SELECTOR',
  submit: 'PLEO_LOGIN_SUBMIT_SELECTOR',
  error: 'PLEO_LOGIN_ERROR_SELECTOR',
  passcode: 'PLEO_LOGIN_PASSCODE_SELECTOR',
  totp: 'PLEO_LOGIN_TOTP_SELECTOR',
  allow: 'PLEO_CONSENT_ALLOW_PATTERN',
  deny: 'PLEO_CONSENT_DENY_PATTERN',
};

/**
 * Settings of the run rather than of a target: they also apply to a local target, whose
 * endpoints, credentials and screens come from the target itself.
 */
export function isRunSetting(name: string): boolean {
  return /^PLEO_(STRICT|TRACE|HTTP_TIMEOUT_MS|MAX_REQUESTS_PER_MINUTE|MAX_FAILED_AUTH|BROWSER_PATH|EVIDENCE_FULL_BODIES|PROFILE_[A-Z0-9_]+)$/.test(name);
}

/**
 * Reads `.env.NAME` and then the git-ignored `.env.NAME.local`; variables already in the
 * environment win. Returns the merged variables and the files that were read.
 */
export function loadEnvFiles(name: string, dir: string, environment: Record<string, string | undefined>): { vars: Record<string, string>; files: string[] } {
  if (!/^[\w.-]+$/.test(name)) throw new ConfigError([`--env "${name}" is not a valid environment name`]);
  const files = [`.env.${name}`, `.env.${name}.local`].map((f) => resolve(dir, f)).filter((f) => existsSync(f));
  if (files.length === 0) {
    throw new ConfigError([`no .env.${name} or .env.${name}.local file found in ${dir}`]);
  }
  const read = (file: string) => {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError([`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
    }
    const cut = valuesCutByComments(text);
    if (cut.length) throw new ConfigError(cut.map((problem) => `${file}: ${problem}`));
    return parse(text);
  };
  const vars: Record<string, string> = Object.assign({}, ...files.map(read));
  for (const [key, value] of Object.entries(environment)) if (value !== undefined) vars[key] = value;
  return { vars, files };
}

/**
 * An unquoted `#` starts a comment in an env file, so `PLEO_LOGIN_EMAIL_SELECTOR=#email` would
 * silently become empty (and `input#email` become `input`). A `#` right after `=` or after a
 * non-blank character is taken for such a mistake: a real comment follows a blank.
 */
function valuesCutByComments(text: string): string[] {
  return text.split(/\r?\n/).flatMap((line, index) => {
    const assignment = /^\s*(?:export\s+)?([\w.-]+)\s*=(?!\s*['"`])(.*)$/.exec(line);
    if (!assignment || !/(^|\S)#/.test(assignment[2])) return [];
    const name = assignment[1];
    return [`line ${index + 1}: the value of ${name} holds an unquoted "#", which starts a comment in env files; quote the value (${name}="…")`];
  });
}

/** Registers every secret of a config in this process's redaction registry (it is per process). */
export function registerConfigSecrets(config: SuiteConfig): void {
  registerSecret(config.clientSecret, 'client_secret');
  registerLoginSecrets(config.login);
  registerSecret(config.apiKey, 'api_key');
  registerSecret(config.revokedApiKey, 'api_key');
  registerSecret(config.otherTenantApiKey, 'api_key');
  registerSecret(config.secondClient?.secret, 'client_secret');
  registerSecret(config.encodingClient?.secret, 'client_secret');
  registerSecret(config.throwawayClient?.secret, 'client_secret');
}

const REQUIRED = [
  'PLEO_AUTH_URL', 'PLEO_API_URL', 'PLEO_CLIENT_ID', 'PLEO_CLIENT_SECRET', 'PLEO_REDIRECT_URI',
  'PLEO_SCOPES', 'PLEO_LOGIN_EMAIL',
] as const;

const PAIRS = [
  ['PLEO_CLIENT2_ID', 'PLEO_CLIENT2_SECRET'],
  ['PLEO_ENCODING_CLIENT_ID', 'PLEO_ENCODING_CLIENT_SECRET'],
  ['PLEO_THROWAWAY_CLIENT_ID', 'PLEO_THROWAWAY_CLIENT_SECRET'],
] as const;

/** Reads one variable after another, collecting every problem instead of stopping at the first. */
class Reader {
  readonly problems: string[] = [];
  constructor(private readonly env: Record<string, string | undefined>) {}

  get(name: string, fallback = ''): string {
    return this.env[name]?.trim() || fallback;
  }

  /** Secrets are taken byte for byte: a space at either end may be part of them. */
  secret(name: string): string {
    return this.env[name] ?? '';
  }

  /** An http: or https: URL (the only schemes the suite can reach or catch a redirect to). */
  url(name: string, raw = this.get(name)): string {
    if (!raw) return '';
    let url: URL;
    try {
      url = new URL(raw);
    } catch {
      this.problems.push(`${name} is not a URL: "${raw}" (it needs a scheme, e.g. https://)`);
      return '';
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') {
      this.problems.push(`${name} must be an http: or https: URL, not "${raw}"`);
      return '';
    }
    return raw;
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.get(name, fallback);
    if ((allowed as readonly string[]).includes(value)) return value as T;
    this.problems.push(`${name} must be ${allowed.join(', ').replace(/, ([^,]*)$/, ' or $1')}, not "${value}"`);
    return fallback;
  }

  boolean(name: string, fallback: boolean): boolean {
    return this.oneOf(name, ['true', 'false'], String(fallback) as 'true' | 'false') === 'true';
  }

  positiveInteger(name: string, fallback: number, unit: string): number {
    const raw = this.get(name, String(fallback));
    if (/^\d+$/.test(raw) && Number(raw) > 0) return Number(raw);
    this.problems.push(`${name} must be a positive whole number of ${unit}, not "${raw}"`);
    return fallback;
  }

  pattern(name: string, fallback: string): string {
    const source = this.get(name, fallback);
    try {
      new RegExp(source, 'i');
    } catch (error) {
      this.problems.push(`${name} is not a valid regular expression: ${(error as Error).message}`);
    }
    return source;
  }

  rotation(): Rotation {
    const raw = this.get('PLEO_PROFILE_ROTATION', 'strict');
    if (raw === 'strict' || raw === 'none') return { policy: raw };
    const grace = /^grace:(\d+)$/.exec(raw);
    if (grace) return { policy: 'grace', seconds: Number(grace[1]) };
    this.problems.push(`PLEO_PROFILE_ROTATION must be strict, none or grace:<seconds>, not "${raw}"`);
    return { policy: 'strict' };
  }

  /** Both variables of a pair, or neither. */
  pair(idName: string, secretName: string): ClientCredentials | undefined {
    const id = this.get(idName);
    const secret = this.secret(secretName);
    if (!id && !secret) return undefined;
    if (!id || !secret) {
      this.problems.push(`${id ? idName : secretName} is set but ${id ? secretName : idName} is not: set both or neither`);
      return undefined;
    }
    return { id, secret };
  }

  browserPath(headless: boolean): string {
    try {
      return resolveBrowser(this.get('PLEO_BROWSER_PATH') || undefined, { headless }).executablePath;
    } catch (error) {
      if (!(error instanceof BrowserNotFoundError)) throw error;
      this.problems.push(error.message);
      return '';
    }
  }
}

/** Validates the variables and builds the config; throws one ConfigError naming every problem. */
export function readConfig(env: Record<string, string | undefined>, run: Partial<RunSettings> = {}): SuiteConfig {
  const settings = { ...RUN_DEFAULTS, ...run };
  const read = new Reader(env);
  for (const name of REQUIRED) if (!read.get(name)) read.problems.push(`${name} is not set`);

  // Base URLs lose a trailing slash: paths are appended to them.
  const authUrl = read.url('PLEO_AUTH_URL').replace(/\/$/, '');
  const apiUrl = read.url('PLEO_API_URL').replace(/\/$/, '');
  const redirectUri = read.url('PLEO_REDIRECT_URI');
  const issuer = read.url('PLEO_ISSUER') || authUrl;
  // A path is appended to PLEO_AUTH_URL (which may have a path of its own); a full URL is taken as is.
  const endpoint = (name: string, fallback = ''): string | undefined => {
    const value = read.get(name, fallback);
    if (!value) return undefined;
    if (/^[a-z][a-z\d+.-]*:/i.test(value)) return read.url(name, value);
    return `${authUrl}${value.startsWith('/') ? '' : '/'}${value}`;
  };

  const config: SuiteConfig = {
    target: { label: settings.label },
    authUrl,
    apiUrl,
    issuer,
    authorizeUrl: endpoint('PLEO_AUTHORIZE_PATH', '/oauth/authorize')!,
    tokenUrl: endpoint('PLEO_TOKEN_PATH', '/oauth/token')!,
    introspectUrl: endpoint('PLEO_INTROSPECT_PATH'),
    revocationUrl: endpoint('PLEO_REVOCATION_PATH'),
    clientId: read.get('PLEO_CLIENT_ID'),
    clientSecret: read.secret('PLEO_CLIENT_SECRET'),
    redirectUri,
    scopes: read.get('PLEO_SCOPES').split(/\s+/).filter(Boolean),
    login: readLoginSettings((name) => read.get(name), (name) => read.secret(name), read.problems, settings.savedSession),
    apiKey: read.secret('PLEO_API_KEY') || undefined,
    revokedApiKey: read.secret('PLEO_API_KEY_REVOKED') || undefined,
    otherTenantApiKey: read.secret('PLEO_API_KEY_OTHER_TENANT') || undefined,
    secondClient: read.pair(...PAIRS[0]),
    encodingClient: read.pair(...PAIRS[1]),
    throwawayClient: read.pair(...PAIRS[2]),
    api: {
      probePath: read.get('PLEO_API_PROBE_PATH', '/v1/introspect'),
      scopedPath: read.get('PLEO_API_SCOPED_PATH', '/v2/employees'),
      scopedPathScope: read.get('PLEO_API_SCOPED_PATH_SCOPE', 'users:read'),
      tenantResourcePath: read.get('PLEO_API_TENANT_RESOURCE_PATH', '/v2/employees').replace(/\/$/, ''),
    },
    profile: {
      rotation: read.rotation(),
      refreshRevokesAccessToken: read.boolean('PLEO_PROFILE_REFRESH_REVOKES_ACCESS', false),
      pragma: read.oneOf('PLEO_PROFILE_PRAGMA', ['required', 'optional'], 'required'),
      pkce: read.oneOf('PLEO_PROFILE_PKCE', ['rfc9700', 'oauth21', 'fapi2'], 'rfc9700'),
      reuseDetection: read.boolean('PLEO_PROFILE_REUSE_DETECTION', true),
      tokenRedirectUri: read.oneOf('PLEO_PROFILE_TOKEN_REDIRECT_URI', ['required', 'optional'], 'required'),
      codeLifetimeMaxS: read.positiveInteger('PLEO_PROFILE_CODE_LIFETIME_MAX_S', 600, 'seconds'),
      accessTokenLifetimeMaxS: read.positiveInteger('PLEO_PROFILE_ACCESS_TOKEN_LIFETIME_MAX_S', 3600, 'seconds'),
    },
    browser: {
      executablePath: '',
      headed: settings.headed,
      sessionFile: settings.sessionFile,
      artifactsDir: settings.artifactsDir,
      ...((settings.trace || read.boolean('PLEO_TRACE', false)) && { trace: true }),
      selectors: {
        email: read.get(SELECTOR_VARIABLES.email, DEFAULT_SCREEN_SELECTORS.email),
        password: read.get(SELECTOR_VARIABLES.password, DEFAULT_SCREEN_SELECTORS.password),
        submit: read.get(SELECTOR_VARIABLES.submit, DEFAULT_SCREEN_SELECTORS.submit),
        error: read.get(SELECTOR_VARIABLES.error, DEFAULT_SCREEN_SELECTORS.error),
        passcode: read.get(SELECTOR_VARIABLES.passcode, DEFAULT_SCREEN_SELECTORS.passcode),
        totp: read.get(SELECTOR_VARIABLES.totp, DEFAULT_SCREEN_SELECTORS.totp),
        allow: read.pattern(SELECTOR_VARIABLES.allow, DEFAULT_SCREEN_SELECTORS.allow),
        deny: read.pattern(SELECTOR_VARIABLES.deny, DEFAULT_SCREEN_SELECTORS.deny),
      },
    },
    evidenceFullBodies: read.boolean('PLEO_EVIDENCE_FULL_BODIES', false),
    strict: settings.strict || read.boolean('PLEO_STRICT', false),
    runSlow: settings.runSlow,
    runDestructive: settings.runDestructive,
    httpTimeoutMs: read.positiveInteger('PLEO_HTTP_TIMEOUT_MS', 10_000, 'milliseconds'),
    politeness: {
      maxRequestsPerMinute: read.positiveInteger('PLEO_MAX_REQUESTS_PER_MINUTE', 450, 'requests'),
      maxFailedAuth: read.positiveInteger('PLEO_MAX_FAILED_AUTH', 80, 'requests'),
      failedAuthSpent: 0,
    },
  };
  const extraCa = extraCaSpki(env.NODE_EXTRA_CA_CERTS);
  if (extraCa.problem) read.problems.push(extraCa.problem);
  if (extraCa.hashes.length) config.browser.trustedKeys = extraCa.hashes;
  // The browser last: finding Playwright's own takes a while, and a bad setting must end the run at once.
  if (read.problems.length === 0) config.browser.executablePath = read.browserPath(!settings.headed);
  if (read.problems.length > 0) throw new ConfigError(read.problems);
  registerConfigSecrets(config);
  return config;
}

/** Every variable readConfig reads: a PLEO_ variable outside this list is probably a typo. */
export const KNOWN_VARIABLES: readonly string[] = [
  ...REQUIRED, ...PAIRS.flat(), ...Object.values(SELECTOR_VARIABLES), 'PLEO_LOGIN_PASSWORD', ...LOGIN_VARIABLES,
  'PLEO_ISSUER', 'PLEO_AUTHORIZE_PATH', 'PLEO_TOKEN_PATH', 'PLEO_INTROSPECT_PATH', 'PLEO_REVOCATION_PATH',
  'PLEO_API_KEY', 'PLEO_API_KEY_REVOKED', 'PLEO_API_KEY_OTHER_TENANT', 'PLEO_API_TENANT_RESOURCE_PATH', 'PLEO_API_PROBE_PATH', 'PLEO_API_SCOPED_PATH', 'PLEO_API_SCOPED_PATH_SCOPE',
  'PLEO_PROFILE_ROTATION', 'PLEO_PROFILE_REFRESH_REVOKES_ACCESS', 'PLEO_PROFILE_PRAGMA', 'PLEO_PROFILE_PKCE',
  'PLEO_PROFILE_REUSE_DETECTION', 'PLEO_PROFILE_TOKEN_REDIRECT_URI', 'PLEO_PROFILE_CODE_LIFETIME_MAX_S',
  'PLEO_PROFILE_ACCESS_TOKEN_LIFETIME_MAX_S', 'PLEO_BROWSER_PATH', 'PLEO_EVIDENCE_FULL_BODIES', 'PLEO_STRICT', 'PLEO_TRACE',
  'PLEO_HTTP_TIMEOUT_MS', 'PLEO_MAX_REQUESTS_PER_MINUTE', 'PLEO_MAX_FAILED_AUTH',
  // Read by the runner before readConfig: a Postman environment underneath the env files (support/postman-env.ts).
  'PLEO_POSTMAN_ENV', 'PLEO_POSTMAN_MAP',
  // Read by npm run verify: what the client's registration holds (support/verify/registration.ts).
  'PLEO_REGISTERED_REDIRECT_URIS', 'PLEO_REGISTERED_SCOPES',
  // Read by the runner itself: the self-test's ledger of the stand-in's secrets.
  'PLEO_STAND_IN_LEDGER',
  // Read by the stand-in: a shorter access-token lifetime for a self-test run of SEC-03.
  'PLEO_STAND_IN_ACCESS_TOKEN_TTL_S',
];

export function unknownVariables(env: Record<string, string | undefined>): string[] {
  return Object.keys(env).filter((name) => name.startsWith('PLEO_') && !KNOWN_VARIABLES.includes(name)).sort();
}
