/**
 * `check()`: one catalog check as one Vitest test. It names the test by the check's ID, tags it
 * with its level and clauses, turns violations into verdicts by level (MUST fails, SHOULD warns,
 * an unmet precondition skips), and writes the redacted evidence and labels to Allure.
 */
import * as allure from 'allure-js-commons';
import { test, type TestContext } from 'vitest';
import { writeAllureLabels, writeEvidence } from './reporting/allure-labels.ts';
import { redact } from './secrets.ts';
import * as target from './target.ts';
import { CheckFailure, PreconditionUnmet, precondition, type CacheHeaderOptions } from './verdicts.ts';

export type Level = 'MUST' | 'SHOULD' | 'PROFILE' | 'INFO';

export interface CheckRecord {
  id: string;
  title: string;
  level: Level;
  refs: string[];
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
  readonly shared: typeof target.shared;
  readonly sharedFirstRefresh: typeof target.sharedFirstRefresh;
  /** A fresh authorization code from the browser; skips the check if none is issued. */
  freshCode(options?: Parameters<typeof target.authorize>[0]): Promise<{ code: string; flow: target.BrowserFlow }>;
  /** Records a SHOULD-level deviation: a warning, failing only in strict mode. */
  warn(message: string): void;
  /** Records an observation that never fails. */
  info(message: string): void;
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

export function check(
  id: string,
  title: string,
  meta: { level: Level; refs: string[]; timeout?: number },
  body: (t: CheckContext) => Promise<void>,
): void {
  const record: CheckRecord = { id, title, level: meta.level, refs: meta.refs };
  const tags = [meta.level.toLowerCase(), id.split('-')[0].toLowerCase()];
  test(`${id} ${title}`, { meta: { check: record }, tags, timeout: meta.timeout }, async (ctx: TestContext) => {
    const warnings: string[] = [];
    const notes: string[] = [];
    const warn = (message: string) => void warnings.push(message);
    const config = target.config();
    const t: CheckContext = {
      config,
      token: target.token(),
      api: target.api(),
      cache: { pragma: config.profile.pragma, warn },
      authorize: target.authorize,
      authorizeAndExchange: target.authorizeAndExchange,
      shared: target.shared,
      sharedFirstRefresh: target.sharedFirstRefresh,
      async freshCode(options) {
        const flow = await target.authorize(options);
        const code = flow.outcome?.code;
        precondition(code, `the authorization request returned no code (${flow.outcome?.error ?? 'no redirect'}; see AZ-01)`);
        return { code, flow };
      },
      warn,
      info: (message) => void notes.push(message),
    };
    await writeAllureLabels(record);
    try {
      await body(t);
    } catch (error) {
      if (isSkip(error)) throw error;
      if (error instanceof PreconditionUnmet) ctx.skip(redact(`precondition: ${error.message}`));
      // Below MUST a violated requirement is not a failure: SHOULD warns, INFO only records.
      if (error instanceof CheckFailure && meta.level === 'SHOULD') warnings.push(error.message);
      else if (error instanceof CheckFailure && meta.level === 'INFO') notes.push(error.message);
      else throw redacted(error);
    } finally {
      await writeEvidence(record);
      for (const note of notes) await ctx.annotate(redact(note), 'info');
      for (const warning of warnings) await ctx.annotate(redact(warning), 'warning');
      if (warnings.length) await allure.tag('warning');
    }
    if (warnings.length && config.strict) {
      throw redacted(new CheckFailure(`${warnings.length} warning(s), and strict mode fails on warnings`, 'no warning', warnings.join(' | ')));
    }
  });
}
