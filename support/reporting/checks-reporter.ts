/**
 * A Vitest reporter that turns test results into check verdicts. At the end of the run it
 * applies the target's expected failures, writes `checks.json` and the JUnit XML, adds the
 * verdicts to the Allure results, and prints the closing lines, the summary line last.
 * The runner asks `runFailed()` for its exit code.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import type { Reporter, SerializedError, TestCase, TestModule } from 'vitest/node';
import type { CheckRecord } from '../check.ts';
import { redact } from '../secrets.ts';
import { finishAllureResults } from './allure-results.ts';
import { applyExpectedFailures, type Expectable, type ExpectedFailures } from './expected-failures.ts';
import { junitXml } from './junit.ts';
import { closingLines, runFailed, summarize, type RunSummary } from './run-outcome.ts';

/**
 * SUCCESS passed; FAILURE failed; WARNING passed with a violated SHOULD; SKIPPED could not run;
 * INFO an INFO-level check that recorded observations; REVIEW passed but a human must judge;
 * EXPECTED a failure or warning that the target's expected-failures file lists.
 */
export type Status = 'SUCCESS' | 'FAILURE' | 'WARNING' | 'SKIPPED' | 'INFO' | 'REVIEW' | 'EXPECTED';

export interface CheckResult extends Partial<CheckRecord> {
  name: string;
  file: string;
  status: Status;
  /**
   * All redacted: first the messages of the status itself (failure messages, warnings, the skip
   * reason, review or INFO notes), then the other annotations prefixed `warning:`, `review:`, `info:`.
   */
  details: string[];
  /** FAILURE only: a violated requirement (a CheckFailure) or the suite could not check (transport, timeout, browser). */
  failure?: 'assertion' | 'infrastructure';
  /** The expected-failures entry that lists this check (EXPECTED, an expected skip, or fixed). */
  expected?: { as: Expectable; reason: string };
  /** Listed in the expected-failures file, but it passes now: remove it from the list. */
  fixed?: true;
  durationMs: number;
  /** Browser authorizations the check started (support/reporting/code-budget.ts); always set by verdictOf. */
  authorizations?: number;
}

export interface ChecksReport {
  summary: RunSummary;
  strict: boolean;
  /** 'failed' exactly when runFailed() says so (the runner's exit code 1). */
  outcome: 'passed' | 'failed';
  target: Record<string, string>;
  /** The expected-failures file that applied (it may not exist: then nothing was expected). */
  expectedFailuresFile?: string;
  finishedAt: string;
  checks: CheckResult[];
}

const ANNOTATION_KINDS = ['warning', 'review', 'info'] as const;
type AnnotationKind = (typeof ANNOTATION_KINDS)[number];
const OWN_KIND: Partial<Record<Status, AnnotationKind>> = { WARNING: 'warning', REVIEW: 'review', INFO: 'info' };
/** Errors that mean "the target violates a requirement"; any other error means the suite could not check. */
const ASSERTION_ERRORS = /^(CheckFailure|AssertionError)$/;

export function verdictOf(test: TestCase): CheckResult | undefined {
  const result = test.result();
  const check = test.meta().check;
  const annotations = test.annotations();
  const byKind = (kind: AnnotationKind) => annotations.filter((a) => a.type === kind).map((a) => a.message);
  let status: Status;
  let own: string[];
  let failure: CheckResult['failure'];
  if (result.state === 'failed') {
    const errors = result.errors ?? [];
    status = 'FAILURE';
    own = errors.map((e) => e.message);
    failure = errors.length > 0 && errors.every((e) => ASSERTION_ERRORS.test(e.name ?? '')) ? 'assertion' : 'infrastructure';
  } else if (result.state === 'skipped') {
    if (!result.note) return undefined; // filtered out by -t or a file filter: not a verdict
    status = 'SKIPPED';
    own = [result.note];
  } else if (result.state === 'passed') {
    if (byKind('warning').length) status = 'WARNING';
    else if (byKind('review').length) status = 'REVIEW';
    else if (check?.level === 'INFO' && byKind('info').length) status = 'INFO';
    else status = 'SUCCESS';
    const kind = OWN_KIND[status];
    own = kind ? byKind(kind) : [];
  } else {
    return undefined;
  }
  const others = ANNOTATION_KINDS.filter((kind) => kind !== OWN_KIND[status]).flatMap((kind) => byKind(kind).map((m) => `${kind}: ${m}`));
  return {
    ...check,
    name: test.name,
    file: test.module.relativeModuleId,
    status,
    details: [...own, ...others].map(redact),
    ...(failure && { failure }),
    durationMs: Math.round(test.diagnostic()?.duration ?? 0),
    authorizations: test.meta().authorizations ?? 0,
  };
}

export interface ChecksReporterOptions {
  /** The target label: 'local', 'local[fault]', 'node-oauth' or the env name. */
  env: string;
  /** Where checks.json goes. */
  outputFile: string;
  /** Where the JUnit XML goes (none if absent). */
  junitFile?: string;
  /** The Allure results folder, to which the verdicts are added at the end of the run. */
  allureDir?: string;
  strict: boolean;
  target: Record<string, string>;
  expectedFailures?: ExpectedFailures;
  print?: (line: string) => void;
  printError?: (line: string) => void;
}

export class ChecksReporter implements Reporter {
  report: ChecksReport | undefined;

  constructor(private readonly options: ChecksReporterOptions) {}

  onTestRunEnd(modules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<SerializedError>): void {
    const { env, outputFile, junitFile, allureDir, strict, target, expectedFailures } = this.options;
    const verdicts = modules.flatMap((m) => [...m.children.allTests()].map(verdictOf).filter((c): c is CheckResult => c !== undefined));
    const checks = expectedFailures ? applyExpectedFailures(verdicts, expectedFailures) : verdicts;
    const errors = [
      ...unhandledErrors.map((e) => e.message),
      ...modules.flatMap((m) => m.errors().map((e) => `${m.relativeModuleId}: ${e.message}`)),
    ].map(redact);
    const summary = summarize(env, checks, errors);
    const report: ChecksReport = {
      summary,
      strict,
      outcome: runFailed({ summary, checks }, { strict }) ? 'failed' : 'passed',
      target,
      expectedFailuresFile: expectedFailures?.file,
      finishedAt: new Date().toISOString(),
      checks,
    };
    this.report = report;
    write(outputFile, `${JSON.stringify(report, null, 2)}\n`);
    if (junitFile) write(junitFile, junitXml(report));
    if (allureDir) finishAllureResults(allureDir, checks, { expectedFailuresFile: expectedFailures?.file });

    const shown = (path: string) => relative(process.cwd(), path) || '.';
    const reports = [outputFile, junitFile].filter((f): f is string => !!f).map(shown);
    if (allureDir) reports.push(`${shown(allureDir)}/ (npm run report builds the HTML)`);
    const print = this.options.print ?? console.log;
    const printError = this.options.printError ?? console.error;
    print('');
    for (const line of closingLines(report, { reports })) (line.error ? printError : print)(line.text);
  }
}

function write(file: string, content: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
}
