/**
 * How the test user logs in: a password (a plain form, one page or email then password), Pleo's
 * passcode and TOTP steps, a declarative login script for anything else, or a browser session a
 * person saved with `npm run login -- --env NAME` (SSO, SMS, CAPTCHA). Read by readConfig.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { generateSync } from 'otplib';
import { parseLoginScript, type ScriptStep } from './browser/login-script.ts';
import { registerSecret } from './secrets.ts';

export interface LoginSettings {
  email: string;
  /** '' when the login needs none (passcode and TOTP, a script, or a saved session). */
  password: string;
  /** Pleo's 4-digit passcode. */
  passcode?: string;
  /** The base32 seed of the user's authenticator (RFC 6238), normalised: upper case, no blanks. */
  totpSecret?: string;
  /** PLEO_LOGIN_SCRIPT, validated. */
  script?: ScriptStep[];
  /** A session saved by `npm run login -- --env NAME`: the preflight reuses it instead of logging in. */
  savedSession?: string;
  /** The --env name, for messages that say how to save a new session. */
  envName?: string;
}

/** Where `npm run login` keeps the session of an env; `saving`: that command is about to (re)create it. */
export interface SavedSession {
  envName: string;
  file: string;
  saving?: boolean;
}

export const LOGIN_VARIABLES = ['PLEO_LOGIN_PASSCODE', 'PLEO_LOGIN_TOTP_SECRET', 'PLEO_LOGIN_SCRIPT'] as const;

/** Where `npm run login -- --env NAME` saves the session of an env (git-ignored). */
export function savedSessionPath(envDir: string, envName: string): string {
  return resolve(envDir, '.auth', `${envName}.json`);
}

/** The command that saves a new session for an env. */
export function loginCommand(envName = 'NAME'): string {
  return `npm run login -- --env ${envName}`;
}

function totpSecret(raw: string, problems: string[]): string | undefined {
  if (!raw) return undefined;
  // Authenticator apps show seeds in groups, sometimes in lower case.
  const secret = raw.replace(/[\s-]/g, '').toUpperCase().replace(/=+$/, '');
  try {
    generateSync({ secret });
    return secret;
  } catch (error) {
    // otplib's messages name the problem (a letter outside base32, too short), never the seed.
    problems.push(`PLEO_LOGIN_TOTP_SECRET is not a usable base32 TOTP seed: ${(error as Error).message}`);
    return undefined;
  }
}

/** Inline (a value starting with "[") or the path of a YAML or JSON file, relative to the current folder. */
function script(raw: string, available: ReadonlySet<string>, problems: string[]): ScriptStep[] | undefined {
  if (!raw) return undefined;
  const inline = raw.trimStart().startsWith('[');
  let text = raw;
  if (!inline) {
    try {
      text = readFileSync(resolve(raw), 'utf8');
    } catch (error) {
      problems.push(`PLEO_LOGIN_SCRIPT: cannot read ${raw}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      return undefined;
    }
  }
  const parsed = parseLoginScript(text, available);
  problems.push(...parsed.problems.map((p) => `PLEO_LOGIN_SCRIPT${inline ? '' : ` (${raw})`}: ${p}`));
  return parsed.steps;
}

/**
 * Reads the login settings; `get` trims, `secret` does not. A password is needed unless another
 * way to log in is configured.
 */
export function readLoginSettings(
  get: (name: string) => string,
  secret: (name: string) => string,
  problems: string[],
  saved?: SavedSession,
): LoginSettings {
  const login: LoginSettings = { email: get('PLEO_LOGIN_EMAIL'), password: secret('PLEO_LOGIN_PASSWORD') };
  const passcode = secret('PLEO_LOGIN_PASSCODE');
  if (passcode) login.passcode = passcode;
  const totp = totpSecret(secret('PLEO_LOGIN_TOTP_SECRET'), problems);
  if (totp) login.totpSecret = totp;
  const available = new Set(['PLEO_LOGIN_EMAIL', ...(login.password ? ['PLEO_LOGIN_PASSWORD'] : []), ...(passcode ? ['PLEO_LOGIN_PASSCODE'] : []), ...(totp ? ['TOTP'] : [])]);
  const steps = script(get('PLEO_LOGIN_SCRIPT'), available, problems);
  if (steps) login.script = steps;
  if (saved) login.envName = saved.envName;
  if (saved && !saved.saving && existsSync(saved.file)) login.savedSession = saved.file;
  if (!login.password && !login.passcode && !login.script && !login.savedSession && !saved?.saving) {
    problems.push(`PLEO_LOGIN_PASSWORD is not set (nor PLEO_LOGIN_PASSCODE or PLEO_LOGIN_SCRIPT); for a login the suite cannot type (SSO, SMS), save a session with ${loginCommand(saved?.envName)}`);
  }
  return login;
}

export function registerLoginSecrets(login: LoginSettings): void {
  registerSecret(login.password, 'password');
  registerSecret(login.passcode, 'passcode');
  registerSecret(login.totpSecret, 'totp_secret');
}
