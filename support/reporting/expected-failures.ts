/**
 * Known deviations of a target: `expected-failures/<label>.json`, an array of
 * `{ "check": "CA-03", "expected": "FAILURE" | "WARNING" | "SKIPPED", "reason": "…" }`.
 * A listed result that happens does not fail the run; a listed check that passes is "fixed".
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CheckResult } from './checks-reporter.ts';

export const EXPECTABLE = ['FAILURE', 'WARNING', 'SKIPPED'] as const;
export type Expectable = (typeof EXPECTABLE)[number];

export interface ExpectedFailure {
  check: string;
  expected: Expectable;
  reason: string;
}

export interface ExpectedFailures {
  /** The file, relative to the project root (also when it does not exist): messages name it. */
  file: string;
  entries: ExpectedFailure[];
}

/** The file is not a valid list: the run cannot start. */
export class ExpectedFailuresError extends Error {
  override name = 'ExpectedFailuresError';
}

const FIELDS = ['check', 'expected', 'reason'];
const CHECK_ID = /^[A-Z]+-\d+$/;

/**
 * The expected failures of the target `label` ('local', 'node-oauth' or an env name). A missing
 * file is an empty list. The stand-in with realism modes ('local{…}') is still the local target,
 * with its list; with faults ('local[…]') it has none, so nothing can hide what a fault breaks.
 */
export function loadExpectedFailures(label: string, rootDir: string): ExpectedFailures {
  const name = label.replace(/^(local)\{[^}]*\}$/, '$1');
  const file = `expected-failures/${name}.json`;
  if (!/^[\w.-]+$/.test(name)) return { file, entries: [] };
  const path = join(rootDir, file);
  if (!existsSync(path)) return { file, entries: [] };
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ExpectedFailuresError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  if (!Array.isArray(parsed)) throw new ExpectedFailuresError(`${file} must hold an array of { "check", "expected", "reason" }`);
  const seen = new Set<string>();
  return {
    file,
    entries: parsed.map((entry: unknown, index) => {
      const problem = (what: string) => {
        const check = (entry as { check?: unknown } | null)?.check;
        return new ExpectedFailuresError(`${file}, entry ${index + 1}${typeof check === 'string' ? ` (${check})` : ''}: ${what}`);
      };
      if (!entry || typeof entry !== 'object' || Array.isArray(entry)) throw problem('must be an object { "check", "expected", "reason" }');
      const fields = entry as Record<string, unknown>;
      const unknown = Object.keys(fields).filter((key) => !FIELDS.includes(key));
      if (unknown.length) throw problem(`unknown field ${unknown.map((k) => `"${k}"`).join(', ')} (allowed: ${FIELDS.join(', ')})`);
      const { check, expected, reason } = fields;
      if (typeof check !== 'string' || !CHECK_ID.test(check)) throw problem(`"check" must be a check ID such as "CA-03", not ${JSON.stringify(check)}`);
      if (!EXPECTABLE.includes(expected as Expectable)) throw problem(`"expected" must be FAILURE, WARNING or SKIPPED, not ${JSON.stringify(expected)}`);
      if (typeof reason !== 'string' || !reason.trim()) throw problem('"reason" must say why (a non-empty string)');
      if (seen.has(check)) throw problem(`${check} is listed twice`);
      seen.add(check);
      return { check, expected: expected as Expectable, reason };
    }),
  };
}

/**
 * Applies the list to the verdicts: a listed FAILURE or WARNING that happened becomes EXPECTED,
 * a listed skip keeps SKIPPED but is marked expected (strict mode then tolerates it), and a
 * listed check that passes is marked fixed (and keeps the entry, for its reason). Anything else (a FAILURE listed as WARNING) stays.
 */
export function applyExpectedFailures(checks: CheckResult[], expected: ExpectedFailures): CheckResult[] {
  const byCheck = new Map(expected.entries.map((e) => [e.check, e]));
  return checks.map((check) => {
    const entry = check.id ? byCheck.get(check.id) : undefined;
    if (!entry) return check;
    const as = { as: entry.expected, reason: entry.reason };
    if (entry.expected === check.status && check.status !== 'SKIPPED') return { ...check, status: 'EXPECTED', expected: as };
    if (entry.expected === check.status) return { ...check, expected: as };
    if (check.status === 'SUCCESS' || check.status === 'INFO') return { ...check, fixed: true, expected: as };
    return check;
  });
}
