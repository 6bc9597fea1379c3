/**
 * `npm run bench`: BENCH_RUNS (default 5) runs of
 *  - the full local run (`npm test` against the stand-in: start, preflight, every check, stop):
 *    its wall and CPU time, and the peak memory of its whole process tree, sampled every 100 ms;
 *  - one fresh authorization code with a warm, logged-in browser (authorization request to redirect).
 * From each run's checks.json it derives what the time grows with: seconds per browser
 * authorization and per check (scripts/bench/unit-costs.ts). Writes reports/bench.json and prints
 * a table. The machine's load average is recorded too: on a shared machine it explains the spread.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { startStandIn } from '../fixtures/stand-in/index.ts';
import { buildAuthorizationRequest } from '../support/authorization-request.ts';
import { ConsentDriver } from '../support/browser/driver.ts';
import { readConfig } from '../support/config.ts';
import { CODE_BUDGET } from '../support/reporting/code-budget.ts';
import { sampleTreeMemory, type TreeMemory } from './bench/process-tree.ts';
import { median, unitCosts, type CheckTiming, type UnitCosts } from './bench/unit-costs.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TARGETS = { fullRunS: 30, peakMemoryGiB: 1.5, freshCodeMs: 150, authorizations: CODE_BUDGET };
const GiB = 1024 ** 3;

const stats = (xs: number[]) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), samples: xs.map(Math.round) });
const load = () => loadavg().map((l) => Number(l.toFixed(2)));

interface FullRun extends UnitCosts {
  wallMs: number;
  /** User and system CPU time of the run's process tree: steadier than wall time on a loaded machine. */
  cpuMs: number;
  peak: TreeMemory;
}

async function fullRun(index: number): Promise<FullRun> {
  const out = join(ROOT, 'reports', 'bench', `run-${index}`);
  const cpuFile = join(ROOT, 'reports', 'bench', `run-${index}.cpu`);
  mkdirSync(out, { recursive: true });
  const started = performance.now();
  // GNU time sums the CPU time of every descendant the run waits for (Chromium's included).
  const child = spawn('/usr/bin/time', ['-f', '%U %S', '-o', cpuFile, join(ROOT, 'node_modules', '.bin', 'tsx'), 'scripts/run.ts', '--out', out], { cwd: ROOT, stdio: 'ignore' });
  const memory = sampleTreeMemory(child.pid!);
  const status = await new Promise<number | null>((done) => child.on('exit', done));
  const wallMs = performance.now() - started;
  const peak = memory.stop();
  if (status !== 0) throw new Error(`full run ${index + 1} exited ${status}: run npm test to see why`);
  const { checks } = JSON.parse(readFileSync(join(out, 'reports', 'checks.json'), 'utf8')) as { checks: CheckTiming[] };
  const [user, system] = readFileSync(cpuFile, 'utf8').trim().split(/\s+/).slice(-2).map(Number);
  return { wallMs, cpuMs: (user + system) * 1000, peak, ...unitCosts(checks) };
}

async function freshCodeMs(): Promise<number[]> {
  const standIn = await startStandIn();
  const config = readConfig(standIn.env, { artifactsDir: join(ROOT, 'reports', 'bench') });
  const driver = await ConsentDriver.launch(config);
  try {
    const code = async () => {
      const request = await buildAuthorizationRequest(config);
      const started = performance.now();
      const { outcome } = await driver.authorize(request);
      const elapsed = performance.now() - started;
      if (!outcome?.code) throw new Error('the stand-in issued no code');
      return elapsed;
    };
    await code(); // logs in and warms the browser
    await code();
    const samples: number[] = [];
    for (let i = 0; i < RUNS; i++) samples.push(await code());
    return samples;
  } finally {
    await driver.close();
    await standIn.close();
  }
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const gib = (bytes: number) => `${(bytes / GiB).toFixed(2)} GiB`;

async function main(): Promise<void> {
  if (!Number.isInteger(RUNS) || RUNS < 1) {
    console.error(`BENCH_RUNS must be a whole number of runs, 1 or more (got "${process.env.BENCH_RUNS}")`);
    process.exit(2);
  }
  const loadBefore = load();
  console.log(`Benchmark: ${RUNS} run(s) each, ${cpus().length} cores, load average ${loadBefore.join(' ')} (1, 5, 15 min)`);
  const code = stats(await freshCodeMs());
  const runs: FullRun[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(await fullRun(i));
    const r = runs[i];
    console.log(`full local run ${i + 1}/${RUNS}: ${seconds(r.wallMs)} wall, ${seconds(r.cpuMs)} CPU, ${r.authorizations} authorizations, ${r.checks} checks, peak ${gib(r.peak.pssBytes)} PSS (${gib(r.peak.rssBytes)} RSS) in ${r.peak.processes} processes`);
  }
  const loadAfter = load();
  const of = (pick: (r: FullRun) => number) => median(runs.map(pick));
  const wall = stats(runs.map((r) => r.wallMs));
  const cpu = stats(runs.map((r) => r.cpuMs));
  const peak = { pssBytes: Math.max(...runs.map((r) => r.peak.pssBytes)), rssBytes: Math.max(...runs.map((r) => r.peak.rssBytes)), processes: Math.max(...runs.map((r) => r.peak.processes)) };
  const perRun = { authorizations: of((r) => r.authorizations), checks: of((r) => r.checks), checksMs: Math.round(of((r) => r.checksMs)) };
  const perUnit = { perAuthorizationMs: Math.round(of((r) => r.perAuthorizationMs)), perCheckMs: Math.round(of((r) => r.perCheckMs)) };
  const mark = (ok: boolean) => (ok ? 'met' : 'MISSED');

  const rows: Array<[string, string, string]> = [
    ['full local run, wall (median)', seconds(wall.median), `≤ ${TARGETS.fullRunS} s ${mark(wall.median <= TARGETS.fullRunS * 1000)}`],
    ['full local run, CPU time (median)', seconds(cpu.median), ''],
    ['peak memory of the process tree (PSS)', gib(peak.pssBytes), `< ${TARGETS.peakMemoryGiB} GiB ${mark(peak.pssBytes < TARGETS.peakMemoryGiB * GiB)}`],
    ['  the same as a sum of RSS (upper bound)', gib(peak.rssBytes), ''],
    ['browser authorizations per run', String(perRun.authorizations), `≤ ${TARGETS.authorizations} ${mark(perRun.authorizations <= TARGETS.authorizations)}`],
    ['checks run', String(perRun.checks), ''],
    ['seconds per browser authorization', seconds(perUnit.perAuthorizationMs), ''],
    ['seconds per check (spending none)', seconds(perUnit.perCheckMs), ''],
    ['fresh code, warm browser (median)', `${code.median} ms`, `≤ ${TARGETS.freshCodeMs} ms ${mark(code.median <= TARGETS.freshCodeMs)}`],
  ];
  const width = Math.max(...rows.map(([name]) => name.length));
  console.log('');
  for (const [name, value, target] of rows) console.log(`${name.padEnd(width)}  ${value.padStart(9)}  ${target}`);
  const authorizationShare = (perRun.authorizations * perUnit.perAuthorizationMs) / Math.max(1, perRun.checksMs);
  const unitsMs = perRun.authorizations * perUnit.perAuthorizationMs + perRun.checks * perUnit.perCheckMs;
  console.log(`\nOf the checks' ${seconds(perRun.checksMs)}, the ${perRun.authorizations} authorizations take about ${seconds(perRun.authorizations * perUnit.perAuthorizationMs)} (${Math.round(authorizationShare * 100)} %), the ${perRun.checks} checks themselves ${seconds(perRun.checks * perUnit.perCheckMs)}, and one-time costs and deliberate waits (the browser's start, AZ-09's login in a new session, TK-04's second) the other ${seconds(Math.max(0, perRun.checksMs - unitsMs))}.`);
  console.log(`Load average before ${loadBefore.join(' ')}, after ${loadAfter.join(' ')} on ${cpus().length} cores.`);

  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  const report = {
    measuredAt: new Date().toISOString(),
    machine: { cores: cpus().length, node: process.version, loadAverage: { before: loadBefore, after: loadAfter } },
    runs: RUNS,
    targets: TARGETS,
    fullRunMs: wall,
    fullRunCpuMs: cpu,
    peakMemory: peak,
    perRun,
    ...perUnit,
    authorizationShareOfCheckTime: Number(authorizationShare.toFixed(2)),
    freshCodeMs: code,
    samples: runs.map((r) => ({ wallMs: Math.round(r.wallMs), cpuMs: Math.round(r.cpuMs), authorizations: r.authorizations, checks: r.checks, checksMs: Math.round(r.checksMs), perAuthorizationMs: Math.round(r.perAuthorizationMs), perCheckMs: Math.round(r.perCheckMs), peak: r.peak })),
  };
  writeFileSync(join(ROOT, 'reports', 'bench.json'), `${JSON.stringify(report, null, 2)}\n`);
  console.log('Written: reports/bench.json');
}

main().catch((error: unknown) => {
  console.error(`Benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
