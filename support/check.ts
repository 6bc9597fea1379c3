/**
 * `check()`: one catalog check as one Vitest test. It names the test by the check's ID, tags it
 * with its level and clauses, turns violations into verdicts by level (MUST fails, SHOULD warns,
 * an unmet precondition skips), and writes the redacted evidence and labels to Allure.
 */
import * as allure from 'allure-js-commons';
import { test, type TestContext } from 'vitest';
import { recordAttachment } from './evidence.ts';
import { writeAllureLabels, writeEvidence } from './reporting/allure-labels.ts';
import { citation } from './refs.ts';
import { redact } from './secrets.ts';
import * as target from './target.ts';
import { configuredFeatures, FEATURE_VARIABLES, type Feature } from './config.ts';
import { optInSkipReason, type OptIn } from './opt-in.ts';
import { runsCheck } from './run/handover.ts';
import type { TokenSet } from './token-endpoint.ts';
import { CheckFailure, PreconditionUnmet, precondition, recommend, type CacheHeaderOptions } from './verdicts.ts';

export type Level = 'MUST' | 'SHOULD' | 'PROFILE' | 'INFO';

export interface CheckMeta {
  /** The level of the check's leading clause; a SHOULD-level part inside it uses `t.should`/`t.warn`. */
  level: Level;
  refs: string[];
  /** Optional features of the target the check needs; without one it skips, naming the variable. */
  needs?: Feature[];
  /**
   * `destructive`: the check revokes tokens or a grant (of its own fresh family). Afterwards the
   * run looks whether that also revoked the shared family (a server that ties families together).
   */
  effects?: 'destructive';
  /** The check runs only when the run opts in (--slow, --destructive); tagged with it, for --tags-filter. */
  optIn?: OptIn;
  timeout?: number;
}

export interface CheckRecord extends Omit<CheckMeta, 'timeout'> {
  id: string;
  title: string;
}

declare module '@vitest/runner' {
  interface TaskMeta {
    check?: CheckRecord;
  }
}

export interface CheckContext {
  readonly config: ReturnType<typeof target.config>;
  readonly token: ReturnType<typeof target.token>;
  readonly api: ReturnType<typeof target.api>;
  /** Cache-header expectations of this target's profile, with warnings routed to this check. */
  readonly cache: CacheHeaderOptions;
  readonly authorize: typeof target.authorize;
  readonly authorizeAndExchange: typeof target.authorizeAndExchange;
  /** The run's fixture authorization and code exchange, as it happened. */
  readonly shared: typeof target.shared;
  /** The shared family's newest tokens, re-verified (and re-established) after other checks ran. */
  live(): Promise<TokenSet | undefined>;
  /** The shared family's first refresh. */
  firstRefresh(): Promise<target.FirstRefresh>;
  /** A fresh authorization code from the browser; skips the check if none is issued. */
  freshCode(options?: Parameters<typeof target.authorize>[0]): Promise<{ code: string; flow: target.BrowserFlow }>;
  /** Records a SHOULD-level deviation: a warning (the run fails on it only in strict mode). */
  warn(message: string): void;
  /** A SHOULD-level assertion: records a warning unless `condition` holds; returns whether it held. */
  should(condition: unknown, requirement: string, expected: unknown, actual: unknown): boolean;
  /** Records an observation that never fails. */
  info(message: string): void;
  /** Asks a person to judge (an error page, say), with the screenshot to judge by: REVIEW, not passed. */
  review(message: string, screenshot?: Buffer): void;
}

function isSkip(error: unknown): boolean {
  return (error as { code?: string })?.code === 'VITEST_PENDING';
}

/** Any error leaving a check is redacted: its message, stack, and expected/actual values. */
function redacted(error: unknown): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  copy.stack = redact(error.stack ?? '');
  for (const key of ['expected', 'actual'] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (value !== undefined) (copy as unknown as Record<string, unknown>)[key] = redact(typeof value === 'string' ? value : JSON.stringify(value));
  }
  return copy;
}

// A message names its clause when it cites an RFC, a draft or a profile document.
const CITES_A_CLAUSE = /\b(RFC ?\d{4}|OAuth 2\.1|FAPI|OWASP|Pleo)\b/;

/** Every failure and warning names the clause it enforces: the check's own, if the text names none. */
function withClause(message: string, refs: string[]): string {
  if (CITES_A_CLAUSE.test(message.split('\n')[0])) return message;
  const [first, ...rest] = message.split('\n');
  return [`${first} (${refs.map(citation).join(', ')})`, ...rest].join('\n');
}

export function check(id: string, title: string, meta: CheckMeta, body: (t: CheckContext) => Promise<void>): void {
  if (!runsCheck(id)) return;
  const { timeout, ...rest } = meta;
  const record: CheckRecord = { id, title, ...rest };
  const tags = [meta.level.toLowerCase(), id.split('-')[0].toLowerCase(), ...(meta.optIn ? [meta.optIn] : [])];
  test(`${id} ${title}`, { meta: { check: record }, tags, timeout }, async (ctx: TestContext) => {
    target.checkStarted(id);
    const warnings: string[] = [];
    const notes: string[] = [];
    const warn = (message: string) => void warnings.push(withClause(message, meta.refs));
    const info = (message: string) => void notes.push(message);
    const reviews: string[] = [];
    const config = target.config();
    const t: CheckContext = {
      config,
      token: target.token(),
      api: target.api(),
      cache: { pragma: config.profile.pragma, warn },
      authorize: target.authorize,
      authorizeAndExchange: target.authorizeAndExchange,
      shared: target.shared,
      live: () => target.liveFamily(info),
      firstRefresh: () => target.sharedFirstRefresh(info),
      async freshCode(options) {
        const flow = await target.authorize(options);
        const code = flow.outcome?.code;
        precondition(code, `the authorization request returned no code (${flow.outcome?.error ?? 'no redirect'}; see AZ-01)`);
        return { code, flow };
      },
      warn,
      should: (condition, requirement, expected, actual) => recommend(warn, condition, requirement, expected, actual),
      info,
      review(message, screenshot) {
        reviews.push(message);
        if (screenshot) recordAttachment({ name: `for review: ${message.slice(0, 60)}`, contentType: 'image/png', body: screenshot });
      },
    };
    await writeAllureLabels(record);
    const optedIn = { slow: config.runSlow, destructive: config.runDestructive };
    if (meta.optIn && !optedIn[meta.optIn]) ctx.skip(optInSkipReason(meta.optIn));
    const missing = (meta.needs ?? []).filter((feature) => !configuredFeatures(config).includes(feature));
    if (missing.length) ctx.skip(`optional feature not configured: set ${missing.map((f) => FEATURE_VARIABLES[f]).join(', ')}`);
    try {
      await body(t);
      if (meta.effects === 'destructive') await target.noteSharedGrant(info);
    } catch (error) {
      if (isSkip(error)) throw error;
      if (error instanceof PreconditionUnmet) ctx.skip(redact(`precondition: ${error.message}`));
      // Below MUST a violated requirement is not a failure: SHOULD warns, INFO only records.
      if (error instanceof CheckFailure && meta.level === 'SHOULD') warn(error.message);
      else if (error instanceof CheckFailure && meta.level === 'INFO') info(error.message);
      else if (error instanceof CheckFailure) throw redacted(new CheckFailure(withClause(error.requirement, meta.refs), error.expected, error.actual));
      else throw redacted(error);
    } finally {
      await writeEvidence(record);
      for (const note of notes) await ctx.annotate(redact(note), 'info');
      for (const warning of warnings) await ctx.annotate(redact(warning), 'warning');
      for (const message of reviews) await ctx.annotate(redact(message), 'review');
      if (warnings.length) await allure.tag('warning');
    }
  });
}
