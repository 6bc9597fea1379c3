import { mkdtempSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DefinedCheck } from '../../support/coverage.ts';
import type { CheckResult } from '../../support/reporting/checks-reporter.ts';
import { batches, faultOfFile, faultRow, makeCopy, planFaultRun } from '../../selftest/fault-matrix.ts';

const checks: DefinedCheck[] = [
  { id: 'TK-04', title: 'once', level: 'MUST', file: 'tests/token-endpoint.test.ts', line: 1 },
  { id: 'PK-01', title: 's256', level: 'MUST', file: 'tests/pkce.test.ts', line: 1 },
  { id: 'TK-01', title: 'json', level: 'MUST', file: 'tests/token-endpoint.test.ts', line: 2 },
];
const results = (statuses: Record<string, string>) => Object.entries(statuses).map(([id, status]) => ({ id, status })) as CheckResult[];

describe('planFaultRun', () => {
  it('runs only the declared checks\' files, strict, with the fault\'s options and settings', () => {
    expect(planFaultRun('double-hash', { catches: ['TK-01', 'PK-01'], args: ['--slow'], env: { PLEO_PROFILE_PKCE: 'fapi2' } }, checks)).toEqual({
      fault: 'double-hash',
      https: false,
      args: ['--strict', '--fault', 'double-hash', '--slow'],
      files: ['tests/pkce.test.ts', 'tests/token-endpoint.test.ts'],
      env: { PLEO_PROFILE_PKCE: 'fapi2' },
    });
  });
});

describe('faultRow', () => {
  it('caught: every declared check failed or warned', () => {
    expect(faultRow('f', { catches: ['TK-01', 'PK-01'] }, results({ 'TK-01': 'FAILURE', 'PK-01': 'WARNING' })).caught).toBe(true);
  });

  it('missed: a declared check passed, was skipped, did not run, could not run to its end, or the run did not start', () => {
    expect(faultRow('f', { catches: ['TK-01', 'PK-01'] }, results({ 'TK-01': 'FAILURE', 'PK-01': 'SKIPPED' }))).toMatchObject({ caught: false, missed: ['PK-01'] });
    expect(faultRow('f', { catches: ['TK-01'] }, [])).toMatchObject({ caught: false, missed: ['TK-01'] });
    expect(faultRow('f', { catches: ['TK-01'] }, [{ id: 'TK-01', status: 'FAILURE', failure: 'infrastructure' }])).toMatchObject({ caught: false, broken: ['TK-01'] });
    expect(faultRow('f', { catches: ['TK-01'] }, results({ 'TK-01': 'FAILURE' }), 'the stand-in did not start')).toMatchObject({ caught: false, error: 'the stand-in did not start' });
  });

  it('a fault that breaks only a SHOULD is caught by a warning, and a failure is the wrong level', () => {
    expect(faultRow('f', { catches: ['AZ-09'], verdict: 'warning' }, results({ 'AZ-09': 'WARNING' }))).toMatchObject({ caught: true, wrongLevel: [] });
    expect(faultRow('f', { catches: ['AZ-09'], verdict: 'warning' }, results({ 'AZ-09': 'FAILURE' }))).toMatchObject({ caught: false, wrongLevel: ['AZ-09'] });
  });
});

describe('the copies of the suite', () => {
  it('a check result belongs to the fault whose copy holds its file', () => {
    expect(faultOfFile('.matrix/pkce-optional/tests/pkce.test.ts')).toBe('pkce-optional');
    expect(faultOfFile('/work/p/.matrix/a-b/tests/x.test.ts')).toBe('a-b');
    expect(faultOfFile('tests/pkce.test.ts')).toBeUndefined();
  });

  it('a copy links to the project\'s checks and their library, and is named by its folder', () => {
    const project = realpathSync(mkdtempSync(join(tmpdir(), 'matrix-copy-')));
    writeFileSync(join(project, 'package.json'), '{}');
    const copy = makeCopy(project, 'some-fault');
    expect(copy).toBe(join(project, '.matrix', 'some-fault') + '/');
    expect(readlinkSync(join(copy, 'tests'))).toBe(join('..', '..', 'tests'));
    expect(readlinkSync(join(copy, 'support'))).toBe(join('..', '..', 'support'));
  });

  it('batches keep the order and the size', () => {
    expect(batches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(batches([], 2)).toEqual([]);
  });
});
