import { describe, expect, it } from 'vitest';
import { isOptInSkip, optInSkipReason } from '../../support/opt-in.ts';
import type { CheckResult } from '../../support/reporting/checks-reporter.ts';
import { unexpectedMustSkips } from '../../support/reporting/run-outcome.ts';

const skipped = (reason: string): CheckResult => ({ id: 'TK-07', name: 'TK-07', file: 'f', level: 'MUST', status: 'SKIPPED', details: [reason], durationMs: 0 });

describe('opt-in checks (--slow, --destructive)', () => {
  it('skip with a reason that names the option', () => {
    expect(optInSkipReason('slow')).toMatch(/run with --slow$/);
    expect(optInSkipReason('destructive')).toMatch(/run with --destructive$/);
  });

  it('the reporter tells a run\'s choice from a failed precondition, whichever way the check skipped', () => {
    expect(isOptInSkip(optInSkipReason('slow'))).toBe(true);
    expect(isOptInSkip('precondition: a slow check: run with --slow')).toBe(true);
    expect(isOptInSkip('precondition: no refresh token was issued')).toBe(false);
    expect(isOptInSkip(undefined)).toBe(false);
  });

  it('a MUST check left out by the run does not fail a strict run; one skipped by the target does', () => {
    const checks = [skipped(optInSkipReason('slow')), skipped('precondition: a slow check: run with --slow'), skipped('precondition: no code')];
    expect(unexpectedMustSkips(checks).map((c) => c.details[0])).toEqual(['precondition: no code']);
  });
});
