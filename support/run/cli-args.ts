/**
 * The runner's own options. Everything it does not know is left for Vitest's CLI parser, so
 * Vitest's filters (`-t`, file names, `--tags-filter` …) keep working.
 */

export interface RunnerOptions {
  /** undefined: run against the local stand-in. */
  env?: string;
  strict: boolean;
  faults: string[];
  outDir: string;
  headed: boolean;
  help: boolean;
  /** Arguments for Vitest. */
  vitestArgs: string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

const WITH_VALUE = new Set(['--env', '--fault', '--out']);

export function parseRunnerArgs(argv: string[]): RunnerOptions {
  const options: RunnerOptions = { strict: false, faults: [], outDir: '.', headed: false, help: false, vitestArgs: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    if (WITH_VALUE.has(name)) {
      const value = inline ?? argv[++i];
      if (!value || value.startsWith('-')) throw new UsageError(`${name} needs a value`);
      if (name === '--env') options.env = value;
      else if (name === '--out') options.outDir = value;
      else options.faults.push(...value.split(',').map((f) => f.trim()).filter(Boolean));
    } else if (name === '--strict') options.strict = true;
    else if (name === '--headed') options.headed = true;
    else if (name === '--help' || name === '-h') options.help = true;
    else options.vitestArgs.push(arg);
  }
  if (options.env && options.faults.length) throw new UsageError('--fault switches the local stand-in and cannot be combined with --env');
  return options;
}

export const HELP = `Usage: npm test -- [options] [vitest filters]

Runs the OAuth 2.0 conformance checks. Without --env it starts the local stand-in of Pleo's
staging on loopback, runs the suite against it, and stops it.

Options:
  --env NAME      run against the target in .env.NAME (then the git-ignored .env.NAME.local;
                  variables already in the environment win), e.g. --env staging
  --strict        fail on warnings (violated SHOULDs) too
  --fault A,B     local stand-in only: switch on named faults (see npm run stand-in -- --list-faults)
  --out DIR       where allure-results/ and reports/ go (default: the project folder)
  --headed        show the browser
  -h, --help      this text

Vitest filters still apply, for example:
  npm test -- tests/pkce.test.ts        one area
  npm test -- -t "PK-03"                one check
  npm test -- --tags-filter=must        MUST-level checks only

Exit codes: 0 every check passed (warnings allowed unless --strict), 1 a check failed,
            2 the run could not start (configuration, unreachable target, credentials, browser).
Results: reports/checks.json, reports/junit.xml, allure-results/ (npm run report builds the HTML).`;
