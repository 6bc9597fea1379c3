/**
 * `npm run bench`: the medians of five runs of
 *  - the full local run (`npm test` against the stand-in: start, preflight, every check, stop), wall time;
 *  - one fresh authorization code with a warm, logged-in browser (authorization request to redirect).
 * Writes reports/bench.json.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { startStandIn } from '../fixtures/stand-in/index.ts';
import { buildAuthorizationRequest } from '../support/authorization-request.ts';
import { ConsentDriver } from '../support/browser/driver.ts';
import { readConfig } from '../support/config.ts';

const ROOT = resolve(import.meta.dirname, '..');
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const stats = (xs: number[]) => ({ median: Math.round(median(xs)), min: Math.round(Math.min(...xs)), max: Math.round(Math.max(...xs)), samples: xs.map(Math.round) });

function fullRunMs(index: number): number {
  const started = performance.now();
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/run.ts', '--out', join(ROOT, 'reports', 'bench', `run-${index}`)], { cwd: ROOT, stdio: 'ignore' });
  const elapsed = performance.now() - started;
  if (run.status !== 0) throw new Error(`full run ${index} exited ${run.status}: run npm test to see why`);
  return elapsed;
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

async function main(): Promise<void> {
  console.log(`Benchmark on ${cpus().length} cores, ${RUNS} runs each`);
  const code = stats(await freshCodeMs());
  console.log(`fresh authorization code (warm browser): median ${code.median} ms (min ${code.min}, max ${code.max})`);
  const runs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    runs.push(fullRunMs(i));
    console.log(`full local run ${i + 1}/${RUNS}: ${(runs[i] / 1000).toFixed(1)} s`);
  }
  const full = stats(runs);
  console.log(`full local run: median ${(full.median / 1000).toFixed(1)} s (min ${(full.min / 1000).toFixed(1)}, max ${(full.max / 1000).toFixed(1)})`);
  mkdirSync(join(ROOT, 'reports'), { recursive: true });
  writeFileSync(join(ROOT, 'reports', 'bench.json'), `${JSON.stringify({ cores: cpus().length, node: process.version, freshCodeMs: code, fullRunMs: full }, null, 2)}\n`);
}

main().catch((error: unknown) => {
  console.error(`Benchmark failed: ${(error as Error).message}`);
  process.exit(1);
});
