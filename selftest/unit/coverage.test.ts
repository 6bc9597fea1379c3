import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CATALOG } from '../../support/catalog-ids.ts';
import { checksInSource, coverage, coverageMarkdown, coverageText, readLastRun, type LastRun } from '../../support/coverage.ts';

const SOURCE = `
import { check } from '../support/check.ts';

check('TK-04', 'a code can be redeemed only once', { level: 'MUST', refs: ['RFC6749-4.1.2'], effects: 'destructive' }, async (t) => {
  const nested = () => check; // not a call: ignored
});

check(
  'TK-07',
  \`codes expire\`,
  {
    refs: ['RFC6749-4.1.2'],
    level: 'MUST',
    optIn: 'slow',
    needs: ['secondClient'],
  },
  async (t) => {},
);

describe('a group', () => {
  check('RS-01', 'any case of | Bearer', { level: LEVEL, refs: [] }, async () => {});
});

for (const id of ids) check(id, 'generated', { level: 'MUST', refs: [] }, async () => {});
notCheck('AZ-01', 'other', { level: 'MUST' });
`;

describe('checksInSource', () => {
  const parsed = checksInSource('tests/x.test.ts', SOURCE);

  it('reads every check() call with its ID, title, level, line and options, however it is formatted', () => {
    expect(parsed.checks).toEqual([
      { id: 'TK-04', title: 'a code can be redeemed only once', level: 'MUST', file: 'tests/x.test.ts', line: 4 },
      { id: 'TK-07', title: 'codes expire', level: 'MUST', file: 'tests/x.test.ts', line: 8, optIn: 'slow', needs: ['secondClient'] },
      { id: 'RS-01', title: 'any case of | Bearer', level: 'LEVEL', file: 'tests/x.test.ts', line: 21 },
    ]);
  });

  it('names a call whose ID it cannot read', () => {
    expect(parsed.problems).toEqual(['tests/x.test.ts:24: a check() whose ID is not a string literal (id): the catalog cannot read it']);
  });
});

describe('the catalog IDs', () => {
  it('hold the 79 catalog checks and PL-01..05, each once, with a title', () => {
    const ids = CATALOG.map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBe(84);
    const count = (prefix: string) => ids.filter((id) => id.startsWith(`${prefix}-`)).length;
    expect([count('AZ'), count('PK'), count('TK'), count('CA'), count('RT'), count('SC'), count('RS'), count('AK'), count('RV'), count('MD'), count('SEC'), count('PL')])
      .toEqual([10, 8, 12, 8, 9, 6, 4, 7, 4, 2, 9, 5]);
    expect(CATALOG.every((e) => /^[A-Z]+-\d\d$/.test(e.id) && e.title.length > 5)).toBe(true);
  });
});

describe('coverage', () => {
  const catalog = [{ id: 'TK-04', title: 'once' }, { id: 'TK-07', title: 'expiry' }, { id: 'RS-01', title: 'bearer' }, { id: 'SC-01', title: 'order' }];
  const parsed = checksInSource('tests/x.test.ts', SOURCE);
  const faults = { 'code-reusable': { catches: ['TK-04'] }, 'code-consumed-late': { catches: ['TK-04'] }, 'code-eternal': { catches: ['TK-07'] }, 'scope-order': { catches: ['SC-01'] } };
  const lastRun: LastRun = { file: 'reports/checks.json', env: 'local', finishedAt: 'T', statuses: { 'TK-04': 'FAILURE', 'RS-01': 'INFO' } };

  it('one row per catalog ID: its test, faults and last verdict (missing, not run, or the status)', () => {
    const c = coverage({ catalog, parsed, faults, lastRun });
    expect(c.rows.map((r) => [r.id, r.check?.line, r.faults, r.verdict])).toEqual([
      ['TK-04', 4, ['code-reusable', 'code-consumed-late'], 'failed'],
      ['TK-07', 8, ['code-eternal'], 'not run'],
      ['RS-01', 21, [], 'passed'],
      ['SC-01', undefined, ['scope-order'], 'missing'],
    ]);
    expect(c.implemented).toBe(3);
    expect(c.lastRun).toEqual({ file: 'reports/checks.json', env: 'local', finishedAt: 'T' });
  });

  it('names the problems: unreadable calls, unknown and duplicate IDs, faults without a test, tests without a fault', () => {
    const twice = { checks: [...parsed.checks, { ...parsed.checks[0], line: 99 }, { ...parsed.checks[0], id: 'XX-01', line: 100 }], problems: parsed.problems };
    expect(coverage({ catalog, parsed: twice, faults }).problems).toEqual([
      parsed.problems[0],
      'tests/x.test.ts:99: TK-04 is defined twice (first at tests/x.test.ts:4)',
      'tests/x.test.ts:100: XX-01 is not a catalog ID (support/catalog-ids.ts)',
      'fault scope-order declares SC-01, which no test implements',
      'RS-01 has no fault of the stand-in that proves it can fail',
    ]);
  });

  it('prints a line per ID and the totals; Markdown lists the implemented checks with | escaped', () => {
    const c = coverage({ catalog, parsed, faults, lastRun });
    const text = coverageText(c);
    expect(text[0]).toBe('Last verdicts from reports/checks.json (local, T)');
    expect(text.find((l) => l.startsWith('TK-07'))).toMatch(/^TK-07 +MUST\* +tests\/x\.test\.ts:8 +not run +1 +codes expire$/);
    expect(text).toContain('3 of 4 catalog checks implemented, 3 with a fault; * runs only with --slow or --destructive');
    expect(coverageMarkdown(c).split('\n')).toEqual([
      '| ID | check | level | faults |',
      '|---|---|---|---|',
      '| TK-04 | a code can be redeemed only once | MUST | 2 |',
      '| TK-07 | codes expire | MUST (--slow) | 1 |',
      '| RS-01 | any case of \\| Bearer | LEVEL | 0 |',
      '',
      '3 of 4 catalog checks are implemented. Not yet: SC-01.',
    ]);
  });
});

describe('readLastRun', () => {
  it('reads the statuses by ID from checks.json; nothing from a missing or foreign file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'coverage-'));
    try {
      const file = join(dir, 'checks.json');
      writeFileSync(file, JSON.stringify({ summary: { env: 'local[code-reusable]' }, finishedAt: 'T', checks: [{ id: 'TK-04', status: 'FAILURE' }, { name: 'no id', status: 'SUCCESS' }] }));
      expect(readLastRun(file, 'shown')).toEqual({ file: 'shown', env: 'local[code-reusable]', finishedAt: 'T', statuses: { 'TK-04': 'FAILURE' } });
      writeFileSync(file, '{"not": "a report"}');
      expect(readLastRun(file)).toBeUndefined();
      expect(readLastRun(join(dir, 'absent.json'))).toBeUndefined();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
