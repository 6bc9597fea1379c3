/**
 * Checks a run leaves out unless asked: `slow` ones wait out a code or token lifetime (--slow),
 * `destructive` ones change the target's state beyond tokens, e.g. delete the installation
 * (--destructive). Such a check is skipped with a reason that ends "run with --slow" (or
 * "--destructive"), so that the reporter can tell this choice of the run from a precondition the
 * target failed: a strict run does not fail on it. `check(…, { optIn: 'slow' })` gives that reason;
 * so does `precondition(t.config.runSlow, 'a slow check: run with --slow')` in a check's body.
 */
export type OptIn = 'slow' | 'destructive';

const REASONS: Record<OptIn, string> = {
  slow: 'a slow check (it waits out a code or token lifetime): run with --slow',
  destructive: 'a destructive check (it changes the target beyond tokens): run with --destructive',
};

export function optInSkipReason(kind: OptIn): string {
  return REASONS[kind];
}

const OPT_IN_SKIP = /run with --(slow|destructive)$/;

/** Whether a skip reason is a run's choice to leave an opt-in check out. */
export function isOptInSkip(reason: string | undefined): boolean {
  return OPT_IN_SKIP.test(reason ?? '');
}
