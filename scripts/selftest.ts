/**
 * `npm run selftest`: the project's own tests, each section a verdict.
 *  1. unit tests of support/;
 *  2. the suite against the clean stand-in, in strict mode: no failure and no warning;
 *  3. the suite with every realism mode on, in three shuffled orders: no failure, no warning;
 *  4. each fault of the stand-in, on the checks it declares: every one of them must fail (or warn);
 *  5. bad input: one message and exit code 2, fast;
 *  6. the suite against the second, independent target: exactly its expected failures;
 *  7. an interrupted run leaves nothing behind;
 *  8. a target that goes down during the run ends it with exit 2;
 *  9. npm run verify: ready on the clean stand-in, not ready under a fault;
 * 10. a debug trace holds no secret and no binary entry;
 * 11. every run's artifacts scanned for secrets (and fragments of them) and personal data.
 * Prints the kill matrix, writes it to reports/kill-matrix.json, exits non-zero on any miss.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { FAULTS } from '../fixtures/stand-in/faults.ts';
import { MODES } from '../fixtures/stand-in/modes.ts';
import type { ChecksReport } from '../support/reporting/checks-reporter.ts';
import { badInputCases } from '../selftest/bad-input.ts';
import { interruptLeavesNothing } from '../selftest/interrupt.ts';
import { robust } from '../selftest/robust.ts';
import { traces } from '../selftest/trace.ts';
import { verify } from '../selftest/verify.ts';
import { runFaultMatrix } from '../selftest/fault-matrix.ts';
import { readLedger, readPersonalData, scanForLeaks } from '../selftest/leak-scan.ts';
import { checksInFolder } from '../support/coverage.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'reports', 'selftest');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SHUFFLE_SEEDS = [1, 2, 3];
/** Faults per Vitest run of the matrix: their stand-ins run at once. */
const FAULT_BATCH = 75;
const PERSONAL_DATA = ['employees.json', 'user.json'].flatMap((file) => readPersonalData(join(ROOT, 'fixtures', 'data', file)));

interface RunResult {
  name: string;
  exitCode: number;
  seconds: number;
  report?: ChecksReport;
  leaks: string[];
}

interface Verdict {
  name: string;
  ok: boolean;
  detail?: string;
}

function spawnLogged(command: string, args: string[], logFile: string, env: NodeJS.ProcessEnv = process.env, echo = false): Promise<number> {
  return new Promise((done) => {
    const log = createWriteStream(logFile);
    const child = spawn(command, args, { cwd: ROOT, env: { ...env, FORCE_COLOR: '0' } });
    for (const stream of [child.stdout, child.stderr]) {
      stream.pipe(log, { end: false });
      if (echo) stream.pipe(process.stdout, { end: false });
    }
    child.on('close', (code) => log.end(() => done(code ?? 1)));
  });
}

/** One run of the suite (`args` after `scripts/run.ts`), with a ledger of every secret the target issued. */
async function runSuite(name: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ledger = join(dir, 'ledger.txt');
  const consoleLog = join(dir, 'console.log');
  const started = performance.now();
  const exitCode = await spawnLogged(TSX, ['scripts/run.ts', '--out', dir, ...args], consoleLog, { ...process.env, ...env, PLEO_STAND_IN_LEDGER: ledger });
  const seconds = (performance.now() - started) / 1000;
  let report: ChecksReport | undefined;
  try {
    report = JSON.parse(readFileSync(join(dir, 'reports', 'checks.json'), 'utf8')) as ChecksReport;
  } catch {
    report = undefined;
  }
  return { name, exitCode, seconds, report, leaks: leaksIn([consoleLog, join(dir, 'allure-results'), join(dir, 'reports')], ledger) };
}

/** Secrets of the ledger, fragments of them, and personal data found in clear in the files (or folders). */
function leaksIn(files: string[], ledger: string): string[] {
  const secrets = readLedger(ledger);
  const { leaks } = scanForLeaks(files, secrets, PERSONAL_DATA);
  const lines = leaks.map((l) => `${l.file.replace(`${ROOT}/`, '')}: ${l.kind === 'personal-data' ? 'personal data item' : 'ledger entry'} ${l.entry} in ${l.form} form`);
  if (secrets.length < 5) lines.push(`the ledger holds only ${secrets.length} secrets: the leak scan would prove nothing`);
  return lines;
}

async function inParallel<T, R>(items: T[], width: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]);
    }
  }));
  return results;
}

const idsWith = (report: ChecksReport | undefined, status: string, failure?: 'assertion' | 'infrastructure') =>
  (report?.checks ?? []).filter((c) => c.status === status && c.id && (!failure || c.failure === failure)).map((c) => c.id!).sort();

const counts = (run: RunResult) => {
  const s = run.report?.summary;
  return s ? `${s.passed} passed, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped` : 'no report';
};

/**
 * Section 3: every realism mode on, three shuffled orders. A mode is a legitimate behaviour: no
 * failure, no warning. Not strict: the modes that remove an optional endpoint make its MUST checks
 * skip, which --strict counts against a run.
 */
async function modeRuns(width: number): Promise<{ verdicts: Verdict[]; runs: RunResult[] }> {
  const runs = await inParallel(SHUFFLE_SEEDS, width, (seed) =>
    runSuite(`modes-all-seed-${seed}`, ['--mode', 'all', '--sequence.shuffle', `--sequence.seed=${seed}`]));
  const verdicts = runs.map((run) => {
    const failed = idsWith(run.report, 'FAILURE');
    const warned = idsWith(run.report, 'WARNING');
    const ok = run.exitCode === 0 && failed.length === 0 && warned.length === 0;
    const detail = `${counts(run)}; warnings ${warned.join(',') || '-'}; failed ${failed.join(',') || '-'}`;
    console.log(`${ok ? 'ok    ' : 'FAILED'} ${run.name}: ${detail} (${run.seconds.toFixed(1)} s)`);
    return { name: run.name, ok, detail };
  });
  return { verdicts, runs };
}

/** Prints a section's title, after the time the previous section took. */
let sectionStarted: number | undefined;
function section(title: string): void {
  if (sectionStarted !== undefined) console.log(`(${((performance.now() - sectionStarted) / 1000).toFixed(1)} s)`);
  sectionStarted = performance.now();
  console.log(`\n== ${title.replace(/^== /, '')}`);
}

async function main(): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  const started = performance.now();
  const verdicts: Verdict[] = [];
  // A run waits on the browser and the network much of the time: one more run than cores keeps both busy.
  const width = Math.max(1, Math.min(3, availableParallelism() + 1));

  section('1. unit tests of support/');
  const unitExit = await spawnLogged(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'selftest/vitest.config.ts'], join(OUT, 'unit.log'), process.env, true);
  verdicts.push({ name: 'unit tests', ok: unitExit === 0 });

  section('2. the suite against the clean stand-in (strict)');
  const clean = await runSuite('clean', ['--strict']);
  const s = clean.report?.summary;
  const cleanOk = clean.exitCode === 0 && !!s && s.failed === 0 && s.warnings === 0 && s.passed > 0;
  console.log(`clean: exit ${clean.exitCode}, ${counts(clean)} (${clean.seconds.toFixed(1)} s)`);
  if (!cleanOk) console.log(readFileSync(join(OUT, 'clean', 'console.log'), 'utf8').slice(-4000));
  verdicts.push({ name: 'clean run', ok: cleanOk });

  section(`3. every realism mode on (${Object.keys(MODES).join(', ')}), shuffled with seeds ${SHUFFLE_SEEDS.join(', ')}`);
  const modes = await modeRuns(width);
  verdicts.push(...modes.verdicts);

  const faultNames = Object.keys(FAULTS);
  // Each fault gets its own stand-in and its own copy of the suite, narrowed to the checks the
  // fault declares; the copies share Vitest's workers and one browser (selftest/fault-matrix.ts).
  const { checks } = checksInFolder(join(ROOT, 'tests'), ROOT);
  section(`4. the suite against each of ${faultNames.length} faults (strict, the declared checks, ${width} workers)`);
  const matrixRun = await runFaultMatrix({
    projectDir: ROOT,
    faults: FAULTS,
    checks,
    outDir: join(OUT, 'faults'),
    workers: width,
    batchSize: FAULT_BATCH,
    onRow: (row) => console.log(`${row.caught ? 'caught' : 'MISSED'}  ${row.fault.padEnd(44)} declared ${row.declared.join(',').padEnd(20)} failed ${row.failed.join(',') || '-'}${row.wrongLevel.length ? `  failed where only a SHOULD is broken (must warn): ${row.wrongLevel.join(',')}` : ''}${row.broken.length ? `  could not run: ${row.broken.join(',')}` : ''}${row.error ? `  (could not start: ${row.error})` : ''}`),
  });
  for (const row of matrixRun.rows) verdicts.push({ name: `fault ${row.fault}`, ok: row.caught });
  const matrixLeaks = leaksIn(matrixRun.artifacts, matrixRun.ledgerFile);
  console.log(`${matrixRun.rows.filter((r) => r.caught).length} of ${matrixRun.rows.length} faults caught (${matrixRun.seconds.toFixed(1)} s)`);

  section('5. bad input: one message, exit code 2');
  // Alone: its time limits ("within seconds") mean little when other runs compete for the machine.
  for (const result of await badInputCases()) {
    console.log(`${result.ok ? 'ok    ' : 'FAILED'} ${result.name}: ${result.detail}`);
    verdicts.push({ name: `bad input: ${result.name}`, ok: result.ok });
  }

  // The rest are independent of each other and mostly wait (on a dead target, a browser, a local
  // server), so they run together; each section prints its results in turn.
  const pending = {
    nodeOAuth: runSuite('target-node-oauth', ['--target', 'node-oauth', '--strict']),
    interrupt: interruptLeavesNothing(),
    robust: robust(),
    verify: verify(),
    traces: traces(),
  };
  const report = (results: Array<{ name: string; ok: boolean; detail: string }>) => {
    for (const result of results) {
      console.log(`${result.ok ? 'ok    ' : 'FAILED'} ${result.name}: ${result.detail}`);
      verdicts.push({ name: result.name, ok: result.ok });
    }
  };

  section('6. the suite against the second target, @node-oauth/oauth2-server (strict)');
  const nodeOAuth = await pending.nodeOAuth;
  const unexpected = [...idsWith(nodeOAuth.report, 'FAILURE'), ...idsWith(nodeOAuth.report, 'WARNING')];
  const fixed = (nodeOAuth.report?.checks ?? []).filter((c) => c.fixed).map((c) => c.id);
  const nodeOAuthOk = nodeOAuth.exitCode === 0 && unexpected.length === 0 && fixed.length === 0;
  console.log(`node-oauth: exit ${nodeOAuth.exitCode}, ${counts(nodeOAuth)}, expected ${idsWith(nodeOAuth.report, 'EXPECTED').join(',') || '-'}; unexpected ${unexpected.join(',') || '-'}; listed but passing ${fixed.join(',') || '-'} (${nodeOAuth.seconds.toFixed(1)} s)`);
  verdicts.push({ name: 'node-oauth target: exactly its expected failures', ok: nodeOAuthOk });

  section('7. an interrupted run leaves nothing behind');
  report([{ name: 'interrupted run', ...(await pending.interrupt) }]);

  section('8. a target that goes down during the run: exit 2, not a wall of failures');
  report(await pending.robust);

  section('9. npm run verify: the registration report and its exit code');
  report(await pending.verify);

  section('10. a debug trace (--trace) holds no secret and no binary entry');
  report(await pending.traces);

  section('11. secrets and personal data in the artifacts of every run');
  const allRuns = [clean, ...modes.runs, nodeOAuth];
  const leaks = [...allRuns.flatMap((r) => r.leaks.map((l) => `${r.name}: ${l}`)), ...matrixLeaks.map((l) => `fault matrix: ${l}`)];
  for (const leak of leaks) console.log(`LEAK ${leak}`);
  console.log(leaks.length ? `${leaks.length} leaks` : `no secret, no fragment of one, and no personal data in clear in ${allRuns.length} runs and the fault matrix (${matrixRun.rows.length} faults)`);
  verdicts.push({ name: 'no secret or personal data in clear', ok: leaks.length === 0 });

  const matrix = {
    generatedAt: new Date().toISOString(),
    seconds: Math.round((performance.now() - started) / 1000),
    clean: { exitCode: clean.exitCode, summary: s, seconds: Number(clean.seconds.toFixed(1)) },
    modes: modes.verdicts,
    faults: matrixRun.rows,
    nodeOAuth: { exitCode: nodeOAuth.exitCode, summary: nodeOAuth.report?.summary, expected: idsWith(nodeOAuth.report, 'EXPECTED'), unexpected, fixed },
    leaks,
  };
  writeFileSync(join(ROOT, 'reports', 'kill-matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  console.log(`\nKill matrix written to reports/kill-matrix.json (${matrix.seconds} s in all)`);

  const failed = verdicts.filter((v) => !v.ok);
  for (const v of failed) console.log(`FAILED: ${v.name}${v.detail ? ` (${v.detail})` : ''}`);
  console.log(`selftest: ${verdicts.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
