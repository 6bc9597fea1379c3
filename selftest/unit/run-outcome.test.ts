import { describe, expect, it } from 'vitest';
import type { Level } from '../../support/check.ts';
import type { CheckResult, ChecksReport, Status } from '../../support/reporting/checks-reporter.ts';
import { closingLines, runFailed, summarize, summaryLine } from '../../support/reporting/run-outcome.ts';

const result = (status: Status, extra: Partial<CheckResult> = {}): CheckResult => ({ id: 'XX-01', name: 'x', file: 'f', status, details: [], durationMs: 0, ...extra });
const skip = (reason: string, level: Level = 'MUST', extra: Partial<CheckResult> = {}) => result('SKIPPED', { level, details: [reason], ...extra });
const report = (checks: CheckResult[], errors: string[] = [], strict = false): ChecksReport => ({
  summary: summarize('staging', checks, errors), strict, outcome: 'passed', target: {}, expectedFailuresFile: 'expected-failures/staging.json', finishedAt: '', checks,
});

describe('summarize and summaryLine', () => {
  it('counts each status; INFO counts as passed, REVIEW does not', () => {
    const statuses: Status[] = ['SUCCESS', 'INFO', 'FAILURE', 'WARNING', 'SKIPPED', 'SKIPPED', 'EXPECTED', 'REVIEW'];
    const checks = statuses.map((s) => result(s, s === 'SKIPPED' ? { details: ['no key'] } : {}));
    expect(summarize('staging', checks, ['boom'])).toEqual({
      env: 'staging', passed: 2, failed: 1, warnings: 1, skipped: 2, expected: 1, review: 1,
      skipReasons: [{ reason: 'no key', count: 2 }], fixed: [], errors: ['boom'], authorizations: { total: 0, budget: 35 },
    });
  });

  it('groups identical skip reasons, the most frequent first', () => {
    const checks = [skip('b'), skip('PLEO_API_KEY is not set'), skip('PLEO_API_KEY is not set'), skip('c'), skip('PLEO_API_KEY is not set')];
    expect(summarize('s', checks, []).skipReasons).toEqual([
      { reason: 'PLEO_API_KEY is not set', count: 3 }, { reason: 'b', count: 1 }, { reason: 'c', count: 1 },
    ]);
  });

  it('lists the fixed checks', () => {
    expect(summarize('s', [result('SUCCESS', { id: 'CA-03', fixed: true }), result('SUCCESS')], []).fixed).toEqual(['CA-03']);
  });

  it('prints the exact line', () => {
    expect(summaryLine(summarize('local', [result('SUCCESS'), result('WARNING'), result('REVIEW')], [])))
      .toBe('local: 1 passed, 0 failed, 1 warnings, 0 skipped, 0 expected, 1 review');
  });
});

describe('runFailed', () => {
  const fails = (checks: CheckResult[], strict: boolean, errors: string[] = []) => runFailed(report(checks, errors), { strict });

  it('an unexpected FAILURE, an error outside any check, or no check at all fails the run', () => {
    expect(fails([result('SUCCESS'), result('FAILURE')], false)).toBe(true);
    expect(fails([result('SUCCESS')], false, ['file did not load'])).toBe(true);
    expect(fails([], false)).toBe(true);
  });

  it('EXPECTED, WARNING, REVIEW, skips and fixed entries pass a normal run', () => {
    expect(fails([result('EXPECTED'), result('WARNING'), result('REVIEW'), skip('no key'), result('SUCCESS', { fixed: true })], false)).toBe(false);
  });

  it('strict: a warning fails the run', () => {
    expect(fails([result('WARNING')], true)).toBe(true);
  });

  it('strict: a fixed entry fails the run (the list must be kept current)', () => {
    expect(fails([result('SUCCESS', { fixed: true })], true)).toBe(true);
  });

  it('strict: a skipped MUST check fails the run unless listed as an expected skip', () => {
    expect(fails([skip('no key', 'MUST')], true)).toBe(true);
    expect(fails([skip('no key', 'MUST', { expected: { as: 'SKIPPED', reason: 'no key for us' } })], true)).toBe(false);
    expect(fails([skip('no key', 'SHOULD'), skip('no key', 'PROFILE'), skip('n', 'INFO')], true)).toBe(false);
  });

  it('strict: EXPECTED and REVIEW still pass', () => {
    expect(fails([result('EXPECTED'), result('REVIEW'), result('SUCCESS')], true)).toBe(false);
  });
});

describe('closingLines', () => {
  it('errors, reports, skips by reason, fixed entries, strict problems, and the summary line last', () => {
    const checks = [skip('no key', 'MUST', { id: 'AK-01' }), skip('no key', 'MUST', { id: 'AK-02' }), result('SUCCESS', { id: 'CA-03', fixed: true })];
    expect(closingLines(report(checks, ['boom'], true), { reports: ['reports/checks.json', 'allure-results/'] })).toEqual([
      { text: 'error outside any check: boom', error: true },
      { text: 'Reports: reports/checks.json, allure-results/' },
      { text: 'skipped: 2 × no key' },
      { text: 'fixed: CA-03 passes now: remove it from expected-failures/staging.json (strict: this fails the run)' },
      { text: 'strict: AK-01 (MUST) was skipped and expected-failures/staging.json does not list it as SKIPPED' },
      { text: 'strict: AK-02 (MUST) was skipped and expected-failures/staging.json does not list it as SKIPPED' },
      { text: 'browser authorizations: 0 (budget 35)' },
      { text: 'staging: 1 passed, 0 failed, 0 warnings, 2 skipped, 0 expected, 0 review' },
    ]);
  });

  it('a clean run: the reports and the summary line', () => {
    expect(closingLines(report([result('SUCCESS')]), { reports: ['r'] }).map((l) => l.text)).toEqual([
      'Reports: r', 'browser authorizations: 0 (budget 35)', 'staging: 1 passed, 0 failed, 0 warnings, 0 skipped, 0 expected, 0 review',
    ]);
  });

  it('the code budget: the count before the summary line, and a loud line over the budget that does not fail the run', () => {
    const checks = [result('SUCCESS', { authorizations: 20 }), result('SUCCESS', { authorizations: 15 })];
    expect(closingLines(report(checks), { reports: ['r'] }).map((l) => l.text)).not.toContainEqual(expect.stringContaining('over the budget'));
    const over = report([...checks, result('SUCCESS', { authorizations: 2 })]);
    const lines = closingLines(over, { reports: ['r'] });
    expect(lines.at(-3)).toEqual({ text: 'browser authorizations: 37 (budget 35)' });
    expect(lines.at(-2)).toMatchObject({ text: expect.stringMatching(/^over the budget of 35 browser authorizations by 2: a design target, not a failure/), error: true });
    expect(runFailed(over, { strict: true })).toBe(false);
  });
});
