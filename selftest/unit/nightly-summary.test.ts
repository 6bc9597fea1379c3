import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { CheckResult, ChecksReport, Status } from '../../support/reporting/checks-reporter.ts';
import { summarize } from '../../support/reporting/run-outcome.ts';
import { ChecksFileError, compareRuns, readChecksReport, summaryMarkdown } from '../../support/nightly-summary.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';
import { thrown } from './thrown.ts';

const check = (id: string, status: Status, details: string[] = []): CheckResult => ({
  id, title: `title of ${id}`, level: id.startsWith('W') ? 'SHOULD' : 'MUST', refs: [`RFC6749-${id.length}`],
  name: `${id} title of ${id}`, file: 'tests/x.test.ts', status, details, durationMs: 1,
});

const report = (checks: CheckResult[], finishedAt = '2026-11-30T02:30:00.000Z'): ChecksReport => ({
  summary: summarize('staging', checks, []),
  strict: false,
  outcome: checks.some((c) => c.status === 'FAILURE') ? 'failed' : 'passed',
  target: {},
  finishedAt,
  checks,
});

describe('compareRuns', () => {
  it('sorts every change of status, and the checks that came and went', () => {
    const before = report([
      check('A-1', 'SUCCESS'), check('A-2', 'FAILURE'), check('A-3', 'SUCCESS'), check('A-4', 'WARNING'),
      check('A-5', 'FAILURE'), check('A-6', 'SUCCESS'), check('A-7', 'SKIPPED'), check('GONE', 'SUCCESS'),
    ]);
    const now = report([
      check('A-1', 'FAILURE'), check('A-2', 'SUCCESS'), check('A-3', 'WARNING'), check('A-4', 'SUCCESS'),
      check('A-5', 'EXPECTED'), check('A-6', 'SUCCESS'), check('A-7', 'FAILURE'), check('NEW', 'SKIPPED'),
    ]);
    const changes = compareRuns(before, now);
    const ids = (list: { check: CheckResult; before: Status }[]) => list.map((c) => `${c.check.id}:${c.before}>${c.check.status}`);
    expect(ids(changes.newlyFailing)).toEqual(['A-1:SUCCESS>FAILURE', 'A-7:SKIPPED>FAILURE']);
    expect(ids(changes.fixed)).toEqual(['A-2:FAILURE>SUCCESS']);
    expect(ids(changes.newlyWarning)).toEqual(['A-3:SUCCESS>WARNING']);
    expect(ids(changes.otherChanges)).toEqual(['A-4:WARNING>SUCCESS', 'A-5:FAILURE>EXPECTED']);
    expect(changes.added.map((c) => c.id)).toEqual(['NEW']);
    expect(changes.removed.map((c) => c.id)).toEqual(['GONE']);
  });

  it('a failure that became a warning is fixed (and listed among the warnings)', () => {
    const changes = compareRuns(report([check('A-1', 'FAILURE')]), report([check('A-1', 'WARNING')]));
    expect(changes.fixed).toHaveLength(1);
    expect(changes.newlyWarning).toHaveLength(0);
  });
});

describe('summaryMarkdown', () => {
  afterEach(clearSecretsForTesting);

  it('gives the counts, then every failure and warning with its ID, level, clauses and message', () => {
    const md = summaryMarkdown(report([
      check('A-1', 'SUCCESS'), check('A-2', 'FAILURE', ['the token endpoint answered 200']), check('W-1', 'WARNING', ['no Pragma header']),
    ]));
    expect(md).toContain('## Conformance run: staging: ❌ failed');
    expect(md).toContain('| 1 | 1 | 1 | 0 | 0 | 0 |');
    expect(md).toContain('### Failures (1)');
    expect(md).toContain('| **A-2** title of A-2 | MUST | RFC6749-3 | the token endpoint answered 200 |');
    expect(md).toContain('### Warnings (1)');
    expect(md).toContain('| **W-1** title of W-1 | SHOULD | RFC6749-3 | no Pragma header |');
    expect(md).toContain('No previous run to compare with.');
  });

  it('says what changed since the previous run', () => {
    const md = summaryMarkdown(
      report([check('A-1', 'FAILURE'), check('A-2', 'SUCCESS'), check('NEW', 'SUCCESS')]),
      report([check('A-1', 'SUCCESS'), check('A-2', 'FAILURE'), check('GONE', 'SUCCESS')], '2026-11-29T02:30:00.000Z'),
    );
    expect(md).toContain('Compared with the run finished 2026-11-29T02:30:00.000Z.');
    expect(md).toMatch(/\*\*Newly failing\*\* \(1\)\n\n- \*\*A-1\*\* title of A-1: SUCCESS → FAILURE/);
    expect(md).toMatch(/\*\*Fixed\*\* \(1\)\n\n- \*\*A-2\*\* title of A-2: FAILURE → SUCCESS/);
    expect(md).toMatch(/\*\*New checks\*\* \(1\)\n\n- \*\*NEW\*\* title of NEW: SUCCESS/);
    expect(md).toMatch(/\*\*Removed checks\*\* \(1\)\n\n- \*\*GONE\*\* title of GONE/);
  });

  it('lists at most 20 new or removed checks (a filtered run, a new catalog area) and counts the rest', () => {
    const many = Array.from({ length: 25 }, (_, i) => check(`R-${i}`, 'SUCCESS'));
    const md = summaryMarkdown(report([check('A-1', 'SUCCESS')]), report([check('A-1', 'SUCCESS'), ...many]));
    expect(md).toContain('**Removed checks** (25)');
    expect(md).toContain('- **R-19** title of R-19\n- … and 5 more');
    expect(md).not.toContain('R-20');
  });

  it('says so when nothing changed, and names another target compared with', () => {
    const previous = { ...report([check('A-1', 'SUCCESS')]), summary: summarize('staging-old', [], []) };
    expect(summaryMarkdown(report([check('A-1', 'SUCCESS')]), previous)).toMatch(/\(against staging-old\)\.\n\nNo check changed its status\./);
  });

  it('prints nothing secret: known values, credentials by place (redacted before the lines are joined), e-mail addresses', () => {
    const secret = registerSecret('s3cr3t-value-of-the-client', 'client_secret');
    const md = summaryMarkdown(report([check('A-1', 'FAILURE', [
      `secret ${secret}; refresh_token=abcdefghijklmnop; user alice@example.com\nAuthorization: Bearer eyJhbGciOi`,
    ])]));
    expect(md).not.toContain(secret);
    expect(md).not.toContain('abcdefghijklmnop');
    expect(md).not.toContain('alice@example.com');
    expect(md).not.toContain('eyJhbGciOi');
  });

  it('keeps a message inert and on one table row: pipes, HTML, newlines, and cuts a long one', () => {
    const md = summaryMarkdown(report([check('A-1', 'FAILURE', [`a | b <img src=x onerror=alert(1)>\nsecond line ${'x'.repeat(400)}`])]));
    const row = md.split('\n').find((line) => line.startsWith('| **A-1**'))!;
    expect(row).toContain('a \\| b &lt;img src=x onerror=alert(1)&gt; second line');
    expect(row).toMatch(/… \(\d+ more characters\) \|$/);
  });

  it('lists the fixed expected failures, errors outside checks and skips by reason', () => {
    const current = report([check('A-1', 'SKIPPED', ['no API key configured (PLEO_API_KEY)'])]);
    current.summary = { ...current.summary, fixed: ['CA-03'], errors: ['tests/x.test.ts failed to load'] };
    const md = summaryMarkdown(current);
    expect(md).toContain('### Fixed: remove from the expected-failures file (1)\n\n- **CA-03**');
    expect(md).toContain('### Errors outside any check (1)\n\n- tests/x.test.ts failed to load');
    expect(md).toContain('### Skipped, by reason (1)\n\n- 1 × no API key configured (PLEO\\_API\\_KEY)');
  });
});

describe('readChecksReport and npm run summary', () => {
  const dir = mkdtempSync(join(tmpdir(), 'summary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, content: string) => {
    writeFileSync(join(dir, name), content);
    return join(dir, name);
  };

  it('refuses a file that is not a checks.json, naming it', () => {
    expect(thrown(ChecksFileError, () => readChecksReport(file('bad.json', '{"checks": 3}'))).message).toMatch(/bad\.json is not a checks\.json written by npm test/);
    expect(thrown(ChecksFileError, () => readChecksReport(file('broken.json', '{'))).message).toMatch(/^cannot read .*broken\.json: /);
  });

  it('prints the summary (a missing previous run is the first night) or stops with exit code 2', () => {
    const current = file('checks.json', JSON.stringify(report([check('A-1', 'SUCCESS')])));
    const run = (...args: string[]) => spawnSync(resolve('node_modules/.bin/tsx'), ['scripts/summary.ts', ...args], { encoding: 'utf8' });
    const first = run('--current', current, '--previous', join(dir, 'none.json'));
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(`No previous run (${join(dir, 'none.json')} does not exist): nothing to compare with.`);
    const missing = run('--current', join(dir, 'absent.json'));
    expect([missing.status, missing.stdout, missing.stderr.trim()]).toEqual([2, '', `Cannot write the summary: ${join(dir, 'absent.json')} does not exist: the run wrote no checks (did it start?)`]);
  }, 30_000);
});
