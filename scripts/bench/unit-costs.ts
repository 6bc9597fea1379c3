/**
 * What a run's time grows with, read from its checks.json: a check that spends no browser
 * authorization costs `perCheckMs` (the median of those checks), and each authorization adds
 * `perAuthorizationMs` (the median, over the checks that spend some, of their duration less
 * `perCheckMs`, per authorization). Medians, so that one-time costs (the check that starts the
 * browser, a wait of a second in TK-04) are not taken for a unit's.
 */
export interface CheckTiming {
  status: string;
  durationMs?: number;
  authorizations?: number;
}

export interface UnitCosts {
  /** Checks that ran (not skipped). */
  checks: number;
  authorizations: number;
  /** The checks' own time, summed (the run's wall time also holds start-up and reports). */
  checksMs: number;
  perCheckMs: number;
  perAuthorizationMs: number;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function unitCosts(checks: readonly CheckTiming[]): UnitCosts {
  const ran = checks.filter((c) => c.status !== 'SKIPPED');
  const duration = (c: CheckTiming) => c.durationMs ?? 0;
  const spending = ran.filter((c) => (c.authorizations ?? 0) > 0);
  const perCheckMs = median(ran.filter((c) => !c.authorizations).map(duration));
  return {
    checks: ran.length,
    authorizations: spending.reduce((sum, c) => sum + c.authorizations!, 0),
    checksMs: ran.reduce((sum, c) => sum + duration(c), 0),
    perCheckMs,
    perAuthorizationMs: median(spending.map((c) => Math.max(0, duration(c) - perCheckMs) / c.authorizations!)),
  };
}
