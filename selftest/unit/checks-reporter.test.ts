import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestCase, TestModule } from 'vitest/node';
import type { Level } from '../../support/check.ts';
import { ChecksReporter, verdictOf, type ChecksReport } from '../../support/reporting/checks-reporter.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';

type Annotation = { type: string; message: string };
const CHECK = { id: 'PK-03', title: 'S256 is enforced', level: 'MUST' as Level, refs: ['RFC7636-4.6'] };

function fakeTest(result: Record<string, unknown>, annotations: Annotation[] = [], options: { duration?: number | null; level?: Level; id?: string; authorizations?: number } = {}): TestCase {
  const { duration = 12.6, level = CHECK.level, id = CHECK.id, authorizations } = options;
  return {
    name: `${id} S256 is enforced`,
    module: { relativeModuleId: 'tests/pkce.test.ts' },
    result: () => result,
    annotations: () => annotations,
    meta: () => ({ check: { ...CHECK, id, level }, authorizations }),
    diagnostic: () => (duration === null ? undefined : { duration }),
  } as unknown as TestCase;
}
const base = { ...CHECK, name: 'PK-03 S256 is enforced', file: 'tests/pkce.test.ts', durationMs: 13, authorizations: 0 };
const failed = (...errors: { name: string; message: string }[]) => ({ state: 'failed', errors });

beforeEach(() => clearSecretsForTesting());

describe('verdictOf', () => {
  it('passed → SUCCESS', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }))).toEqual({ ...base, status: 'SUCCESS', details: [] });
  });

  it('passed with a warning → WARNING: warnings first, then the other annotations by kind', () => {
    const annotations = [{ type: 'info', message: 'saw 900s' }, { type: 'warning', message: 'Pragma absent' }, { type: 'notice', message: 'x' }, { type: 'review', message: 'look' }];
    expect(verdictOf(fakeTest({ state: 'passed' }, annotations))).toEqual({ ...base, status: 'WARNING', details: ['Pragma absent', 'review: look', 'info: saw 900s'] });
  });

  it('passed with a review note → REVIEW (a warning wins over it)', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [{ type: 'review', message: 'judge the error page' }]))).toMatchObject({ status: 'REVIEW', details: ['judge the error page'] });
    expect(verdictOf(fakeTest({ state: 'passed' }, [{ type: 'review', message: 'r' }, { type: 'warning', message: 'w' }]))?.status).toBe('WARNING');
  });

  it('an INFO-level check with notes → INFO; without notes → SUCCESS', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [{ type: 'info', message: 'codes live 600 s' }], { level: 'INFO' }))).toMatchObject({ status: 'INFO', details: ['codes live 600 s'] });
    expect(verdictOf(fakeTest({ state: 'passed' }, [], { level: 'INFO' }))?.status).toBe('SUCCESS');
  });

  it('a note on a check above INFO level → SUCCESS, the note kept', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [{ type: 'info', message: 'n' }]))).toMatchObject({ status: 'SUCCESS', details: ['info: n'] });
  });

  it('failed with CheckFailures → FAILURE (assertion), the messages redacted, annotations after them', () => {
    registerSecret('leaked-secret', 'client_secret');
    const result = failed({ name: 'CheckFailure', message: 'first' }, { name: 'CheckFailure', message: 'got leaked-secret' });
    expect(verdictOf(fakeTest(result, [{ type: 'warning', message: 'w' }]))).toEqual({
      ...base, status: 'FAILURE', failure: 'assertion', details: ['first', 'got [REDACTED:client_secret]', 'warning: w'],
    });
  });

  it('failed with any other error → FAILURE (infrastructure): transport, timeout, browser', () => {
    expect(verdictOf(fakeTest(failed({ name: 'TypeError', message: 'fetch failed' })))?.failure).toBe('infrastructure');
    expect(verdictOf(fakeTest(failed({ name: 'CheckFailure', message: 'a' }, { name: 'Error', message: 'Test timed out in 60000ms' })))?.failure).toBe('infrastructure');
    expect(verdictOf(fakeTest({ state: 'failed' }))).toMatchObject({ status: 'FAILURE', failure: 'infrastructure', details: [] });
  });

  it('skipped with a note → SKIPPED with the reason', () => {
    expect(verdictOf(fakeTest({ state: 'skipped', note: 'precondition: no code' }))).toEqual({ ...base, status: 'SKIPPED', details: ['precondition: no code'] });
  });

  it('skipped without a note (filtered out) or pending → not a verdict', () => {
    expect(verdictOf(fakeTest({ state: 'skipped' }))).toBeUndefined();
    expect(verdictOf(fakeTest({ state: 'pending' }))).toBeUndefined();
  });

  it('carries the browser authorizations the check counted (0 when it counted none)', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [], { authorizations: 2 }))?.authorizations).toBe(2);
    expect(verdictOf(fakeTest({ state: 'skipped', note: 'no code' }, [], { authorizations: 1 }))?.authorizations).toBe(1);
  });

  it('takes 0 ms without diagnostic', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [], { duration: null }))?.durationMs).toBe(0);
  });
});

describe('ChecksReporter', () => {
  let dir: string;
  beforeEach(() => void (dir = mkdtempSync(join(tmpdir(), 'checks-reporter-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const modules = (...tests: TestCase[]) => [{ relativeModuleId: 'tests/pkce.test.ts', children: { allTests: () => tests }, errors: () => [] }] as unknown as TestModule[];

  function run(tests: TestCase[], options: { strict?: boolean; expected?: { check: string; expected: 'FAILURE' | 'WARNING' | 'SKIPPED'; reason: string }[] } = {}) {
    const lines: string[] = [];
    const reporter = new ChecksReporter({
      env: 'staging',
      outputFile: join(dir, 'reports/checks.json'),
      junitFile: join(dir, 'reports/junit.xml'),
      strict: options.strict ?? false,
      target: { authUrl: 'https://auth.example' },
      expectedFailures: { file: 'expected-failures/staging.json', entries: options.expected ?? [] },
      print: (line) => lines.push(line),
      printError: (line) => lines.push(`ERR ${line}`),
    });
    reporter.onTestRunEnd(modules(...tests), []);
    return { lines, report: reporter.report!, written: JSON.parse(readFileSync(join(dir, 'reports/checks.json'), 'utf8')) as ChecksReport };
  }

  it('applies the expected failures, writes checks.json and JUnit, and ends with the summary line', () => {
    const { lines, report, written } = run([
      fakeTest(failed({ name: 'CheckFailure', message: 'reusable' }), [], { id: 'TK-04' }),
      fakeTest({ state: 'passed' }, [], { id: 'CA-03' }),
      fakeTest({ state: 'skipped', note: 'PLEO_API_KEY is not set' }, [], { id: 'AK-01' }),
    ], { expected: [{ check: 'TK-04', expected: 'FAILURE', reason: 'ticket 1' }, { check: 'CA-03', expected: 'FAILURE', reason: 'old' }] });
    expect(written).toEqual(report);
    expect(report.checks.map((c) => [c.id, c.status, c.fixed])).toEqual([['TK-04', 'EXPECTED', undefined], ['CA-03', 'SUCCESS', true], ['AK-01', 'SKIPPED', undefined]]);
    expect(report.checks[0].expected).toEqual({ as: 'FAILURE', reason: 'ticket 1' });
    expect(report.outcome).toBe('passed');
    expect(readFileSync(join(dir, 'reports/junit.xml'), 'utf8')).toContain('<property name="status" value="EXPECTED"/>');
    expect(lines.slice(-4)).toEqual([
      'skipped: 1 × PLEO_API_KEY is not set',
      'fixed: CA-03 passes now: remove it from expected-failures/staging.json',
      'browser authorizations: 0 (budget 35)',
      'staging: 1 passed, 0 failed, 0 warnings, 1 skipped, 1 expected, 0 review',
    ]);
  });

  it('counts the browser authorizations in checks.json (total and per check) and says loudly when over the budget, without failing', () => {
    const { lines, report, written } = run([
      fakeTest({ state: 'passed' }, [], { id: 'AZ-01', authorizations: 30 }),
      fakeTest({ state: 'passed' }, [], { id: 'TK-04', authorizations: 6 }),
      fakeTest({ state: 'passed' }, [], { id: 'CA-03' }),
    ]);
    expect(written.summary.authorizations).toEqual({ total: 36, budget: 35 });
    expect(written.checks.map((c) => c.authorizations)).toEqual([30, 6, 0]);
    expect(lines).toContain('browser authorizations: 36 (budget 35)');
    expect(lines.find((l) => l.startsWith('ERR over the budget of 35'))).toBeDefined();
    expect(report.outcome).toBe('passed');
  });

  it('in strict mode the fixed entry and the skipped MUST check fail the run', () => {
    const { lines, report } = run([
      fakeTest({ state: 'passed' }, [], { id: 'CA-03' }),
      fakeTest({ state: 'skipped', note: 'PLEO_API_KEY is not set' }, [], { id: 'AK-01' }),
    ], { strict: true, expected: [{ check: 'CA-03', expected: 'FAILURE', reason: 'old' }] });
    expect(report.outcome).toBe('failed');
    expect(lines).toContain('strict: AK-01 (MUST) was skipped and expected-failures/staging.json does not list it as SKIPPED');
    expect(lines.at(-1)).toBe('staging: 1 passed, 0 failed, 0 warnings, 1 skipped, 0 expected, 0 review');
  });

  it('no check: says so, and the run failed', () => {
    const { lines, report } = run([]);
    expect(lines).toContain('ERR No check ran: the filters matched nothing.');
    expect(report.outcome).toBe('failed');
  });
});
