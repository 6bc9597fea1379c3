import { beforeEach, describe, expect, it } from 'vitest';
import type { CheckResult, ChecksReport } from '../../support/reporting/checks-reporter.ts';
import { junitXml } from '../../support/reporting/junit.ts';
import { summarize } from '../../support/reporting/run-outcome.ts';
import { clearSecretsForTesting, registerSecret } from '../../support/secrets.ts';

const check = (id: string, status: CheckResult['status'], extra: Partial<CheckResult> = {}): CheckResult => ({
  id, title: 'a title', level: 'MUST', refs: ['RFC6749-5.2', 'RFC7636-4.6'], name: `${id} a title`, file: 'tests/x.test.ts', status, details: [], durationMs: 1500, ...extra,
});
const xmlOf = (checks: CheckResult[], errors: string[] = []) => {
  const report: ChecksReport = { summary: summarize('local', checks, errors), strict: false, outcome: 'passed', target: {}, finishedAt: '2026-01-01T00:00:00.000Z', checks };
  return junitXml(report);
};
/** The <testcase> element of `id`. */
const testcase = (xml: string, id: string) => new RegExp(`<testcase [^>]*name="${id} [^"]*"[\\s\\S]*?</testcase>`).exec(xml)?.[0] ?? '';

beforeEach(() => clearSecretsForTesting());

describe('junitXml', () => {
  it('one testcase per check: classname the area, name "ID title", with status, level and clauses as properties', () => {
    const xml = xmlOf([check('PK-03', 'SUCCESS')]);
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="pleo-oauth-conformance local" tests="1" failures="0" errors="0" skipped="0" time="1.500"/);
    expect(xml).toContain('<testsuite name="PKCE" tests="1" failures="0" errors="0" skipped="0" time="1.500">');
    expect(testcase(xml, 'PK-03')).toBe([
      '<testcase classname="PKCE" name="PK-03 a title" time="1.500">',
      '<properties>',
      '<property name="status" value="SUCCESS"/>',
      '<property name="level" value="MUST"/>',
      '<property name="clauses" value="RFC6749-5.2 RFC7636-4.6"/>',
      '</properties>',
      '</testcase>',
    ].join('\n'));
  });

  it('a violated requirement is a <failure>, an infrastructure error an <error>, each with its message', () => {
    const xml = xmlOf([
      check('TK-04', 'FAILURE', { failure: 'assertion', details: ['a code must be single-use\n  expected: 400\n  actual:   200', 'warning: w'] }),
      check('TK-01', 'FAILURE', { failure: 'infrastructure', details: ['fetch failed'] }),
    ]);
    expect(testcase(xml, 'TK-04')).toContain('<failure message="a code must be single-use">a code must be single-use\n  expected: 400\n  actual:   200\n\nwarning: w</failure>');
    expect(testcase(xml, 'TK-01')).toContain('<error message="fetch failed">fetch failed</error>');
    expect(xml).toContain('<testsuite name="Token endpoint" tests="2" failures="1" errors="1" skipped="0"');
  });

  it('a skip carries its reason', () => {
    expect(testcase(xmlOf([check('AK-01', 'SKIPPED', { details: ['PLEO_API_KEY is not set'] })]), 'AK-01')).toContain('<skipped message="PLEO_API_KEY is not set"/>');
  });

  it('warnings, INFO, REVIEW and EXPECTED pass, with their text in <system-out>', () => {
    const xml = xmlOf([
      check('SC-06', 'WARNING', { level: 'SHOULD', details: ['must answer 403', 'info: n'] }),
      check('MD-01', 'INFO', { level: 'INFO', details: ['codes live 600 s'] }),
      check('AZ-05', 'REVIEW', { details: ['judge the error page'] }),
      check('CA-03', 'EXPECTED', { failure: 'assertion', details: ['answers 400'], expected: { as: 'FAILURE', reason: 'ticket 7' } }),
    ]);
    expect(xml).not.toMatch(/<failure|<error|<skipped/);
    expect(testcase(xml, 'SC-06')).toContain('<system-out>must answer 403\ninfo: n</system-out>');
    expect(testcase(xml, 'MD-01')).toContain('<system-out>codes live 600 s</system-out>');
    expect(testcase(xml, 'AZ-05')).toContain('<property name="status" value="REVIEW"/>');
    expect(testcase(xml, 'CA-03')).toContain('<property name="expected" value="FAILURE: ticket 7"/>');
    expect(testcase(xml, 'CA-03')).toContain('<system-out>expected FAILURE: ticket 7\nanswers 400</system-out>');
  });

  it('a fixed entry says so', () => {
    const xml = xmlOf([check('CA-03', 'SUCCESS', { fixed: true, expected: { as: 'FAILURE', reason: 'old' } })]);
    expect(testcase(xml, 'CA-03')).toContain('<property name="fixed" value="listed in the expected-failures file, but it passes now: remove it from the list"/>');
  });

  it('errors outside any check are errors of their own suite', () => {
    const xml = xmlOf([check('PK-03', 'SUCCESS')], ['tests/x.test.ts: boom']);
    expect(xml).toContain('<testsuite name="errors outside any check" tests="1" failures="0" errors="1" skipped="0" time="0">');
    expect(xml).toContain('<error message="tests/x.test.ts: boom">tests/x.test.ts: boom</error>');
    expect(xml).toMatch(/<testsuites [^>]* tests="2" failures="0" errors="1"/);
  });

  it('escapes markup, drops characters XML cannot hold, and redacts every text again', () => {
    registerSecret('s3cr3t-value', 'client_secret');
    const xml = xmlOf([check('CA-01', 'FAILURE', { failure: 'assertion', name: 'CA-01 "quoted" <b> & s3cr3t-value', details: ['got <html> & "s3cr3t-value"\u0007'] })]);
    expect(xml).toContain('name="CA-01 &quot;quoted&quot; &lt;b&gt; &amp; [REDACTED:client_secret]"');
    expect(xml).toContain('>got &lt;html&gt; &amp; "[REDACTED:client_secret]"</failure>');
    expect(xml).not.toContain('s3cr3t-value');
    expect(xml).not.toContain('\u0007');
  });
});
