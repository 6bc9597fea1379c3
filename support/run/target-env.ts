/**
 * The variables a run uses: from `.env.NAME` files for a named target, or from a freshly
 * started stand-in (with the profile that `.env.staging` declares, since the stand-in emulates
 * staging) when no --env is given.
 */
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'dotenv';
import { loadEnvFiles } from '../config.ts';

const TARGET_SPECIFIC = /^PLEO_(AUTH_URL|API_URL|ISSUER|[A-Z_]*_PATH$|CLIENT_|REDIRECT_URI|SCOPES|LOGIN_|API_KEY|CONSENT_)/;

export interface LocalTarget {
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The profile declared for staging: the local stand-in is held to the same expectations. */
function stagingProfile(dir: string): Record<string, string> {
  const file = `${dir}/.env.staging`;
  if (!existsSync(file)) return {};
  return Object.fromEntries(Object.entries(parse(readFileSync(file))).filter(([key]) => key.startsWith('PLEO_PROFILE_')));
}

export async function localTargetEnv(faults: string[], dir = process.cwd()): Promise<LocalTarget> {
  // Imported lazily: only a local run needs the stand-in (and its oidc-provider).
  const { startStandIn } = await import('../../fixtures/stand-in/index.ts');
  const standIn = await startStandIn({ faults, ledgerFile: process.env.PLEO_STAND_IN_LEDGER || undefined });
  // Run settings from the environment apply (PLEO_STRICT, PLEO_PROFILE_* …); another target's
  // endpoints, credentials and screen selectors, exported for staging, must not leak in.
  const fromEnvironment = Object.fromEntries(Object.entries(process.env).filter(
    (e): e is [string, string] => e[1] !== undefined && !TARGET_SPECIFIC.test(e[0])));
  return { env: { ...stagingProfile(dir), ...fromEnvironment, ...standIn.env }, close: () => standIn.close() };
}

export function namedTargetEnv(name: string, dir = process.cwd()): { env: Record<string, string>; files: string[] } {
  const { vars, files } = loadEnvFiles(name, dir);
  return { env: vars, files };
}
