/**
 * The outcome of a run: the counts of the summary line, the skips grouped by reason, and the
 * decision whether the run failed (the runner's exit code 1).
 */
import type { CheckResult, ChecksReport, Status } from './checks-reporter.ts';
import { isOptInSkip } from '../opt-in.ts';
import { authorizationCount, budgetLines, type AuthorizationCount } from './code-budget.ts';

export interface RunSummary {
  /** The target label. */
  env: string;
  /** SUCCESS and INFO. */
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
  expected: number;
  review: number;
  /** Identical skip reasons grouped, the most frequent first. */
  skipReasons: { reason: string; count: number }[];
  /** Checks listed in the expected-failures file that pass now. */
  fixed: string[];
  /** Errors outside any check (a file that failed to load, an unhandled rejection). */
  errors: string[];
  /** Browser authorizations the checks spent, and the code budget (a design target, never a failure). */
  authorizations: AuthorizationCount;
}

export function summarize(env: string, checks: CheckResult[], errors: string[]): RunSummary {
  const count = (...statuses: Status[]) => checks.filter((c) => statuses.includes(c.status)).length;
  return {
    env,
    passed: count('SUCCESS', 'INFO'),
    failed: count('FAILURE'),
    warnings: count('WARNING'),
    skipped: count('SKIPPED'),
    expected: count('EXPECTED'),
    review: count('REVIEW'),
    skipReasons: skipReasons(checks),
    fixed: checks.filter((c) => c.fixed).map((c) => c.id ?? c.name),
    errors,
    authorizations: authorizationCount(checks),
  };
}

function skipReasons(checks: CheckResult[]): RunSummary['skipReasons'] {
  const counts = new Map<string, number>();
  for (const c of checks) {
    if (c.status !== 'SKIPPED') continue;
    const reason = c.details[0] ?? '(no reason given)';
    counts.set(reason, (counts.get(reason) ?? 0) + 1);
  }
  return [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
}

export function summaryLine(s: RunSummary): string {
  return `${s.env}: ${s.passed} passed, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped, ${s.expected} expected, ${s.review} review`;
}

/**
 * MUST checks that were skipped and are not listed as expected skips: each fails a strict run.
 * An opt-in check the run left out (no --slow, no --destructive) is the run's choice, not one.
 */
export function unexpectedMustSkips(checks: CheckResult[]): CheckResult[] {
  return checks.filter((c) => c.status === 'SKIPPED' && c.level === 'MUST' && !c.expected && !c.optIn && !isOptInSkip(c.details[0]));
}

/**
 * Whether the run failed: no check ran, an error outside any check, or an unexpected FAILURE.
 * With `strict` also a warning, a fixed entry of the expected-failures file, or a skipped MUST
 * check that the file does not list. EXPECTED and REVIEW never fail the run.
 */
export function runFailed(report: Pick<ChecksReport, 'summary' | 'checks'>, { strict }: { strict: boolean }): boolean {
  const { summary, checks } = report;
  if (checks.length === 0 || summary.errors.length > 0 || summary.failed > 0) return true;
  return strict && (summary.warnings > 0 || summary.fixed.length > 0 || unexpectedMustSkips(checks).length > 0);
}

/** The lines that end the run's output, the summary line last. */
export function closingLines(report: ChecksReport, { reports }: { reports: string[] }): { text: string; error?: true }[] {
  const { summary, checks, strict } = report;
  const file = report.expectedFailuresFile ?? 'the expected-failures file';
  return [
    ...(checks.length === 0 ? [{ text: 'No check ran: the filters matched nothing.', error: true as const }] : []),
    ...summary.errors.map((e) => ({ text: `error outside any check: ${e}`, error: true as const })),
    { text: `Reports: ${reports.join(', ')}` },
    ...(summary.skipReasons.length ? [{ text: `skipped: ${summary.skipReasons.map((s) => `${s.count} × ${s.reason}`).join(', ')}` }] : []),
    ...summary.fixed.map((id) => ({ text: `fixed: ${id} passes now: remove it from ${file}${strict ? ' (strict: this fails the run)' : ''}` })),
    ...(strict ? unexpectedMustSkips(checks).map((c) => ({ text: `strict: ${c.id ?? c.name} (MUST) was skipped and ${file} does not list it as SKIPPED` })) : []),
    ...budgetLines(summary.authorizations),
    { text: summaryLine(summary) },
  ];
}
