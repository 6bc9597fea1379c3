import { describe, expect, it } from 'vitest';
import { parseCLI } from 'vitest/node';
import { MODES } from '../../fixtures/stand-in/modes.ts';
import { parseRunnerArgs, unmatchedFilters, UsageError } from '../../support/run/cli-args.ts';

const DEFAULTS = {
  target: 'stand-in', faults: [], modes: [], strict: false, outDir: '.', headed: false,
  slow: false, destructive: false, trace: false, help: false, vitestArgs: [], fileFilters: [],
};

const refused = (argv: string[]) => expect(() => parseRunnerArgs(argv));

describe('parseRunnerArgs', () => {
  it('has defaults for no arguments', () => {
    expect(parseRunnerArgs([])).toEqual(DEFAULTS);
  });

  it.each([[['--env', 'staging']], [['--env=staging']]])('reads %j', (argv) => {
    expect(parseRunnerArgs(argv)).toEqual({ ...DEFAULTS, env: 'staging' });
  });

  it('reads the flags', () => {
    expect(parseRunnerArgs(['--strict', '--headed', '--slow', '--destructive', '--trace', '-h']))
      .toEqual({ ...DEFAULTS, strict: true, headed: true, slow: true, destructive: true, trace: true, help: true });
    expect(parseRunnerArgs(['--help']).help).toBe(true);
  });

  it('collects --fault and --mode lists across repeats, without duplicates', () => {
    expect(parseRunnerArgs(['--fault', 'code-reusable,no-rotation', '--fault', 'code-reusable']).faults).toEqual(['code-reusable', 'no-rotation']);
    expect(parseRunnerArgs(['--fault= code-reusable , ,no-rotation']).faults).toEqual(['code-reusable', 'no-rotation']);
    expect(parseRunnerArgs(['--mode', 'no-discovery', '--mode=long-tokens']).modes).toEqual(['no-discovery', 'long-tokens']);
  });

  it('expands --mode all to every mode', () => {
    expect(parseRunnerArgs(['--mode', 'all']).modes).toEqual(Object.keys(MODES));
    expect(parseRunnerArgs(['--mode', 'no-discovery,all']).modes).toEqual(Object.keys(MODES));
  });

  it.each([[['--out', 'x']], [['--out=x']]])('reads %j', (argv) => {
    expect(parseRunnerArgs(argv).outDir).toBe('x');
  });

  it('reads --target', () => {
    expect(parseRunnerArgs(['--target', 'node-oauth']).target).toBe('node-oauth');
    expect(parseRunnerArgs(['--target=stand-in', '--fault', 'code-reusable']).faults).toEqual(['code-reusable']);
  });

  it('passes the allowed Vitest arguments through in order, values attached', () => {
    const argv = ['-t', 'PK-03', 'tests/pkce.test.ts', '--strict', '--tags-filter=must', '--bail', '2', '--silent', 'passed-only',
      '--sequence.shuffle', '--sequence.seed', '7', '--testTimeout', '90000', 'tests/scope'];
    const options = parseRunnerArgs(argv);
    expect(options.strict).toBe(true);
    expect(options.fileFilters).toEqual(['tests/pkce.test.ts', 'tests/scope']);
    expect(options.vitestArgs).toEqual(['-t=PK-03', 'tests/pkce.test.ts', '--tags-filter=must', '--bail=2', '--silent=passed-only',
      '--sequence.shuffle', '--sequence.seed=7', '--testTimeout=90000', 'tests/scope']);
    // And Vitest reads them as meant.
    const { filter, options: vitest } = parseCLI(['vitest', ...options.vitestArgs]);
    expect(filter).toEqual(['tests/pkce.test.ts', 'tests/scope']);
    expect(vitest).toMatchObject({ testNamePattern: 'PK-03', tagsFilter: ['must'], bail: 2, silent: 'passed-only', sequence: { shuffle: true, seed: 7 }, testTimeout: 90000 });
  });

  it('reads the long form of -t', () => {
    expect(parseCLI(['vitest', ...parseRunnerArgs(['--testNamePattern', 'RT']).vitestArgs]).options.testNamePattern).toBe('RT');
  });

  it('takes an optional value only when it fits', () => {
    expect(parseRunnerArgs(['--bail', 'tests/pkce.test.ts']).vitestArgs).toEqual(['--bail', 'tests/pkce.test.ts']);
    expect(parseRunnerArgs(['--silent', '--strict']).vitestArgs).toEqual(['--silent']);
  });

  it.each([
    [['--stric'], 'unknown option --stric (did you mean --strict?)'],
    [['--strictt'], 'unknown option --strictt (did you mean --strict?)'],
    [['--foo'], 'unknown option --foo'],
    [['--reporter', 'json'], 'unknown option --reporter'],
    [['--', 'x'], 'unknown option --'],
    [['--strict=yes'], '--strict takes no value'],
    [['--sequence.seed', 'x'], '--sequence.seed needs a whole number, not "x"'],
    [['--sequence.seed=x'], '--sequence.seed needs a whole number, not "x"'],
    [['--silent=loud'], '--silent needs true, false or passed-only, not "loud"'],
    [['-t', '('], '-t "(" is not a valid regular expression: Invalid regular expression: /(/: Unterminated group'],
    [['--fault', 'nosuch'], 'unknown fault "nosuch"; npm run stand-in -- --list lists all 1'],
    [['--fault', 'pkce-verifer-optional'], 'unknown fault "pkce-verifer-optional"; close: pkce-verifier-optional; npm run stand-in -- --list lists all 1'],
    [['--fault', 'code-reuse'], 'unknown fault "code-reuse"; close: code-reusable; npm run stand-in -- --list lists all '],
    [['--mode', 'nosuch,no-discovery'], 'unknown mode "nosuch"; the modes are: remember-consent, no-introspection'],
    [['--target', 'keycloak'], 'unknown target "keycloak"; the targets are: stand-in, node-oauth'],
    [['--env', '../x'], '--env needs a name of letters'],
    [['--env', 'staging', '--target', 'node-oauth'], '--target and --env name two different targets: give one'],
    [['--fault', 'code-reusable', '--env', 'staging'], '--fault switches the local stand-in and cannot be combined with --env'],
    [['--env=staging', '--mode=no-discovery'], '--mode switches the local stand-in and cannot be combined with --env'],
    [['--target', 'node-oauth', '--fault', 'code-reusable'], '--fault switches the local stand-in and cannot be combined with --target node-oauth'],
  ])('refuses %j', (argv, message) => {
    refused(argv).toThrow(UsageError);
    refused(argv).toThrow(message);
  });

  it.each([[['--env']], [['--env', '--strict']], [['--env=']], [['--out']], [['--fault']], [['--mode']], [['-t']], [['--target']]])('refuses %j without a value', (argv) => {
    refused(argv).toThrow(new UsageError(`${argv[0].split('=')[0]} needs a value`));
  });
});

describe('unmatchedFilters', () => {
  const files = ['tests/pkce.test.ts', 'tests/scope.test.ts'];

  it('matches like Vitest: anywhere in the path, any case, with a line', () => {
    expect(unmatchedFilters(['pkce', 'tests/SCOPE', 'tests/pkce.test.ts:12', 'tests/'], files)).toEqual([]);
  });

  it('names the filters that match nothing', () => {
    expect(unmatchedFilters(['stric', 'pkce'], files)).toEqual(['stric']);
  });
});
