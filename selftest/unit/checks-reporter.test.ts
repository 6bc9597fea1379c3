import { beforeEach, describe, expect, it } from 'vitest';
import type { TestCase } from 'vitest/node';
import { summarize, summaryLine, verdictOf, type CheckResult } from '../../support/reporting/checks-reporter.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';

type Annotation = { type: string; message: string };
const CHECK = { id: 'PK-03', title: 'S256 is enforced', level: 'MUST' as const, refs: ['RFC7636-4.6'] };

function fakeTest(result: Record<string, unknown>, annotations: Annotation[] = [], duration: number | null = 12.6): TestCase {
  return {
    name: 'PK-03 S256 is enforced',
    module: { relativeModuleId: 'tests/pkce.test.ts' },
    result: () => result,
    annotations: () => annotations,
    meta: () => ({ check: CHECK }),
    diagnostic: () => (duration === null ? undefined : { duration }),
  } as unknown as TestCase;
}
const base = { ...CHECK, name: 'PK-03 S256 is enforced', file: 'tests/pkce.test.ts', durationMs: 13 };

beforeEach(() => clearSecretsForTesting());

describe('verdictOf', () => {
  it('passed → SUCCESS', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }))).toEqual({ ...base, status: 'SUCCESS', details: [] });
  });

  it('passed with a warning → WARNING, notes after warnings', () => {
    const annotations = [{ type: 'info', message: 'saw 900s' }, { type: 'warning', message: 'Pragma absent' }, { type: 'notice', message: 'x' }];
    expect(verdictOf(fakeTest({ state: 'passed' }, annotations))).toEqual({ ...base, status: 'WARNING', details: ['Pragma absent', 'info: saw 900s'] });
  });

  it('passed with only a note → SUCCESS', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [{ type: 'info', message: 'n' }]))?.status).toBe('SUCCESS');
  });

  it('failed → FAILURE with the messages, redacted', () => {
    registerSecret('leaked-secret', 'client_secret');
    const result = { state: 'failed', errors: [{ message: 'first' }, { message: 'got leaked-secret' }] };
    expect(verdictOf(fakeTest(result))).toEqual({ ...base, status: 'FAILURE', details: ['first', 'got [REDACTED:client_secret]'] });
  });

  it('failed without errors → FAILURE without details', () => {
    expect(verdictOf(fakeTest({ state: 'failed' }))?.details).toEqual([]);
  });

  it('skipped with a note → SKIPPED', () => {
    const result = { state: 'skipped', note: 'precondition: no code' };
    expect(verdictOf(fakeTest(result))).toEqual({ ...base, status: 'SKIPPED', details: ['precondition: no code'] });
  });

  it('skipped without a note (filtered out) → undefined', () => {
    expect(verdictOf(fakeTest({ state: 'skipped' }))).toBeUndefined();
  });

  it('pending → undefined', () => {
    expect(verdictOf(fakeTest({ state: 'pending' }))).toBeUndefined();
  });

  it('takes 0 ms without diagnostic', () => {
    expect(verdictOf(fakeTest({ state: 'passed' }, [], null))?.durationMs).toBe(0);
  });
});

describe('summarize and summaryLine', () => {
  const result = (status: CheckResult['status']): CheckResult => ({ name: 'x', file: 'f', status, details: [], durationMs: 0 });

  it('counts each status', () => {
    const checks = ['SUCCESS', 'SUCCESS', 'FAILURE', 'WARNING', 'SKIPPED', 'SKIPPED', 'SKIPPED'].map((s) => result(s as CheckResult['status']));
    expect(summarize('staging', checks, ['boom'])).toEqual({ env: 'staging', passed: 2, failed: 1, warnings: 1, skipped: 3, errors: ['boom'] });
  });

  it('prints the exact line', () => {
    expect(summaryLine(summarize('local', [result('SUCCESS'), result('WARNING')], []))).toBe('local: 1 passed, 0 failed, 1 warnings, 0 skipped');
    expect(summaryLine(summarize('staging', [], []))).toBe('staging: 0 passed, 0 failed, 0 warnings, 0 skipped');
  });
});
