/**
 * A Vitest reporter that turns test results into check verdicts: it writes `checks.json`
 * (one record per check, with status SUCCESS, FAILURE, WARNING or SKIPPED) and prints the run's
 * one-line summary. The runner reads the verdicts to choose its exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CheckRecord } from '../check.ts';
import { redact } from '../secrets.ts';

export type Status = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED';

export interface CheckResult extends Partial<CheckRecord> {
  name: string;
  file: string;
  status: Status;
  /** Failure messages, warnings, or the reason for a skip; all redacted. */
  details: string[];
  durationMs: number;
}

export interface RunSummary {
  env: string;
  passed: number;
  failed: number;
  warnings: number;
  skipped: number;
  /** Errors outside any check (a file that failed to load, an unhandled rejection). */
  errors: string[];
}

export interface ChecksReport {
  summary: RunSummary;
  strict: boolean;
  target: Record<string, string>;
  finishedAt: string;
  checks: CheckResult[];
}

export function verdictOf(test: TestCase): CheckResult | undefined {
  const result = test.result();
  const annotations = test.annotations();
  const warnings = annotations.filter((a) => a.type === 'warning').map((a) => a.message);
  const notes = annotations.filter((a) => a.type === 'info').map((a) => `info: ${a.message}`);
  let status: Status;
  let details: string[];
  if (result.state === 'failed') {
    status = 'FAILURE';
    details = (result.errors ?? []).map((e) => e.message);
  } else if (result.state === 'skipped') {
    if (!result.note) return undefined; // filtered out by -t or a file filter: not a verdict
    status = 'SKIPPED';
    details = [result.note];
  } else if (result.state === 'passed') {
    status = warnings.length ? 'WARNING' : 'SUCCESS';
    details = warnings;
  } else {
    return undefined;
  }
  return {
    ...test.meta().check,
    name: test.name,
    file: test.module.relativeModuleId,
    status,
    details: [...details, ...notes].map(redact),
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
  };
}

export function summarize(env: string, checks: CheckResult[], errors: string[]): RunSummary {
  const count = (status: Status) => checks.filter((c) => c.status === status).length;
  return { env, passed: count('SUCCESS'), failed: count('FAILURE'), warnings: count('WARNING'), skipped: count('SKIPPED'), errors };
}

export function summaryLine(s: RunSummary): string {
  return `${s.env}: ${s.passed} passed, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped`;
}

export class ChecksReporter implements Reporter {
  report: ChecksReport | undefined;

  constructor(private readonly options: { env: string; outputFile: string; strict: boolean; target: Record<string, string>; print?: (line: string) => void }) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const checks = modules.flatMap((m) => [...m.children.allTests()].map(verdictOf).filter((c): c is CheckResult => c !== undefined));
    const errors = [
      ...unhandledErrors.map((e) => e.message),
      ...modules.flatMap((m) => m.errors().map((e) => `${m.relativeModuleId}: ${e.message}`)),
    ].map(redact);
    this.report = {
      summary: summarize(this.options.env, checks, errors),
      strict: this.options.strict,
      target: this.options.target,
      finishedAt: new Date().toISOString(),
      checks,
    };
    mkdirSync(dirname(this.options.outputFile), { recursive: true });
    writeFileSync(this.options.outputFile, `${JSON.stringify(this.report, null, 2)}\n`);
    (this.options.print ?? console.log)(`\n${summaryLine(this.report.summary)}`);
  }
}
