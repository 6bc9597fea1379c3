/**
 * The self-test's fault runs, targeted: a run under a fault runs only the checks the fault declares
 * (their test files, and a name filter on their IDs), with the fault's own options and settings.
 * A declared check makes the shared fixture itself when it needs it, and no verdict may depend on
 * another check, so the targeted run proves exactly what the full run proved: each declared
 * check fails (or, in strict mode, warns). Collateral failures in other checks are not seen.
 */
import type { DefinedCheck } from '../support/coverage.ts';
import type { ChecksReport } from '../support/reporting/checks-reporter.ts';

export interface FaultSpec {
  catches: readonly string[];
  env?: Record<string, string>;
  args?: string[];
}

export interface FaultRunPlan {
  fault: string;
  /** The runner's arguments after scripts/run.ts (without --out). */
  args: string[];
  env: Record<string, string>;
}

/** A -t pattern that matches exactly the named checks (test names are "ID title", maybe after a describe's name). */
export function namePattern(ids: readonly string[]): string {
  return `(?:^| )(?:${[...new Set(ids)].sort().join('|')}) `;
}

export function planFaultRun(fault: string, spec: FaultSpec, checks: readonly DefinedCheck[]): FaultRunPlan {
  const files = [...new Set(checks.filter((c) => spec.catches.includes(c.id)).map((c) => c.file))].sort();
  return {
    fault,
    args: ['--strict', '--fault', fault, ...(spec.args ?? []), ...files, '-t', namePattern(spec.catches)],
    env: spec.env ?? {},
  };
}

export interface FaultRow {
  fault: string;
  declared: string[];
  failed: string[];
  /** Declared checks that could not run to their end (a timeout, a transport error): they caught nothing. */
  broken: string[];
  caught: boolean;
  missed: string[];
  exitCode: number;
}

/**
 * The kill-matrix row of one fault run: caught when the run failed and every declared check
 * reported a violation, a failed requirement or (the run is strict) a warning. A check that could
 * not run to its end has caught nothing.
 */
export function faultRow(fault: string, spec: FaultSpec, exitCode: number, report: ChecksReport | undefined): FaultRow {
  const checks = (report?.checks ?? []).filter((c) => c.id);
  const failed = checks.filter((c) => (c.status === 'FAILURE' && c.failure !== 'infrastructure') || c.status === 'WARNING').map((c) => c.id!).sort();
  const broken = checks.filter((c) => c.status === 'FAILURE' && c.failure === 'infrastructure').map((c) => c.id!).sort();
  const declared = [...spec.catches];
  const missed = declared.filter((id) => !failed.includes(id));
  return { fault, declared, failed, broken, caught: exitCode === 1 && missed.length === 0, missed, exitCode };
}

export interface FaultMatrixOptions<R extends { exitCode: number; report?: ChecksReport }> {
  faults: Readonly<Record<string, FaultSpec>>;
  /** The checks the test files define (support/coverage.ts checksInFolder). */
  checks: readonly DefinedCheck[];
  /** How many fault runs at a time. */
  width: number;
  /** The self-test's runSuite(name, args, env): one run of scripts/run.ts, with its ledger and leak scan. */
  runSuite: (name: string, args: string[], env: Record<string, string>) => Promise<R>;
  onRow?: (row: FaultRow, run: R) => void;
}

/** Runs every fault, `width` at a time, each targeted at its declared checks. */
export async function runFaultMatrix<R extends { exitCode: number; report?: ChecksReport }>(options: FaultMatrixOptions<R>): Promise<{ row: FaultRow; run: R }[]> {
  const names = Object.keys(options.faults);
  const results: { row: FaultRow; run: R }[] = new Array(names.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(options.width, names.length) }, async () => {
    while (next < names.length) {
      const index = next++;
      const fault = names[index];
      const spec = options.faults[fault];
      const plan = planFaultRun(fault, spec, options.checks);
      const run = await options.runSuite(`fault-${fault}`, plan.args, plan.env);
      const row = faultRow(fault, spec, run.exitCode, run.report);
      options.onRow?.(row, run);
      results[index] = { row, run };
    }
  }));
  return results;
}
