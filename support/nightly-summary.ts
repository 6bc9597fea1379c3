/**
 * The Markdown summary of a run for a CI job page ($GITHUB_STEP_SUMMARY): the counts, every
 * failure and warning with its ID, level and clauses, and what changed since the previous run.
 * It is built from checks.json files only, and every text goes through redaction again: the
 * files are redacted already, but a job page is public to everyone who can read the repository.
 */
import { readFileSync } from 'node:fs';
import type { CheckResult, ChecksReport, Status } from './reporting/checks-reporter.ts';
import { redact, redactedExcerpt } from './secrets.ts';

/** Longest message shown for one check; the full text is in the report artifact. */
const MESSAGE_MAX = 300;
/** New or removed checks listed by name; more (a filtered run, a new catalog area) are counted. */
const CHECK_LIST_MAX = 20;
/** Statuses in which a check meets its requirement (or was never asked to). */
const GOOD: readonly Status[] = ['SUCCESS', 'INFO', 'WARNING', 'REVIEW'];

export interface StatusChange {
  check: CheckResult;
  /** The status in the previous run. */
  before: Status;
}

export interface RunChanges {
  /** FAILURE now, something else before. */
  newlyFailing: StatusChange[];
  /** FAILURE before, meeting its requirement now (a warning may remain). */
  fixed: StatusChange[];
  /** WARNING now, neither WARNING nor FAILURE before. */
  newlyWarning: StatusChange[];
  /** Any other change of status (a new skip, a warning gone, newly expected …). */
  otherChanges: StatusChange[];
  added: CheckResult[];
  removed: CheckResult[];
}

/** A checks.json that cannot be read or is not one: the CLI's bad input (exit 2). */
export class ChecksFileError extends Error {}

/** A checks.json as npm test writes it, or a ChecksFileError naming the file and what is wrong. */
export function readChecksReport(path: string): ChecksReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ChecksFileError(`cannot read ${path}: ${(error as Error).message}`);
  }
  const report = parsed as Partial<ChecksReport> | null;
  const wellFormed = !!report?.summary && Array.isArray(report.checks)
    && report.checks.every((c) => typeof c?.status === 'string' && typeof (c.id ?? c.name) === 'string' && Array.isArray(c.details));
  if (!wellFormed) throw new ChecksFileError(`${path} is not a checks.json written by npm test (summary and checks expected)`);
  return report as ChecksReport;
}

const keyOf = (check: CheckResult) => check.id ?? check.name;

export function compareRuns(previous: ChecksReport, current: ChecksReport): RunChanges {
  const before = new Map(previous.checks.map((c) => [keyOf(c), c]));
  const now = new Set(current.checks.map(keyOf));
  const changes: RunChanges = { newlyFailing: [], fixed: [], newlyWarning: [], otherChanges: [], added: [], removed: [] };
  for (const check of current.checks) {
    const old = before.get(keyOf(check));
    if (!old) {
      changes.added.push(check);
      continue;
    }
    if (old.status === check.status) continue;
    const change = { check, before: old.status };
    if (check.status === 'FAILURE') changes.newlyFailing.push(change);
    else if (old.status === 'FAILURE' && GOOD.includes(check.status)) changes.fixed.push(change);
    else if (check.status === 'WARNING' && old.status !== 'FAILURE') changes.newlyWarning.push(change);
    else changes.otherChanges.push(change);
  }
  changes.removed = previous.checks.filter((c) => !now.has(keyOf(c)));
  return changes;
}

/** `previous` undefined: the first run, nothing to compare (`previousNote` says why). */
export function summaryMarkdown(current: ChecksReport, previous?: ChecksReport, previousNote?: string): string {
  const s = current.summary;
  const verdict = current.outcome === 'passed' ? '✅ passed' : '❌ failed';
  const lines = [
    `## Conformance run: ${cell(s.env)}: ${verdict}`,
    '',
    `Finished ${cell(current.finishedAt)}${current.strict ? ', strict (warnings fail the run)' : ''}.`,
    '',
    '| passed | failed | warnings | skipped | expected | review |',
    '|---:|---:|---:|---:|---:|---:|',
    `| ${s.passed} | ${s.failed} | ${s.warnings} | ${s.skipped} | ${s.expected} | ${s.review} |`,
    '',
    ...changesSection(current, previous, previousNote),
    ...checkTable('Failures', current.checks.filter((c) => c.status === 'FAILURE')),
    ...checkTable('Warnings', current.checks.filter((c) => c.status === 'WARNING')),
    ...checkTable('Needs review', current.checks.filter((c) => c.status === 'REVIEW')),
    ...listSection('Fixed: remove from the expected-failures file', s.fixed.map((id) => `**${cell(id)}**`)),
    ...listSection('Errors outside any check', s.errors.map((e) => cell(excerpt(e)))),
    ...listSection('Skipped, by reason', s.skipReasons.map((r) => `${r.count} × ${cell(excerpt(r.reason))}`)),
  ];
  return `${lines.join('\n').trimEnd()}\n`;
}

function changesSection(current: ChecksReport, previous: ChecksReport | undefined, note: string | undefined): string[] {
  const heading = '### Since the previous run';
  if (!previous) return [heading, '', note ?? 'No previous run to compare with.', ''];
  const c = compareRuns(previous, current);
  const transition = ({ check, before }: StatusChange) => `${label(check)}: ${before} → ${check.status}`;
  const lines = [
    ...bullets('Newly failing', c.newlyFailing.map(transition)),
    ...bullets('Fixed', c.fixed.map(transition)),
    ...bullets('Newly warning', c.newlyWarning.map(transition)),
    ...bullets('Other changes', c.otherChanges.map(transition)),
    ...bullets('New checks', c.added.map((check) => `${label(check)}: ${check.status}`), CHECK_LIST_MAX),
    ...bullets('Removed checks', c.removed.map(label), CHECK_LIST_MAX),
  ];
  const against = previous.summary.env === current.summary.env ? '' : ` (against ${cell(previous.summary.env)})`;
  const intro = `Compared with the run finished ${cell(previous.finishedAt)}${against}.`;
  return [heading, '', intro, '', ...(lines.length ? lines : ['No check changed its status.', ''])];
}

/** `max`: list that many, count the rest. */
function bullets(title: string, items: string[], max = Infinity): string[] {
  if (!items.length) return [];
  const shown = items.length > max ? [...items.slice(0, max), `… and ${items.length - max} more`] : items;
  return [`**${title}** (${items.length})`, '', ...shown.map((item) => `- ${item}`), ''];
}

function listSection(title: string, items: string[]): string[] {
  return items.length ? [`### ${title} (${items.length})`, '', ...items.map((item) => `- ${item}`), ''] : [];
}

function checkTable(title: string, checks: CheckResult[]): string[] {
  if (!checks.length) return [];
  return [
    `### ${title} (${checks.length})`,
    '',
    '| check | level | clauses | message |',
    '|---|---|---|---|',
    ...checks.map((c) => `| ${label(c)} | ${cell(c.level ?? '')} | ${cell((c.refs ?? []).join(', '))} | ${cell(excerpt(c.details[0] ?? ''))} |`),
    '',
  ];
}

function label(check: CheckResult): string {
  return check.id ? `**${cell(check.id)}** ${cell(check.title ?? '')}`.trimEnd() : cell(check.name);
}

const excerpt = (text: string) => redactedExcerpt(text, MESSAGE_MAX);

/** Redacted, on one line, and inert in Markdown and HTML: a table cell or a list item. */
function cell(text: string): string {
  return redact(text)
    .replace(/\s*\n\s*/g, ' ')
    .replace(/[&<>]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[ch] ?? ch)
    .replace(/[|`*_[\]]/g, '\\$&');
}
