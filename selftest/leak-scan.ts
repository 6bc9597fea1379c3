/**
 * Scans a run's artifacts (console log, Allure results, JUnit, checks.json) for secrets in
 * clear: every value the stand-in issued or generated (its ledger) and the usual encodings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Leak {
  file: string;
  /** Which ledger entry leaked, by position: never the value itself. */
  entry: number;
  form: string;
}

/** The forms in which a secret could appear in an artifact. */
export function leakForms(secret: string): Array<[form: string, value: string]> {
  return [
    ['clear', secret],
    ['url-encoded', encodeURIComponent(secret)],
    ['form-encoded', new URLSearchParams({ v: secret }).toString().slice(2)],
    ['base64', Buffer.from(secret).toString('base64').replace(/=+$/, '')],
    ['json-escaped', JSON.stringify(secret).slice(1, -1)],
  ];
}

function filesBelow(path: string): string[] {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path).flatMap((name) => filesBelow(join(path, name)));
}

export function readLedger(file: string): string[] {
  return [...new Set(readFileSync(file, 'utf8').split('\n').map((l) => l.trim()).filter((l) => l.length >= 8))];
}

export function scanForLeaks(paths: string[], secrets: string[]): { leaks: Leak[]; filesScanned: number } {
  const files = paths.flatMap(filesBelow);
  const leaks: Leak[] = [];
  for (const file of files) {
    // Screenshots are binary: their secrets would be pixels, which the driver masks instead.
    if (file.endsWith('.png')) continue;
    const text = readFileSync(file, 'latin1');
    secrets.forEach((secret, entry) => {
      for (const [form, value] of leakForms(secret)) if (value.length >= 8 && text.includes(value)) leaks.push({ file, entry, form });
    });
  }
  return { leaks, filesScanned: files.length };
}
