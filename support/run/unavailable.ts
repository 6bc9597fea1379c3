/**
 * The runner's side of the circuit breaker. The checks' worker has its own (support/politeness/
 * breaker.ts): an open one fails every request with a TargetUnavailableError, and the first check
 * that fails with one stops the run here. The browser's failures do not pass the worker's breaker,
 * so a check that could not run (any error but a violated requirement) also makes the runner ask
 * whether the target still answers (a request repeated as send() repeats it); if it does not, the
 * run stops too. Either way the runner then exits 2 naming the reason, instead of reporting a wall
 * of failed checks as verdicts.
 */
import type { Reporter, TestCase, Vitest } from 'vitest/node';
import { TargetUnavailableError } from './errors.ts';

const UNAVAILABLE = new TargetUnavailableError('').name;
const PREFIX = new TargetUnavailableError('').message;
/** As in support/reporting/checks-reporter.ts: the errors of a violated requirement. */
const ASSERTION_ERRORS = /^(CheckFailure|AssertionError)$/;

export class UnavailableTarget implements Reporter {
  private vitest: Vitest | undefined;
  private asking: Promise<void> | undefined;
  /** Why the target is unavailable, once the run was stopped for it. */
  reason: string | undefined;

  /** `unanswered`: what keeps the target from answering now, or undefined when it answers. */
  constructor(private readonly unanswered: () => Promise<string | undefined>) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestCaseResult(test: TestCase): void {
    const result = test.result();
    if (result.state === 'skipped' || this.reason !== undefined) return;
    const errors = result.state === 'failed' ? (result.errors ?? []) : [];
    const breaker = errors.find((e) => e.name === UNAVAILABLE);
    // The error crossed from the worker as its message only (check() redacts errors into new ones).
    if (breaker) return this.stop(breaker.message.startsWith(PREFIX) ? breaker.message.slice(PREFIX.length) : breaker.message);
    const couldNotRun = errors.length > 0 && !errors.every((e) => ASSERTION_ERRORS.test(e.name ?? ''));
    if (couldNotRun) this.asking ??= this.ask();
  }

  private async ask(): Promise<void> {
    const reason = await this.unanswered().catch(() => undefined);
    if (reason) this.stop(reason);
    this.asking = undefined;
  }

  private stop(reason: string): void {
    this.reason ??= reason;
    void this.vitest?.cancelCurrentRun('test-failure');
  }

  /** After the run: throws the TargetUnavailableError that stopped it, if one did. */
  async throwIfUnavailable(): Promise<void> {
    await this.asking;
    if (this.reason !== undefined) throw new TargetUnavailableError(this.reason);
  }
}
