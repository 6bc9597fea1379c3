/**
 * The verdicts in the Allure results, added at the end of the run by rewriting each
 * `*-result.json`. Post-processing, not the runtime API, because the final verdict exists only
 * then (expected failures are applied to the whole run) and because allure-js cannot give a
 * passed test a status message. Each result gets:
 * - its status: FAILURE → failed (a violated requirement) or broken (the suite could not check),
 *   an expected FAILURE the same but `known` (Allure's "accepted"), REVIEW → unknown,
 *   SKIPPED → skipped, others (an expected WARNING too) → passed;
 * - a status message: the failure, warnings, skip reason, review and INFO notes, the expected-failures entry
 *   (also as the description where Allure does not show the message: passed and unknown results);
 * - a `verdict` label (and `fixed`), which the categories of allurerc.mjs sort on;
 * - its severity in this run: a PROFILE check that fails is critical like a MUST.
 * `writeRunContext` adds the run's context (target, profile, strictness, versions) as environment.properties.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Label, StatusDetails, TestResult } from 'allure-js-commons';
import { redact } from '../secrets.ts';
import type { CheckResult } from './checks-reporter.ts';

type AllureStatus = 'passed' | 'failed' | 'broken' | 'skipped' | 'unknown';
/** A result file as far as it is rewritten here: the format also knows status "unknown" and `known` (accepted) failures. */
export type ResultFile = Omit<TestResult, 'status' | 'statusDetails'> & { status?: AllureStatus; statusDetails: StatusDetails & { known?: boolean } };

export function allureStatus(check: CheckResult): AllureStatus {
  const failed = check.failure === 'infrastructure' ? 'broken' : 'failed';
  switch (check.status) {
    case 'FAILURE': return failed;
    case 'EXPECTED': return check.expected?.as === 'FAILURE' ? failed : 'passed';
    case 'REVIEW': return 'unknown';
    case 'SKIPPED': return 'skipped';
    default: return 'passed';
  }
}

/** The severity the check has in this run: a failing PROFILE check is critical, one that passes or only warns is normal. */
export function severityOf(check: CheckResult): string | undefined {
  switch (check.level) {
    case 'MUST': return 'critical';
    case 'PROFILE': return check.status === 'FAILURE' || (check.status === 'EXPECTED' && check.expected?.as === 'FAILURE') ? 'critical' : 'normal';
    case 'SHOULD': return 'normal';
    case 'INFO': return 'trivial';
    default: return undefined;
  }
}

export function statusMessage(check: CheckResult, expectedFailuresFile = 'the expected-failures file'): string | undefined {
  const { expected } = check;
  const lines = [
    ...(expected && check.status === 'EXPECTED' ? [`Expected ${expected.as} (${expectedFailuresFile}): ${expected.reason}`] : []),
    ...(expected && check.status === 'SKIPPED' ? [`Expected skip (${expectedFailuresFile}): ${expected.reason}`] : []),
    ...(check.fixed ? [`Fixed: ${expectedFailuresFile} lists this check${expected ? ` as ${expected.as} (${expected.reason})` : ''}, but it passes now. Remove it from the list.`] : []),
    ...check.details,
  ];
  return lines.length ? redact(lines.join('\n')) : undefined;
}

/** Rewrites every result of `allureDir` that belongs to one of `checks` with its verdict. */
export function finishAllureResults(allureDir: string, checks: CheckResult[], options: { expectedFailuresFile?: string } = {}): void {
  if (!existsSync(allureDir)) return;
  const byId = new Map(checks.filter((c) => c.id).map((c) => [c.id, c]));
  for (const file of readdirSync(allureDir).filter((f) => f.endsWith('-result.json'))) {
    const path = join(allureDir, file);
    const result = JSON.parse(readFileSync(path, 'utf8')) as ResultFile;
    const id = result.labels?.find((l) => l.name === 'checkId')?.value;
    const check = (id && byId.get(id)) || checks.find((c) => c.name === result.name);
    if (!check) continue;
    writeFileSync(path, JSON.stringify(withVerdict(result, check, options.expectedFailuresFile)));
  }
}

export function withVerdict(result: ResultFile, check: CheckResult, expectedFailuresFile?: string): ResultFile {
  const status = allureStatus(check);
  const severity = severityOf(check);
  const failed = status === 'failed' || status === 'broken';
  // A failure keeps what the test framework recorded (trace, expected and actual values).
  const recorded = failed ? Object.entries(result.statusDetails ?? {}).filter(([key, value]) => key !== 'message' && typeof value === 'string') : [];
  const message = statusMessage(check, expectedFailuresFile);
  const statusDetails = {
    ...Object.fromEntries(recorded.map(([key, value]) => [key, redact(value as string)])),
    ...(message && { message }),
    // An expected failure is a known one: Allure shows it as "accepted" and leaves it out of its statistics.
    ...(failed && check.status === 'EXPECTED' && { known: true }),
  };
  const labels: Label[] = [
    ...(result.labels ?? []).filter((l) => !(severity && l.name === 'severity') && l.name !== 'verdict' && l.name !== 'fixed'),
    ...(severity ? [{ name: 'severity', value: severity }] : []),
    { name: 'verdict', value: check.status },
    ...(check.fixed ? [{ name: 'fixed', value: 'true' }] : []),
  ];
  // Allure shows a status message only for failed and skipped results: the others get it as their description.
  const description = message && (status === 'passed' || status === 'unknown')
    ? [verdictDescription(check, message), result.description].filter(Boolean).join('\n\n')
    : result.description;
  return { ...result, status, statusDetails, labels, ...(description && { description }) };
}

/** Markdown: the verdict, then the message verbatim in a code fence longer than any backtick run in it. */
function verdictDescription(check: CheckResult, message: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...message.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `**Verdict: ${check.status}${check.fixed ? ' (fixed)' : ''}**\n\n${fence}text\n${message}\n${fence}`;
}

/**
 * Writes the run's context (target label, URLs, env, profile, strictness, suite and browser
 * versions, optional features) where Allure shows it: environment.properties of the results.
 */
export function writeRunContext(allureDir: string, context: Record<string, string>): void {
  mkdirSync(allureDir, { recursive: true });
  const lines = Object.entries(context).map(([key, value]) => `${escapeProperty(key, true)}=${escapeProperty(redact(value), false)}`);
  writeFileSync(join(allureDir, 'environment.properties'), `${lines.join('\n')}\n`);
}

/** java.util.Properties escaping (what Allure reads): backslashes, line breaks, separators in keys, a leading space in values. */
function escapeProperty(text: string, isKey: boolean): string {
  const escaped = text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t');
  return isKey ? escaped.replace(/[ =:#!]/g, (c) => `\\${c}`) : escaped.replace(/^[ #!]/, (c) => `\\${c}`);
}
