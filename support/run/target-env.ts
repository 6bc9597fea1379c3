/**
 * The target of a run and its variables: a target described by `.env.NAME` files, or a local
 * target started for the run (the stand-in, which emulates staging, or the node-oauth server), held
 * to the profile `.env.staging` declares.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'dotenv';
import { isRunSetting, loadEnvFiles } from '../config.ts';
import { lifetimesFrom } from '../../fixtures/stand-in/lifetimes.ts';
import type { Certificate } from '../../fixtures/stand-in/tls.ts';
import { withPostmanEnvironment } from '../postman-env.ts';
import type { RunnerOptions } from './cli-args.ts';
import { StartupError } from './errors.ts';

type Environment = Record<string, string | undefined>;

export interface Target {
  /** 'local', 'local[fault,…]', 'local{mode,…}', 'node-oauth', or the --env name. */
  label: string;
  env: Record<string, string>;
  /** The env files read, for a described target. */
  files: string[];
}

export interface TargetOptions {
  /** The environment of the run (process.env): its values win over a described target's files. */
  environment: Environment;
  /** Where .env.NAME files are looked for. */
  envDir: string;
  /** The project's folder, which holds .env.staging. */
  projectDir: string;
  /** Registers the local target's close for the end of the run. */
  closeAtEnd: (close: () => Promise<void>) => unknown;
  /** For a stand-in: serve it over https with this certificate (the self-test's fault matrix). */
  https?: Certificate;
}

interface LocalServer {
  env: Record<string, string>;
  close(): Promise<void>;
}

/** The contract of fixtures/node-oauth/index.ts. */
type StartNodeOAuth = (options?: { ledgerFile?: string }) => Promise<LocalServer & { authUrl: string; apiUrl: string }>;

const NODE_OAUTH = new URL('../../fixtures/node-oauth/index.ts', import.meta.url);

/** The profile declared for staging: the local targets are held to the same expectations. */
function stagingProfile(projectDir: string): Record<string, string> {
  const file = resolve(projectDir, '.env.staging');
  if (!existsSync(file)) return {};
  return Object.fromEntries(Object.entries(parse(readFileSync(file))).filter(([key]) => key.startsWith('PLEO_PROFILE_')));
}

/** Of the environment, only run settings apply to a local target: its endpoints, credentials and screens are its own. */
function runSettings(environment: Environment): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).filter((e): e is [string, string] => e[1] !== undefined && isRunSetting(e[0])));
}

function standInLabel(options: RunnerOptions): string {
  return `local${options.faults.length ? `[${options.faults.join(',')}]` : ''}${options.modes.length ? `{${options.modes.join(',')}}` : ''}`;
}

async function startStandIn(options: RunnerOptions, ledgerFile: string | undefined, target: TargetOptions): Promise<LocalServer> {
  // Imported lazily: only a local run needs the stand-in (and its oidc-provider).
  const { startStandIn } = await import('../../fixtures/stand-in/index.ts');
  return startStandIn({ faults: options.faults, modes: options.modes, ledgerFile, lifetimes: lifetimesFrom(target.environment), https: target.https });
}

async function startNodeOAuth(ledgerFile: string | undefined): Promise<LocalServer> {
  if (!existsSync(NODE_OAUTH)) {
    throw new StartupError('--target node-oauth needs fixtures/node-oauth/index.ts, which this checkout does not have');
  }
  const { startNodeOAuth } = (await import(NODE_OAUTH.href)) as { startNodeOAuth: StartNodeOAuth };
  return startNodeOAuth({ ledgerFile });
}

export async function startTarget(options: RunnerOptions, target: TargetOptions): Promise<Target> {
  if (options.env || options.postmanEnv) {
    const { vars, files } = options.env
      ? loadEnvFiles(options.env, target.envDir, target.environment)
      : { vars: Object.fromEntries(Object.entries(target.environment).filter((e): e is [string, string] => e[1] !== undefined)), files: [] };
    return { label: options.env ?? 'postman', ...withPostmanEnvironment({ env: vars, files }, options.postmanEnv, target.envDir) };
  }
  const ledgerFile = target.environment.PLEO_STAND_IN_LEDGER || undefined;
  const standIn = options.target === 'stand-in';
  const server = await (standIn ? startStandIn(options, ledgerFile, target) : startNodeOAuth(ledgerFile)).catch((error: Error) => {
    throw error instanceof StartupError ? error : new StartupError(`the local target ${options.target} did not start: ${error.message}`);
  });
  target.closeAtEnd(() => server.close());
  return {
    label: standIn ? standInLabel(options) : options.target,
    // Both local targets are held to the profile .env.staging declares: their deviations from it are findings.
    env: { ...stagingProfile(target.projectDir), ...server.env, ...runSettings(target.environment) },
    files: [],
  };
}
