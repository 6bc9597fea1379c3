/**
 * Catalog coverage, read from the sources of truth rather than a hand-kept list: the `check(ID,
 * title, { level, … })` calls in the test files (parsed with the TypeScript compiler, so any
 * formatting works), the faults' `catches`, and the last run's `checks.json`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import type { CatalogEntry } from './catalog-ids.ts';
import type { ChecksReport, Status } from './reporting/checks-reporter.ts';

/** A check as a test file defines it. */
export interface DefinedCheck {
  id: string;
  title: string;
  /** The literal level, or the source text of whatever expression gives it. */
  level: string;
  file: string;
  line: number;
  optIn?: string;
  needs?: string[];
}

export interface ParsedChecks {
  checks: DefinedCheck[];
  /** Calls that could not be read (an ID that is not a literal, say). */
  problems: string[];
}

function literal(node: ts.Node | undefined): string | undefined {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : undefined;
}

function property(options: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
  for (const p of options.properties) {
    if (ts.isPropertyAssignment(p) && (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) && p.name.text === name) return p.initializer;
  }
  return undefined;
}

/** The checks a test file defines: every call of `check(…)` with a literal ID, wherever it is. */
export function checksInSource(file: string, text: string): ParsedChecks {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const checks: DefinedCheck[] = [];
  const problems: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'check') {
      const [idArg, titleArg, optionsArg] = node.arguments;
      const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
      const id = literal(idArg);
      if (!id) problems.push(`${file}:${line}: a check() whose ID is not a string literal (${idArg?.getText(source) ?? 'none'}): the catalog cannot read it`);
      else {
        const options = optionsArg && ts.isObjectLiteralExpression(optionsArg) ? optionsArg : undefined;
        const level = options && property(options, 'level');
        const optIn = options && literal(property(options, 'optIn'));
        const needs = options && property(options, 'needs');
        checks.push({
          id,
          title: literal(titleArg) ?? titleArg?.getText(source) ?? '',
          level: literal(level) ?? level?.getText(source) ?? '?',
          file,
          line,
          ...(optIn && { optIn }),
          ...(needs && ts.isArrayLiteralExpression(needs) && { needs: needs.elements.map((e) => literal(e) ?? e.getText(source)) }),
        });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { checks, problems };
}

/** The checks of every `*.test.ts` under `testsDir`, with paths relative to `root`. */
export function checksInFolder(testsDir: string, root: string): ParsedChecks {
  const files = readdirSync(testsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.test.ts')).sort();
  const parsed = files.map((f) => checksInSource(relative(root, join(testsDir, f)), readFileSync(join(testsDir, f), 'utf8')));
  return { checks: parsed.flatMap((p) => p.checks), problems: parsed.flatMap((p) => p.problems) };
}

/** A check's verdict in the last run, or why there is none. */
export type Verdict = 'passed' | 'failed' | 'warning' | 'review' | 'expected' | 'skipped' | 'not run' | 'missing';

const VERDICT_OF: Record<Status, Verdict> = {
  SUCCESS: 'passed', INFO: 'passed', FAILURE: 'failed', WARNING: 'warning', REVIEW: 'review', EXPECTED: 'expected', SKIPPED: 'skipped',
};

export interface LastRun {
  file: string;
  env: string;
  finishedAt: string;
  statuses: Record<string, Status>;
}

/** The last run's verdicts from its checks.json; undefined when there is no readable file. */
export function readLastRun(file: string, shownAs = file): LastRun | undefined {
  let report: ChecksReport;
  try {
    report = JSON.parse(readFileSync(file, 'utf8')) as ChecksReport;
  } catch {
    return undefined;
  }
  if (!Array.isArray(report?.checks)) return undefined;
  const statuses: Record<string, Status> = {};
  for (const c of report.checks) if (c.id) statuses[c.id] = c.status;
  return { file: shownAs, env: report.summary?.env ?? '?', finishedAt: report.finishedAt ?? '?', statuses };
}

export interface CoverageRow {
  id: string;
  /** The catalog's short title. */
  title: string;
  /** The test that implements it; undefined when none does. */
  check?: DefinedCheck;
  /** The stand-in's faults that declare they are caught by it. */
  faults: string[];
  verdict: Verdict;
}

export interface Coverage {
  rows: CoverageRow[];
  implemented: number;
  lastRun?: Pick<LastRun, 'file' | 'env' | 'finishedAt'>;
  /** What keeps the coverage from being sound: unknown or duplicate IDs, faults without a check, checks without a fault. */
  problems: string[];
}

export interface CoverageInput {
  catalog: readonly CatalogEntry[];
  parsed: ParsedChecks;
  faults: Readonly<Record<string, { catches: readonly string[] }>>;
  lastRun?: LastRun;
}

export function coverage({ catalog, parsed, faults, lastRun }: CoverageInput): Coverage {
  const known = new Set(catalog.map((e) => e.id));
  const byId = new Map<string, DefinedCheck>();
  const problems = [...parsed.problems];
  for (const c of parsed.checks) {
    const where = `${c.file}:${c.line}`;
    if (!known.has(c.id)) problems.push(`${where}: ${c.id} is not a catalog ID (support/catalog-ids.ts)`);
    const first = byId.get(c.id);
    if (first) problems.push(`${where}: ${c.id} is defined twice (first at ${first.file}:${first.line})`);
    else byId.set(c.id, c);
  }
  const faultsOf = new Map<string, string[]>();
  for (const [name, fault] of Object.entries(faults)) {
    for (const id of fault.catches) {
      faultsOf.set(id, [...(faultsOf.get(id) ?? []), name]);
      if (!byId.has(id)) problems.push(`fault ${name} declares ${id}, which no test implements`);
    }
  }
  const rows = catalog.map(({ id, title }): CoverageRow => {
    const check = byId.get(id);
    const status = lastRun?.statuses[id];
    const verdict: Verdict = !check ? 'missing' : status ? VERDICT_OF[status] : 'not run';
    return { id, title, ...(check && { check }), faults: faultsOf.get(id) ?? [], verdict };
  });
  for (const row of rows) if (row.check && row.faults.length === 0) problems.push(`${row.id} has no fault of the stand-in that proves it can fail`);
  return {
    rows,
    implemented: rows.filter((r) => r.check).length,
    ...(lastRun && { lastRun: { file: lastRun.file, env: lastRun.env, finishedAt: lastRun.finishedAt } }),
    problems,
  };
}

const pad = (text: string, width: number) => text.padEnd(width);

/** The coverage as console lines: one per catalog ID, then the totals and the problems. */
export function coverageText(c: Coverage): string[] {
  const where = (r: CoverageRow) => (r.check ? `${r.check.file}:${r.check.line}` : '-');
  const fileWidth = Math.max(4, ...c.rows.map((r) => where(r).length));
  const lines = [
    c.lastRun ? `Last verdicts from ${c.lastRun.file} (${c.lastRun.env}, ${c.lastRun.finishedAt})` : 'No checks.json yet: run npm test for the verdicts',
    '',
    `${pad('ID', 7)} ${pad('level', 8)} ${pad('test', fileWidth)} ${pad('verdict', 8)} ${pad('faults', 6)} check`,
    ...c.rows.map((r) => [
      pad(r.id, 7),
      pad(r.check ? `${r.check.level}${r.check.optIn ? '*' : ''}` : '-', 8),
      pad(where(r), fileWidth),
      pad(r.verdict, 8),
      pad(String(r.faults.length), 6),
      r.check?.title ?? r.title,
    ].join(' ')),
    '',
    `${c.implemented} of ${c.rows.length} catalog checks implemented, ${c.rows.filter((r) => r.faults.length).length} with a fault; * runs only with --slow or --destructive`,
  ];
  if (c.problems.length) lines.push('', `${c.problems.length} problems:`, ...c.problems.map((p) => `  ${p}`));
  return lines;
}

const cell = (text: string) => text.replace(/\|/g, '\\|');

/** The implemented checks as a Markdown table for the README, and the IDs still missing. */
export function coverageMarkdown(c: Coverage): string {
  const implemented = c.rows.filter((r) => r.check);
  const missing = c.rows.filter((r) => !r.check).map((r) => r.id);
  const optIn = (check: DefinedCheck) => (check.optIn ? ` (--${check.optIn})` : '');
  return [
    '| ID | check | level | faults |',
    '|---|---|---|---|',
    ...implemented.map((r) => `| ${r.id} | ${cell(r.check!.title)} | ${cell(r.check!.level)}${optIn(r.check!)} | ${r.faults.length} |`),
    '',
    `${implemented.length} of ${c.rows.length} catalog checks are implemented.${missing.length ? ` Not yet: ${missing.join(', ')}.` : ''}`,
  ].join('\n');
}
