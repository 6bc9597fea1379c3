import { describe, expect, it } from 'vitest';
import type { DefinedCheck } from '../../support/coverage.ts';
import type { ChecksReport } from '../../support/reporting/checks-reporter.ts';
import { faultRow, namePattern, planFaultRun, runFaultMatrix } from '../../selftest/fault-matrix.ts';

const checks: DefinedCheck[] = [
  { id: 'TK-04', title: 'once', level: 'MUST', file: 'tests/token-endpoint.test.ts', line: 1 },
  { id: 'PK-01', title: 's256', level: 'MUST', file: 'tests/pkce.test.ts', line: 1 },
  { id: 'TK-01', title: 'json', level: 'MUST', file: 'tests/token-endpoint.test.ts', line: 2 },
];
const report = (statuses: Record<string, string>) => ({ checks: Object.entries(statuses).map(([id, status]) => ({ id, status })) }) as unknown as ChecksReport;

describe('planFaultRun', () => {
  it('runs only the declared checks: their files and a name filter, strict, with the fault\'s options and settings', () => {
    expect(planFaultRun('double-hash', { catches: ['TK-01', 'PK-01'], args: ['--slow'], env: { PLEO_PROFILE_PKCE: 'fapi2' } }, checks)).toEqual({
      fault: 'double-hash',
      args: ['--strict', '--fault', 'double-hash', '--slow', 'tests/pkce.test.ts', 'tests/token-endpoint.test.ts', '-t', '(?:^| )(?:PK-01|TK-01) '],
      env: { PLEO_PROFILE_PKCE: 'fapi2' },
    });
  });

  it('the name filter matches the declared IDs only, also after a describe\'s name', () => {
    const pattern = new RegExp(namePattern(['SEC-01', 'TK-04']));
    expect(pattern.test('TK-04 a code can be redeemed only once')).toBe(true);
    expect(pattern.test('group SEC-01 TLS')).toBe(true);
    expect(pattern.test('TK-040 other')).toBe(false);
    expect(pattern.test('XSEC-01 other')).toBe(false);
  });
});

describe('faultRow', () => {
  it('caught: the run failed and every declared check failed or warned', () => {
    expect(faultRow('f', { catches: ['TK-01', 'PK-01'] }, 1, report({ 'TK-01': 'FAILURE', 'PK-01': 'WARNING' })).caught).toBe(true);
  });

  it('missed: a declared check passed, was skipped or did not run, or the run did not fail', () => {
    expect(faultRow('f', { catches: ['TK-01', 'PK-01'] }, 1, report({ 'TK-01': 'FAILURE', 'PK-01': 'SKIPPED' }))).toMatchObject({ caught: false, missed: ['PK-01'] });
    expect(faultRow('f', { catches: ['TK-01'] }, 1, undefined)).toMatchObject({ caught: false, missed: ['TK-01'] });
    expect(faultRow('f', { catches: ['TK-01'] }, 2, report({ 'TK-01': 'FAILURE' })).caught).toBe(false);
  });
});

describe('runFaultMatrix', () => {
  it('runs each fault once, width at a time, and keeps the order of the faults', async () => {
    let running = 0;
    let most = 0;
    const seen: string[] = [];
    const rows = await runFaultMatrix({
      faults: { a: { catches: ['TK-04'] }, b: { catches: ['PK-01'] }, c: { catches: ['TK-01'] } },
      checks,
      width: 2,
      runSuite: async (name, args) => {
        seen.push(name);
        most = Math.max(most, ++running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        const id = args[args.indexOf('-t') + 1].match(/[A-Z]+-\d+/)![0];
        return { exitCode: 1, report: report({ [id]: 'FAILURE' }) };
      },
    });
    expect(rows.map((r) => [r.row.fault, r.row.caught])).toEqual([['a', true], ['b', true], ['c', true]]);
    expect(seen.sort()).toEqual(['fault-a', 'fault-b', 'fault-c']);
    expect(most).toBe(2);
  });
});
