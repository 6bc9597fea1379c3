/**
 * Self-test section "robust": a target that goes down for good during the run. The stand-in is
 * closed as soon as the preflight has logged the test user in; the checks' requests then find no
 * server, the circuit breaker opens (support/politeness/breaker.ts), and the run must end with
 * exit code 2 and "the target is unavailable", not with a wall of failed checks, and soon.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../fixtures/stand-in/index.ts';
import { envFile, RUN, startTsx } from './child-run.ts';
/** From the target's going down to the end of the run. */
/** Alone it takes about 7 s; beside the sections that run with it, up to about 30 s. */
const LIMIT_S = 60;
const PREFLIGHT_DONE = /preflight: test user logged in … ok/;

export interface RobustResult {
  name: string;
  ok: boolean;
  detail: string;
}

async function targetDownAfterPreflight(dir: string): Promise<RobustResult> {
  const name = 'target down for good after the preflight: exit 2, "the target is unavailable"';
  const standIn = await startStandIn();
  writeFileSync(join(dir, '.env.going-down.local'), envFile(standIn.env), { mode: 0o600 });
  let downAt: number | undefined;
  const run = startTsx([RUN, '--env', 'going-down', '--out', join(dir, 'out')], {
    cwd: dir,
    killAfterS: LIMIT_S + 120,
    onOutput: (output) => {
      if (downAt === undefined && PREFLIGHT_DONE.test(output)) {
        downAt = performance.now();
        void standIn.close();
      }
    },
  });
  const { code, output } = await run.finished;
  const downForS = downAt === undefined ? undefined : (performance.now() - downAt) / 1000;
  await standIn.close();
  const message = /the target is unavailable: .*/.exec(output)?.[0];
  const problems = [
    ...(downForS === undefined ? ['the preflight never finished'] : []),
    ...(code === 2 ? [] : [`exit code ${code}, not 2`]),
    ...(message ? [] : ['no "the target is unavailable" message']),
    ...(downForS !== undefined && downForS > LIMIT_S ? [`took ${downForS.toFixed(1)} s after the target went down, over ${LIMIT_S} s`] : []),
  ];
  return {
    name,
    ok: problems.length === 0,
    detail: problems.length ? `${problems.join('; ')}\n${output.slice(-1500)}` : `exit 2, ${downForS!.toFixed(1)} s after the target went down: ${message}`,
  };
}

export async function robust(): Promise<RobustResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pleo-robust-'));
  try {
    return [await targetDownAfterPreflight(dir)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
