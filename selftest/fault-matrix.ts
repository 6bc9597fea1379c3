/**
 * The self-test's kill matrix, warm: every fault gets its own stand-in and its own copy of the suite,
 * narrowed to the checks the fault declares, and all the copies run in a few Vitest runs that share
 * their workers (Vitest, Playwright and undici load once per worker, not once per fault) and one
 * browser (each copy connects and opens its own contexts).
 *
 * A copy is `.matrix/<fault>/` with links to tests/, support/ and the rest of the project; Vitest
 * keeps linked paths apart (resolve.preserveSymlinks), so each copy has its own modules and state,
 * and finds its target under its own folder (support/run/handover.ts). No verdict may depend on
 * another check, so a copy that runs only the declared checks proves what a full run would: each
 * declared check fails (or, strict, warns). The preflight is not run: a fault it caught would end a
 * run with exit 2, which catches nothing.
 */
import { createWriteStream, mkdirSync, rmSync, symlinkSync, writeFileSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import type { FaultInfo } from '../fixtures/stand-in/faults.ts';
import type { Certificate } from '../fixtures/stand-in/tls.ts';
import type { DefinedCheck } from '../support/coverage.ts';
import type { CheckResult } from '../support/reporting/checks-reporter.ts';
import type { SuiteCopy } from '../support/run/handover.ts';

/** What the matrix reads of a fault's declaration (fixtures/stand-in/faults.ts). */
export type FaultSpec = Pick<FaultInfo, 'catches' | 'env' | 'args' | 'https' | 'verdict'>;

export interface FaultRunPlan {
  fault: string;
  https: boolean;
  /** The runner's options (scripts/run.ts) for the run: strict, the fault, and the fault's own. */
  args: string[];
  /** The test files of the declared checks, relative to the project. */
  files: string[];
  /** Settings of the run (the target profile, the stand-in's lifetimes). */
  env: Record<string, string>;
}

export function planFaultRun(fault: string, spec: FaultSpec, checks: readonly DefinedCheck[]): FaultRunPlan {
  return {
    fault,
    https: spec.https ?? false,
    args: ['--strict', '--fault', fault, ...(spec.args ?? [])],
    files: [...new Set(checks.filter((c) => spec.catches.includes(c.id)).map((c) => c.file))].sort(),
    env: spec.env ?? {},
  };
}

export interface FaultRow {
  fault: string;
  declared: string[];
  failed: string[];
  /** Declared checks that could not run to their end (a timeout, a transport error): they caught nothing. */
  broken: string[];
  /** Declared checks that failed where the fault breaks only a SHOULD (`verdict: 'warning'`): the wrong level. */
  wrongLevel: string[];
  caught: boolean;
  missed: string[];
  /** Why the fault's run could not start, if it could not. */
  error?: string;
}

/**
 * The kill-matrix row of one fault: caught when every declared check reported a violation, a failed
 * requirement or (the run is strict) a warning; for a fault that breaks only a SHOULD, a warning and
 * nothing worse. A check that could not run to its end caught nothing.
 */
export function faultRow(fault: string, spec: FaultSpec, checks: readonly Pick<CheckResult, 'id' | 'status' | 'failure'>[], error?: string): FaultRow {
  const withId = checks.filter((c) => c.id);
  const failed = withId.filter((c) => (c.status === 'FAILURE' && c.failure !== 'infrastructure') || c.status === 'WARNING').map((c) => c.id!).sort();
  const broken = withId.filter((c) => c.status === 'FAILURE' && c.failure === 'infrastructure').map((c) => c.id!).sort();
  const declared = [...spec.catches];
  const missed = declared.filter((id) => !failed.includes(id));
  const wrongLevel = spec.verdict === 'warning'
    ? withId.filter((c) => c.status === 'FAILURE' && c.failure !== 'infrastructure' && declared.includes(c.id!)).map((c) => c.id!).sort()
    : [];
  return { fault, declared, failed, broken, wrongLevel, caught: !error && missed.length === 0 && wrongLevel.length === 0, missed, ...(error && { error }) };
}

/** The fault a check result belongs to, from its file's path in the fault's copy. */
export function faultOfFile(file: string): string | undefined {
  return /(?:^|\/)\.matrix\/([^/]+)\/tests\//.exec(file)?.[1];
}

/** Splits a list into runs of at most `size`. */
export function batches<T>(items: readonly T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/** What a copy of the suite links to: the checks, their library, and what that library reads. */
const COPY_LINKS = ['tests', 'support', 'fixtures', 'playwright.config.ts', 'package.json'];

/** Makes `.matrix/<fault>/`, the fault's copy of the suite; returns its folder, with a trailing slash. */
export function makeCopy(projectDir: string, fault: string): string {
  const folder = join(projectDir, '.matrix', fault);
  mkdirSync(folder, { recursive: true });
  for (const entry of COPY_LINKS) symlinkSync(join('..', '..', entry), join(folder, entry));
  return `${folder}/`;
}

export interface FaultMatrixOptions {
  projectDir: string;
  faults: Readonly<Record<string, FaultSpec>>;
  /** The checks the test files define (support/coverage.ts checksInFolder). */
  checks: readonly DefinedCheck[];
  /** Where the matrix writes its console log, Allure results, checks reports and the stand-ins' ledger. */
  outDir: string;
  /** Vitest workers. */
  workers: number;
  /** Faults per Vitest run: their stand-ins all run at once. */
  batchSize: number;
  onRow?: (row: FaultRow) => void;
}

export interface FaultMatrixResult {
  rows: FaultRow[];
  /** The files the leak scan must read, and the ledger of every secret the stand-ins issued. */
  artifacts: string[];
  ledgerFile: string;
  seconds: number;
}

export async function runFaultMatrix(options: FaultMatrixOptions): Promise<FaultMatrixResult> {
  const started = performance.now();
  const { projectDir, outDir } = options;
  const copiesDir = join(projectDir, '.matrix');
  rmSync(copiesDir, { recursive: true, force: true });
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const ledgerFile = join(outDir, 'ledger.txt');
  const log = createWriteStream(join(outDir, 'console.log'));
  // One certificate for every https stand-in, trusted from the start by the checks' workers (Node
  // reads NODE_EXTRA_CA_CERTS only when a process starts) and by the browser (its keys).
  const [{ BrowserServer }, { selfSignedCertificate }, { spkiHashes }] = await Promise.all([
    import('./browser-server.ts'), import('../fixtures/stand-in/tls.ts'), import('../support/extra-ca.ts'),
  ]);
  // Made only when a fault needs it (a run narrowed to a few faults often does not).
  const certificate = Object.values(options.faults).some((spec) => spec.https) ? await selfSignedCertificate() : undefined;
  const trustedBefore = process.env.NODE_EXTRA_CA_CERTS;
  if (certificate) {
    const certificateFile = join(outDir, 'certificate.pem');
    writeFileSync(certificateFile, certificate.cert);
    process.env.NODE_EXTRA_CA_CERTS = certificateFile;
  }
  const browser = await BrowserServer.start(certificate ? spkiHashes(certificate.cert) : []);
  const rows: FaultRow[] = [];
  try {
    const plans = Object.entries(options.faults).map(([fault, spec]) => planFaultRun(fault, spec, options.checks));
    for (const [index, batch] of batches(plans, options.batchSize).entries()) {
      const batchRows = await runBatch(batch, { ...options, ledgerFile, log, certificate, wsEndpoint: browser.wsEndpoint, name: `batch-${index + 1}` });
      for (const row of batchRows) {
        rows.push(row);
        options.onRow?.(row);
      }
    }
  } finally {
    if (trustedBefore === undefined) delete process.env.NODE_EXTRA_CA_CERTS;
    else process.env.NODE_EXTRA_CA_CERTS = trustedBefore;
    await browser.close();
    await new Promise<void>((done) => log.end(() => done()));
    rmSync(copiesDir, { recursive: true, force: true });
  }
  return { rows, artifacts: [join(outDir, 'console.log'), join(outDir, 'allure-results'), join(outDir, 'reports')], ledgerFile, seconds: (performance.now() - started) / 1000 };
}

interface BatchContext extends FaultMatrixOptions {
  ledgerFile: string;
  certificate?: Certificate;
  log: WriteStream;
  wsEndpoint: string;
  name: string;
}

async function runBatch(plans: FaultRunPlan[], context: BatchContext): Promise<FaultRow[]> {
  const [{ createVitest }, { readConfig }, { ChecksReporter }, { parseRunnerArgs }, { startTarget }] = await Promise.all([
    import('vitest/node'),
    import('../support/config.ts'),
    import('../support/reporting/checks-reporter.ts'),
    import('../support/run/cli-args.ts'),
    import('../support/run/target-env.ts'),
  ]);
  const { projectDir, outDir } = context;
  const closes: Array<() => Promise<void>> = [];
  const copies: Record<string, SuiteCopy> = {};
  const notStarted = new Map<string, string>();
  const files: string[] = [];
  try {
    for (const plan of plans) {
      const options = parseRunnerArgs(plan.args);
      try {
        const target = await startTarget(options, {
          environment: { ...process.env, ...plan.env, PLEO_STAND_IN_LEDGER: context.ledgerFile },
          envDir: projectDir,
          projectDir,
          closeAtEnd: (close) => closes.push(close),
          https: plan.https ? context.certificate : undefined,
        });
        const config = readConfig(target.env, {
          label: target.label,
          strict: options.strict,
          runSlow: options.slow,
          runDestructive: options.destructive,
          artifactsDir: join(outDir, 'reports', plan.fault),
        });
        config.browser.wsEndpoint = context.wsEndpoint;
        const copy = makeCopy(projectDir, plan.fault);
        copies[copy] = { config, checkIds: [...context.faults[plan.fault].catches] };
        files.push(...plan.files.map((file) => join(copy, file)));
      } catch (error) {
        notStarted.set(plan.fault, (error as Error).message);
      }
    }
    const checks = new ChecksReporter({
      env: context.name,
      outputFile: join(outDir, 'reports', `${context.name}.json`),
      strict: true,
      target: {},
      print: (line) => context.log.write(`${line}\n`),
      printError: (line) => context.log.write(`${line}\n`),
    });
    if (files.length) {
      const vitest = await createVitest('test', {
        watch: false,
        root: projectDir,
        config: join(projectDir, 'vitest.config.ts'),
        include: ['.matrix/*/tests/**/*.test.ts'],
        maxWorkers: context.workers,
        fileParallelism: context.workers > 1,
        isolate: false,
        setupFiles: [join(projectDir, 'selftest', 'matrix-setup.ts')],
        reporters: ['default', ['allure-vitest/reporter', { resultsDir: join(outDir, 'allure-results') }], checks],
        provide: { suiteCopies: copies },
      }, { resolve: { preserveSymlinks: true } }, { stdout: context.log, stderr: context.log });
      try {
        await vitest.start(files.map((file) => file.slice(projectDir.length + 1)));
      } finally {
        await vitest.close();
      }
    }
    const results = checks.report?.checks ?? [];
    return plans.map((plan) => faultRow(
      plan.fault,
      context.faults[plan.fault],
      results.filter((c) => faultOfFile(c.file) === plan.fault),
      notStarted.get(plan.fault),
    ));
  } finally {
    for (const close of closes) await close().catch(() => undefined);
  }
}
