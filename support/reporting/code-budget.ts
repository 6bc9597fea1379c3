/**
 * The code budget: how many browser authorizations (login/consent round trips that end in a
 * code or an error redirect) a run spends. Each one costs the target a login and the run about a
 * second, so the catalog plans at most CODE_BUDGET per full run. It is a design target: a run
 * over it is reported loudly, never failed.
 *
 * The worker counts on the current Vitest test's meta (support/target.ts `authorize` is the single
 * entry point); the meta travels to the reporter with the test's result.
 */
import { getCurrentTest } from '@vitest/runner';

export const CODE_BUDGET = 35;

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Browser authorizations this check started (the shared fixture's count on the check that made it). */
    authorizations?: number;
  }
}

/** Counts one browser authorization on the check that is running (none outside a check). */
export function countAuthorization(): void {
  const test = getCurrentTest();
  if (test) test.meta.authorizations = (test.meta.authorizations ?? 0) + 1;
}

export interface AuthorizationCount {
  total: number;
  budget: number;
}

export function authorizationCount(checks: { authorizations?: number }[]): AuthorizationCount {
  return { total: checks.reduce((sum, c) => sum + (c.authorizations ?? 0), 0), budget: CODE_BUDGET };
}

/** The closing line of the count, and a loud one when the run went over the budget. */
export function budgetLines({ total, budget }: AuthorizationCount): { text: string; error?: true }[] {
  const line = { text: `browser authorizations: ${total} (budget ${budget})` };
  if (total <= budget) return [line];
  return [line, { text: `over the budget of ${budget} browser authorizations by ${total - budget}: a design target, not a failure; spend fresh codes only where the catalog says so`, error: true }];
}
