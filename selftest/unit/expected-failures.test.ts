import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult, Status } from '../../support/reporting/checks-reporter.ts';
import { applyExpectedFailures, ExpectedFailuresError, loadExpectedFailures, type ExpectedFailure } from '../../support/reporting/expected-failures.ts';
import { thrown } from './thrown.ts';

describe('loadExpectedFailures', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'expected-failures-'));
    mkdirSync(join(root, 'expected-failures'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));
  const write = (label: string, content: unknown) =>
    writeFileSync(join(root, 'expected-failures', `${label}.json`), typeof content === 'string' ? content : JSON.stringify(content));
  const problem = (content: unknown) => {
    write('staging', content);
    return thrown(ExpectedFailuresError, () => loadExpectedFailures('staging', root)).message;
  };

  it('reads the list of the label', () => {
    const entries = [{ check: 'CA-03', expected: 'FAILURE', reason: 'answers 400' }, { check: 'AK-01', expected: 'SKIPPED', reason: 'no key for us' }];
    write('staging', entries);
    expect(loadExpectedFailures('staging', root)).toEqual({ file: 'expected-failures/staging.json', entries });
  });

  it('a missing file is an empty list', () => {
    expect(loadExpectedFailures('node-oauth', root)).toEqual({ file: 'expected-failures/node-oauth.json', entries: [] });
  });

  it('the stand-in with faults has none, even if a file of that name exists', () => {
    write('local[code-reusable]', [{ check: 'TK-04', expected: 'FAILURE', reason: 'r' }]);
    expect(loadExpectedFailures('local[code-reusable]', root).entries).toEqual([]);
  });

  it('the stand-in with realism modes is still the local target, with its list', () => {
    const entries = [{ check: 'SEC-01', expected: 'SKIPPED', reason: 'loopback http' }];
    write('local', entries);
    expect(loadExpectedFailures('local{login-302,flaky}', root)).toEqual({ file: 'expected-failures/local.json', entries });
  });

  it('names the file and the entry of each problem', () => {
    expect(problem('[{')).toMatch(/^expected-failures\/staging\.json is not valid JSON: /);
    expect(problem({ check: 'CA-03' })).toBe('expected-failures/staging.json must hold an array of { "check", "expected", "reason" }');
    expect(problem(['CA-03'])).toBe('expected-failures/staging.json, entry 1: must be an object { "check", "expected", "reason" }');
    expect(problem([{ check: 'CA-03', expected: 'FAILURE', reason: 'r', ticket: 'X-1' }]))
      .toBe('expected-failures/staging.json, entry 1 (CA-03): unknown field "ticket" (allowed: check, expected, reason)');
    expect(problem([{ check: 'CA-03', expected: 'FAILURE', reason: 'r' }, { check: 'ca3', expected: 'FAILURE', reason: 'r' }]))
      .toBe('expected-failures/staging.json, entry 2 (ca3): "check" must be a check ID such as "CA-03", not "ca3"');
    expect(problem([{ check: 'CA-03', expected: 'failure', reason: 'r' }]))
      .toBe('expected-failures/staging.json, entry 1 (CA-03): "expected" must be FAILURE, WARNING or SKIPPED, not "failure"');
    expect(problem([{ check: 'CA-03', expected: 'WARNING', reason: ' ' }]))
      .toBe('expected-failures/staging.json, entry 1 (CA-03): "reason" must say why (a non-empty string)');
    expect(problem([{ check: 'CA-03', expected: 'WARNING', reason: 'r' }, { check: 'CA-03', expected: 'FAILURE', reason: 'r' }]))
      .toBe('expected-failures/staging.json, entry 2 (CA-03): CA-03 is listed twice');
  });
});

describe('applyExpectedFailures', () => {
  const result = (id: string, status: Status): CheckResult => ({ id, name: `${id} title`, file: 'f', status, details: ['d'], durationMs: 0 });
  const apply = (status: Status, expected: ExpectedFailure['expected']) =>
    applyExpectedFailures([result('CA-03', status)], { file: 'f.json', entries: [{ check: 'CA-03', expected, reason: 'why' }] })[0];

  it('a listed FAILURE that happened → EXPECTED', () => {
    expect(apply('FAILURE', 'FAILURE')).toEqual({ ...result('CA-03', 'EXPECTED'), expected: { as: 'FAILURE', reason: 'why' } });
  });

  it('a listed WARNING that happened → EXPECTED', () => {
    expect(apply('WARNING', 'WARNING')).toMatchObject({ status: 'EXPECTED', expected: { as: 'WARNING', reason: 'why' } });
  });

  it('a FAILURE listed as WARNING is still a FAILURE; a WARNING listed as FAILURE still a WARNING', () => {
    expect(apply('FAILURE', 'WARNING')).toEqual(result('CA-03', 'FAILURE'));
    expect(apply('WARNING', 'FAILURE')).toEqual(result('CA-03', 'WARNING'));
  });

  it('a listed skip stays SKIPPED, marked expected', () => {
    expect(apply('SKIPPED', 'SKIPPED')).toEqual({ ...result('CA-03', 'SKIPPED'), expected: { as: 'SKIPPED', reason: 'why' } });
  });

  it('a listed check that passes is fixed, whatever it was listed as', () => {
    for (const expected of ['FAILURE', 'WARNING', 'SKIPPED'] as const) {
      expect(apply('SUCCESS', expected)).toMatchObject({ status: 'SUCCESS', fixed: true, expected: { as: expected } });
    }
    expect(apply('INFO', 'FAILURE')).toMatchObject({ status: 'INFO', fixed: true });
  });

  it('a listed check that is skipped or needs review is neither expected nor fixed', () => {
    expect(apply('SKIPPED', 'FAILURE')).toEqual(result('CA-03', 'SKIPPED'));
    expect(apply('REVIEW', 'WARNING')).toEqual(result('CA-03', 'REVIEW'));
  });

  it('unlisted checks are untouched', () => {
    const checks = [result('TK-04', 'FAILURE'), result('SC-06', 'WARNING')];
    expect(applyExpectedFailures(checks, { file: 'f.json', entries: [{ check: 'CA-03', expected: 'FAILURE', reason: 'r' }] })).toEqual(checks);
  });
});
