/**
 * The folders a run writes its results to (`--out`), created and proved writable before anything
 * starts: a run that cannot write its reports would otherwise fail only at its very end.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { UsageError } from './cli-args.ts';

export interface OutputDirs {
  reportsDir: string;
  allureDir: string;
}

export function prepareOutDir(outDir: string): OutputDirs {
  const out = resolve(outDir);
  const dirs = { reportsDir: join(out, 'reports'), allureDir: join(out, 'allure-results') };
  for (const dir of Object.values(dirs)) {
    try {
      mkdirSync(dir, { recursive: true });
      const probe = join(dir, `.write-probe-${process.pid}`);
      writeFileSync(probe, '');
      rmSync(probe);
    } catch (error) {
      throw new UsageError(`--out ${outDir}: cannot write to ${dir} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
    }
  }
  return dirs;
}
