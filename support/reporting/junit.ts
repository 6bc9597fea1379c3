/**
 * JUnit XML from the verdicts, for CI: one testcase per check (classname = catalog area,
 * name = "ID title"), a test suite per area. A violated requirement is a <failure>, a check that
 * could not be checked (transport, timeout, browser) an <error>, a skip carries its reason; warnings,
 * notes, reviews and expected failures pass, with their text in <system-out> and <properties>.
 * Every text is redacted again on the way out.
 */
import { redact } from '../secrets.ts';
import { areaName } from './areas.ts';
import type { CheckResult, ChecksReport } from './checks-reporter.ts';

interface Counts {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
  time: string;
}

export function junitXml(report: ChecksReport): string {
  const suites = new Map<string, CheckResult[]>();
  for (const check of report.checks) {
    const area = check.id ? areaName(check.id) : check.file;
    suites.set(area, [...(suites.get(area) ?? []), check]);
  }
  const errors = report.summary.errors;
  const body = [
    ...[...suites].map(([area, checks]) =>
      element('testsuite', { name: area, ...counts(checks) }, checks.map((c) => testcase(area, c)))),
    ...(errors.length
      ? [element('testsuite', { name: 'errors outside any check', tests: errors.length, failures: 0, errors: errors.length, skipped: 0, time: '0' },
          errors.map((e, i) => element('testcase', { classname: 'run', name: `error ${i + 1}` }, [element('error', { message: firstLine(e) }, escape(e))])))]
      : []),
  ];
  const all = counts(report.checks);
  const root = element('testsuites', {
    name: `pleo-oauth-conformance ${report.summary.env}`,
    ...all,
    errors: all.errors + errors.length,
    tests: all.tests + errors.length,
    timestamp: report.finishedAt,
  }, body);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`;
}

function testcase(area: string, c: CheckResult): string {
  const properties = [
    ['status', c.status],
    ['level', c.level],
    ['clauses', c.refs?.join(' ')],
    ['expected', c.expected && `${c.expected.as}: ${c.expected.reason}`],
    ['fixed', c.fixed && 'listed in the expected-failures file, but it passes now: remove it from the list'],
  ].filter((p): p is [string, string] => !!p[1]);
  const children = [element('properties', {}, properties.map(([name, value]) => element('property', { name, value })))];
  const [first = '', ...rest] = c.details;
  if (c.status === 'FAILURE') {
    children.push(element(c.failure === 'infrastructure' ? 'error' : 'failure', { message: firstLine(first) }, escape(c.details.join('\n\n'))));
  } else if (c.status === 'SKIPPED') {
    children.push(element('skipped', { message: first }));
    if (rest.length) children.push(element('system-out', {}, escape(rest.join('\n'))));
  } else {
    const out = [
      ...(c.expected ? [`expected ${c.expected.as}: ${c.expected.reason}`] : []),
      ...(c.fixed ? ['fixed: listed in the expected-failures file, but it passes now; remove it from the list'] : []),
      ...c.details,
    ];
    if (out.length) children.push(element('system-out', {}, escape(out.join('\n'))));
  }
  return element('testcase', { classname: area, name: c.name, time: seconds(c.durationMs) }, children);
}

function counts(checks: CheckResult[]): Counts {
  const failed = checks.filter((c) => c.status === 'FAILURE');
  return {
    tests: checks.length,
    failures: failed.filter((c) => c.failure !== 'infrastructure').length,
    errors: failed.filter((c) => c.failure === 'infrastructure').length,
    skipped: checks.filter((c) => c.status === 'SKIPPED').length,
    time: seconds(checks.reduce((sum, c) => sum + c.durationMs, 0)),
  };
}

function element(name: string, attributes: Record<string, string | number>, children: string | string[] = []): string {
  const attrs = Object.entries(attributes).map(([k, v]) => ` ${k}="${escapeAttribute(String(v))}"`).join('');
  const content = Array.isArray(children) ? children.join('\n') : children;
  if (!content) return `<${name}${attrs}/>`;
  return Array.isArray(children) ? `<${name}${attrs}>\n${content}\n</${name}>` : `<${name}${attrs}>${content}</${name}>`;
}

/** Text content: redacted, without the characters XML 1.0 cannot hold, markup escaped. */
function escape(value: string): string {
  return redact(value)
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function escapeAttribute(value: string): string {
  return escape(value).replace(/"/g, '&quot;');
}

function firstLine(message: string): string {
  return message.split('\n')[0];
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
