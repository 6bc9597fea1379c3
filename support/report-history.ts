/**
 * Where `npm run report` keeps the history of a target's runs (Allure's JSON Lines history file,
 * allurerc.mjs), and whether a run is in it already: building the same results twice must not
 * count one night twice in the trend.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One file per target, so that runs against the stand-in and against staging never share a trend. */
export function historyFileOf(outDir: string, target: string | undefined): string {
  return join(outDir, 'allure-history', `${(target ?? 'default').replace(/[^\w.-]+/g, '_')}.jsonl`);
}

/** The newest end of a test in the history's last run equals this run's: it is the same run. */
export function alreadyInHistory(historyFile: string, resultsDir: string): boolean {
  if (!existsSync(historyFile)) return false;
  const last = readFileSync(historyFile, 'utf8').trimEnd().split('\n').at(-1);
  if (!last) return false;
  const recorded = (JSON.parse(last) as { testResults: Record<string, { stop?: number }> }).testResults;
  const results = readdirSync(resultsDir).filter((f) => f.endsWith('-result.json'))
    .map((f) => JSON.parse(readFileSync(join(resultsDir, f), 'utf8')) as { stop?: number });
  return newestStop(Object.values(recorded)) === newestStop(results);
}

const newestStop = (results: { stop?: number }[]) => Math.max(0, ...results.map((r) => r.stop ?? 0));
