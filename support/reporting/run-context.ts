/** What produced a report: the target, its profile, the strictness, and the versions involved. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import type { SuiteConfig } from '../config.ts';

export interface RunDescription {
  /** The target label: 'local', 'local[fault]', 'node-oauth' or the env name. */
  label: string;
  /** Where the settings came from: the env name of --env, or the local target's name. */
  env: string;
  config: Pick<SuiteConfig, 'authUrl' | 'apiUrl' | 'clientId' | 'profile' | 'strict'>;
  browserPath: string;
  /** The optional features the target is configured with (config.ts configuredFeatures). */
  features?: readonly string[];
}

/** The run's context as flat text, for the report (writeRunContext). Secrets are not part of it. */
export async function describeRun(run: RunDescription): Promise<Record<string, string>> {
  const { config } = run;
  // A profile value is a scalar or a small record such as { policy: 'grace', seconds: 30 } → 'grace:30'.
  const profile = Object.entries(config.profile).map(([key, value]) =>
    [`profile.${key}`, typeof value === 'object' ? Object.values(value).join(':') : String(value)]);
  return {
    target: run.label,
    env: run.env,
    authUrl: config.authUrl,
    apiUrl: config.apiUrl,
    clientId: config.clientId,
    strict: String(config.strict),
    ...Object.fromEntries(profile),
    ...(run.features && { features: run.features.join(', ') || 'none' }),
    suite: suiteVersion(),
    browser: run.browserPath,
    browserVersion: await browserVersion(run.browserPath),
  };
}

function suiteVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { name: string; version: string };
  return `${pkg.name} ${pkg.version}`;
}

async function browserVersion(executablePath: string): Promise<string> {
  try {
    const { stdout } = await promisify(execFile)(executablePath, ['--version'], { timeout: 5000 });
    return stdout.trim() || 'unknown';
  } catch {
    return 'unknown';
  }
}
