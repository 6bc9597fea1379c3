/**
 * `npm run selftest`: the project's own tests.
 *  1. unit tests of support/;
 *  2. the suite against the clean stand-in, in strict mode: no failure and no warning allowed;
 *  3. the suite against each fault of the stand-in: every check the fault declares must fail;
 *  4. every run's artifacts scanned for secrets in clear.
 * Prints the kill matrix, writes it to reports/kill-matrix.json, exits non-zero on any miss.
 */
import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { FAULTS, type FaultName } from '../fixtures/stand-in/faults.ts';
import type { ChecksReport } from '../support/reporting/checks-reporter.ts';
import { readLedger, scanForLeaks } from '../selftest/leak-scan.ts';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = join(ROOT, 'reports', 'selftest');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

interface RunResult {
  name: string;
  exitCode: number;
  seconds: number;
  report?: ChecksReport;
  leaks: string[];
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

/** One run of the suite against the stand-in, with a ledger of what the stand-in issued. */
async function runSuite(name: string, faults: string[]): Promise<RunResult> {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const ledger = join(dir, 'ledger.txt');
  const consoleLog = join(dir, 'console.log');
  const started = performance.now();
  const args = ['scripts/run.ts', '--strict', '--out', dir, ...(faults.length ? ['--fault', faults.join(',')] : [])];
  const exitCode = await spawnLogged(TSX, args, consoleLog, { ...process.env, PLEO_STAND_IN_LEDGER: ledger });
  const seconds = (performance.now() - started) / 1000;
  let report: ChecksReport | undefined;
  try {
    report = JSON.parse(readFileSync(join(dir, 'reports', 'checks.json'), 'utf8')) as ChecksReport;
  } catch {
    report = undefined;
  }
  const secrets = readLedger(ledger);
  const { leaks } = scanForLeaks([consoleLog, join(dir, 'allure-results'), join(dir, 'reports')], secrets);
  const leakLines = leaks.map((l) => `${l.file.replace(`${ROOT}/`, '')}: ledger entry ${l.entry} in ${l.form} form`);
  if (secrets.length < 5) leakLines.push(`the ledger holds only ${secrets.length} secrets: the leak scan would prove nothing`);
  return { name, exitCode, seconds, report, leaks: leakLines };
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

function failedIds(report: ChecksReport | undefined): string[] {
  return (report?.checks ?? []).filter((c) => c.status === 'FAILURE' && c.id).map((c) => c.id!);
}

async function main(): Promise<number> {
  mkdirSync(OUT, { recursive: true });
  const verdicts: Array<{ name: string; ok: boolean }> = [];

  console.log('== 1. unit tests of support/');
  const unitExit = await spawnLogged(join(ROOT, 'node_modules', '.bin', 'vitest'), ['run', '--config', 'selftest/vitest.config.ts'], join(OUT, 'unit.log'), process.env, true);
  verdicts.push({ name: 'unit tests', ok: unitExit === 0 });

  console.log('\n== 2. the suite against the clean stand-in (strict)');
  const clean = await runSuite('clean', []);
  const s = clean.report?.summary;
  const cleanOk = clean.exitCode === 0 && !!s && s.failed === 0 && s.warnings === 0 && s.passed > 0;
  console.log(`clean: exit ${clean.exitCode}, ${s ? `${s.passed} passed, ${s.failed} failed, ${s.warnings} warnings, ${s.skipped} skipped` : 'no report'} (${clean.seconds.toFixed(1)} s)`);
  if (!cleanOk) console.log(readFileSync(join(OUT, 'clean', 'console.log'), 'utf8').slice(-4000));
  verdicts.push({ name: 'clean run', ok: cleanOk });

  const faultNames = Object.keys(FAULTS) as FaultName[];
  const width = Math.max(1, Math.min(2, availableParallelism()));
  console.log(`\n== 3. the suite against each of ${faultNames.length} faults (${width} at a time)`);
  const faultRuns = await inParallel(faultNames, width, async (fault) => {
    const run = await runSuite(`fault-${fault}`, [fault]);
    const failed = failedIds(run.report);
    const declared: string[] = [...FAULTS[fault].catches];
    const missed = declared.filter((id) => !failed.includes(id));
    const row = {
      fault,
      declared,
      failed,
      caught: run.exitCode === 1 && missed.length === 0,
      missed,
      collateral: failed.filter((id) => !declared.includes(id)),
      exitCode: run.exitCode,
      seconds: Number(run.seconds.toFixed(1)),
    };
    console.log(`${row.caught ? 'caught' : 'MISSED'}  ${fault.padEnd(36)} declared ${declared.join(',').padEnd(20)} failed ${failed.join(',') || '-'}${run.exitCode === 2 ? '  (the run could not start)' : ''}`);
    return { row, run };
  });
  for (const { row } of faultRuns) verdicts.push({ name: `fault ${row.fault}`, ok: row.caught });

  console.log('\n== 4. secrets in the artifacts of every run');
  const leaks = [clean, ...faultRuns.map((f) => f.run)].flatMap((r) => r.leaks.map((l) => `${r.name}: ${l}`));
  for (const leak of leaks) console.log(`LEAK ${leak}`);
  console.log(leaks.length ? `${leaks.length} leaks` : `no secret in clear in ${1 + faultRuns.length} runs`);
  verdicts.push({ name: 'no secret in clear', ok: leaks.length === 0 });

  const matrix = {
    generatedAt: new Date().toISOString(),
    clean: { exitCode: clean.exitCode, summary: s, seconds: Number(clean.seconds.toFixed(1)) },
    faults: faultRuns.map((f) => f.row),
    leaks,
  };
  writeFileSync(join(ROOT, 'reports', 'kill-matrix.json'), `${JSON.stringify(matrix, null, 2)}\n`);
  console.log('\nKill matrix written to reports/kill-matrix.json');

  const failed = verdicts.filter((v) => !v.ok);
  for (const v of failed) console.log(`FAILED: ${v.name}`);
  console.log(`selftest: ${verdicts.length - failed.length} passed, ${failed.length} failed`);
  return failed.length ? 1 : 0;
}

main().then((code) => process.exit(code), (error: unknown) => {
  console.error(error);
  process.exit(2);
});
