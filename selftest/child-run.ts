/**
 * How the self-test runs one of the project's entry points (`tsx scripts/run.ts …`) as a user
 * would: in a subprocess, its console collected, killed if it hangs. The sections that need one
 * (bad input, verify, a target going down, traces, an interrupted run) differ only in what they
 * watch for and when they give up.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
export const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
export const RUN = join(ROOT, 'scripts', 'run.ts');

export interface ChildOutcome {
  /** null when a signal ended it (a hung run that was killed). */
  code: number | null;
  /** Its stdout and stderr, interleaved as they came. */
  output: string;
  seconds: number;
}

export interface ChildOptions {
  cwd?: string;
  /** Default: childEnvironment(). */
  env?: NodeJS.ProcessEnv;
  /** SIGKILL after this many seconds, so that a hung run is reported rather than waited for. */
  killAfterS?: number;
  /** Called with the whole output so far, each time more arrives. */
  onOutput?: (output: string) => void;
}

export interface Child {
  process: ChildProcess;
  /** Its exit code, when it exits (its stdio may stay open a moment longer). */
  exited: Promise<number | null>;
  /** When it has exited and its output is complete. */
  finished: Promise<ChildOutcome>;
  /** Its output so far. */
  output(): string;
}

/** The environment of a subprocess: ours without PLEO_ variables, which would win over the env files. */
export function childEnvironment(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PLEO_') || name === 'PLEO_BROWSER_PATH'));
  return { ...env, FORCE_COLOR: '0' };
}

/** An env file in dotenv syntax (double quotes, so `#` and spaces survive). */
export function envFile(vars: Record<string, string | undefined>): string {
  return Object.entries(vars).filter((e): e is [string, string] => e[1] !== undefined).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join('\n');
}

/** Starts `tsx ARGS`. */
export function startTsx(args: string[], options: ChildOptions = {}): Child {
  const started = performance.now();
  const child = spawn(TSX, args, { cwd: options.cwd ?? ROOT, env: options.env ?? childEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const read = (chunk: Buffer) => {
    output += chunk.toString();
    options.onOutput?.(output);
  };
  child.stdout!.on('data', read);
  child.stderr!.on('data', read);
  const killer = options.killAfterS === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), options.killAfterS * 1000);
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  const finished = new Promise<ChildOutcome>((done) => child.once('close', (code) => {
    clearTimeout(killer);
    done({ code, output, seconds: (performance.now() - started) / 1000 });
  }));
  return { process: child, exited, finished, output: () => output };
}

/** Runs `tsx ARGS` to its end. */
export function runTsx(args: string[], options: ChildOptions = {}): Promise<ChildOutcome> {
  return startTsx(args, options).finished;
}
