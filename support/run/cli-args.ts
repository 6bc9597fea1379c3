/**
 * The runner's command line. Every argument must be known: the runner's own options, or one of
 * the Vitest options on the allow-list below (a typo such as `--stric` would otherwise reach
 * Vitest, be ignored, and give a run that looks strict and is not). Names of faults and modes are
 * checked against the stand-in's light catalogs, so a mistake ends the run before anything starts.
 */
import { FAULTS } from '../../fixtures/stand-in/faults.ts';
import { MODES } from '../../fixtures/stand-in/modes.ts';

export const TARGETS = ['stand-in', 'node-oauth'] as const;
export type TargetName = (typeof TARGETS)[number];

export interface RunnerOptions {
  /** A described target (.env.NAME); undefined: a local target (see `target`). */
  env?: string;
  /** An exported Postman environment underneath the env files (support/postman-env.ts). */
  postmanEnv?: string;
  /** The local target to start when there is no --env. */
  target: TargetName;
  faults: string[];
  modes: string[];
  strict: boolean;
  outDir: string;
  headed: boolean;
  slow: boolean;
  destructive: boolean;
  /** Record redacted Playwright traces (support/browser/tracing.ts). */
  trace: boolean;
  help: boolean;
  /** Arguments for Vitest, in their original order. */
  vitestArgs: string[];
  /** The positional file filters among them. */
  fileFilters: string[];
}

export class UsageError extends Error {
  override name = 'UsageError';
}

interface OptionSpec {
  /** 'required': the next argument or `=value`; 'optional': taken only when it matches `accepts`. */
  value?: 'required' | 'optional';
  accepts?: RegExp;
  /** What a value must be, for the message when it is not. */
  expected?: string;
}

const RUNNER_OPTIONS: Record<string, OptionSpec> = {
  '--env': { value: 'required', accepts: /^[\w.-]+$/, expected: 'a name of letters, digits, ".", "-" or "_" (for .env.NAME)' },
  '--target': { value: 'required' },
  '--postman-env': { value: 'required' },
  '--fault': { value: 'required' },
  '--mode': { value: 'required' },
  '--out': { value: 'required' },
  '--strict': {},
  '--headed': {},
  '--slow': {},
  '--destructive': {},
  '--trace': {},
  '--help': {},
  '-h': {},
};

const NUMBER = { accepts: /^\d+$/, expected: 'a whole number' };

/** The Vitest options a user of the suite needs; documented in HELP. */
const VITEST_OPTIONS: Record<string, OptionSpec> = {
  '-t': { value: 'required' },
  '--testNamePattern': { value: 'required' },
  '--tags-filter': { value: 'required' },
  '--bail': { value: 'optional', ...NUMBER },
  '--silent': { value: 'optional', accepts: /^(true|false|passed-only)$/, expected: 'true, false or passed-only' },
  '--sequence.shuffle': {},
  '--sequence.seed': { value: 'required', ...NUMBER },
  '--testTimeout': { value: 'required', ...NUMBER },
};

const KNOWN = { ...RUNNER_OPTIONS, ...VITEST_OPTIONS };

/** Known options that `name` is probably a typo of: one is the start of the other, or they differ in case only. */
function suggestionFor(name: string): string {
  const bare = name.replace(/^-+/, '').toLowerCase();
  const close = Object.keys(KNOWN).filter((known) => {
    const k = known.replace(/^-+/, '').toLowerCase();
    return bare.length >= 3 && (k.startsWith(bare) || bare.startsWith(k));
  });
  return close.length ? ` (did you mean ${close.join(' or ')}?)` : '';
}

function list(value: string): string[] {
  return value.split(',').map((item) => item.trim()).filter(Boolean);
}

function checkNames(kind: 'fault' | 'mode', names: string[], catalog: Readonly<Record<string, unknown>>): void {
  const unknown = names.filter((name) => !Object.hasOwn(catalog, name));
  if (unknown.length === 0) return;
  const known = Object.keys(catalog);
  // A long list buries the answer: name the close ones and where the whole list is.
  const close = closeNames(unknown, known);
  const hint = known.length <= LIST_IN_FULL
    ? `the ${kind}s are: ${known.join(', ')}`
    : `${close.length ? `close: ${close.join(', ')}; ` : ''}npm run stand-in -- --list lists all ${known.length}`;
  throw new UsageError(`unknown ${kind} ${unknown.map((n) => `"${n}"`).join(', ')}; ${hint}`);
}

/** Catalogs up to this long are listed in full in an unknown name's message. */
const LIST_IN_FULL = 20;

/** Edits (insert, delete, replace) between two words. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length];
}

/** Known names whose words match the unknown ones' (`pkce-verifer` → `pkce-verifier-…`), best first, at most 5. */
function closeNames(unknown: string[], known: string[]): string[] {
  const words = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/).filter(Boolean);
  const wanted = unknown.flatMap(words);
  const short = (a: string, b: string, length: number) => Math.min(a.length, b.length) < length;
  // Per wanted word: 2 for the same word or a prefix of it; 1 for a typo of it (two edits at most)
  // or of its start (`reuse` for `reusable`: one edit).
  const match = (k: string, w: string) => short(k, w, 3) ? (k === w ? 2 : 0)
    : k.startsWith(w) || w.startsWith(k) ? 2
    : !short(k, w, 4) && (editDistance(k, w) <= 2 || editDistance(k.slice(0, w.length), w) <= 1) ? 1 : 0;
  const score = (name: string) => wanted.reduce((sum, w) => sum + Math.max(0, ...words(name).map((k) => match(k, w))), 0);
  const best = Math.max(0, ...known.map(score));
  // Only the names that match as well as the best: one shared word such as "pkce" must not list them all.
  return best === 0 ? [] : known.filter((name) => score(name) === best).slice(0, 5);
}

function checkCombinations(options: RunnerOptions, targetGiven: boolean): void {
  if (options.env && targetGiven) throw new UsageError('--target and --env name two different targets: give one');
  if (options.postmanEnv && targetGiven) throw new UsageError('--target and --postman-env name two different targets: give one');
  const elsewhere = options.env ? '--env' : options.postmanEnv ? '--postman-env' : options.target !== 'stand-in' ? `--target ${options.target}` : undefined;
  for (const [flag, used] of [['--fault', options.faults.length], ['--mode', options.modes.length]] as const) {
    if (used && elsewhere) throw new UsageError(`${flag} switches the local stand-in and cannot be combined with ${elsewhere}`);
  }
}

export function parseRunnerArgs(argv: string[]): RunnerOptions {
  const options: RunnerOptions = {
    target: 'stand-in', faults: [], modes: [], strict: false, outDir: '.', headed: false,
    slow: false, destructive: false, trace: false, help: false, vitestArgs: [], fileFilters: [],
  };
  let targetGiven = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (!arg.startsWith('-')) {
      options.vitestArgs.push(arg);
      options.fileFilters.push(arg);
      continue;
    }
    const split = arg.indexOf('=');
    const [name, inline] = split > 0 ? [arg.slice(0, split), arg.slice(split + 1)] : [arg, undefined];
    const spec = KNOWN[name];
    if (!spec) throw new UsageError(`unknown option ${name}${suggestionFor(name)}`);

    let value = inline;
    if (!spec.value && inline !== undefined) throw new UsageError(`${name} takes no value`);
    if (spec.value === 'required' && value === undefined) {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('-')) value = argv[++i];
    }
    if (spec.value === 'optional' && value === undefined && spec.accepts?.test(argv[i + 1] ?? '')) value = argv[++i];
    if (spec.value === 'required' && !value) throw new UsageError(`${name} needs a value`);
    if (value !== undefined && spec.accepts && !spec.accepts.test(value)) throw new UsageError(`${name} needs ${spec.expected}, not "${value}"`);

    if (name in VITEST_OPTIONS) {
      if (name === '-t' || name === '--testNamePattern') checkPattern(name, value!);
      options.vitestArgs.push(...(value === undefined ? [name] : [`${name}=${value}`]));
    } else if (name === '--env') options.env = value;
    else if (name === '--out') options.outDir = value!;
    else if (name === '--postman-env') options.postmanEnv = value;
    else if (name === '--target') {
      if (!(TARGETS as readonly string[]).includes(value!)) throw new UsageError(`unknown target "${value}"; the targets are: ${TARGETS.join(', ')}`);
      options.target = value as TargetName;
      targetGiven = true;
    } else if (name === '--fault') options.faults.push(...list(value!));
    else if (name === '--mode') options.modes.push(...list(value!));
    else if (name === '--strict') options.strict = true;
    else if (name === '--headed') options.headed = true;
    else if (name === '--slow') options.slow = true;
    else if (name === '--destructive') options.destructive = true;
    else if (name === '--trace') options.trace = true;
    else options.help = true;
  }
  checkNames('fault', options.faults, FAULTS);
  options.modes = options.modes.includes('all') ? Object.keys(MODES) : options.modes;
  checkNames('mode', options.modes, MODES);
  options.faults = [...new Set(options.faults)];
  options.modes = [...new Set(options.modes)];
  checkCombinations(options, targetGiven);
  return options;
}

function checkPattern(name: string, pattern: string): void {
  try {
    new RegExp(pattern);
  } catch (error) {
    throw new UsageError(`${name} "${pattern}" is not a valid regular expression: ${(error as Error).message}`);
  }
}

/**
 * The file filters that match no test file (Vitest matches a filter anywhere in the file's path
 * relative to the project, case-insensitively; `file:line` selects a line).
 */
export function unmatchedFilters(filters: string[], testFiles: string[]): string[] {
  return filters.filter((filter) => {
    const path = filter.replace(/:\d+(-\d+)?$/, '').toLowerCase();
    return !testFiles.some((file) => file.toLowerCase().includes(path));
  });
}

export const HELP = `Usage: npm test -- [options] [vitest filters]

Runs the OAuth 2.0 conformance checks. Without --env it starts a local target (the stand-in of
Pleo's staging by default) on loopback, runs the suite against it, and stops it.

Options:
  --env NAME          run against the target in .env.NAME (then the git-ignored .env.NAME.local;
                      variables already in the environment win), e.g. --env staging
  --postman-env FILE  also read the settings of an exported Postman environment, underneath
                      the env files and the environment (which win); alone, it describes the target
  --target NAME       the local target to start: stand-in (default) or node-oauth (a second,
                      independent server built on @node-oauth/oauth2-server)
  --fault A,B         stand-in only: switch on named faults (npm run stand-in -- --list-faults)
  --mode A,B | all    stand-in only: switch on realism modes (legitimate server variations)
  --strict            fail on warnings (violated SHOULDs) too
  --slow              also run the slow checks, which wait for codes and tokens to expire
                      (Vitest tag "slow"; without --slow they skip, which fails no run)
  --destructive       also run the checks that change the target beyond tokens, such as
                      deleting the client's installation (tag "destructive")
  --out DIR           where allure-results/ and reports/ go (default: the current folder)
  --headed            show the browser
  --trace             record a Playwright trace of every browser context, redacted (secrets
                      masked, screenshots and binary bodies dropped) into reports/traces/
  -h, --help          this text

Vitest options that pass through (no other is accepted):
  FILE ...                       file filters: npm test -- tests/pkce.test.ts
  -t, --testNamePattern REGEX    checks whose name matches: npm test -- -t PK-03
  --tags-filter EXPR             by level, area or opt-in tag: --tags-filter=must,
                                 --tags-filter='rt && !slow', --slow --tags-filter=slow
  --bail [N]                     stop after N failed checks (default 1)
  --silent [true|passed-only]    hide the checks' console output
  --sequence.shuffle             run the files and checks in random order
  --sequence.seed N              the seed of that order, to repeat a shuffled run
  --testTimeout MS               the time limit of one check (default 60000), for a slow target

Exit codes: 0 every check passed (warnings allowed unless --strict), 1 a check failed,
            2 the run could not start (command line, configuration, unreachable target,
              credentials, browser), 130/143 interrupted (SIGINT/SIGTERM).
Results: reports/checks.json, reports/junit.xml, allure-results/ (npm run report builds the HTML).
Code budget: the closing lines count the browser authorizations the checks spent against a
budget of 35 for a full run. It is a design target: a run over it says so loudly, and does not fail.
Coverage: npm run catalog lists every catalog check, its test, level, faults and last verdict.`;
