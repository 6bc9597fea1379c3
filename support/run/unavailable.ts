/**
 * The runner's side of the circuit breaker (support/politeness/breaker.ts). In the checks' worker
 * an open breaker fails every request with a TargetUnavailableError; the first check that fails
 * with one stops the run here, and the runner then exits 2 naming the reason instead of reporting
 * a wall of failed checks as verdicts.
 */
import type { Reporter, TestCase, Vitest } from 'vitest/node';
import { TargetUnavailableError } from './errors.ts';

const UNAVAILABLE = new TargetUnavailableError('').name;
const PREFIX = 'the target is unavailable: ';

export class UnavailableTarget implements Reporter {
  private vitest: Vitest | undefined;
  /** The breaker's reason, once a check failed with it. */
  reason: string | undefined;

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestCaseResult(test: TestCase): void {
    const error = test.result().errors?.find((e) => e.name === UNAVAILABLE);
    if (!error || this.reason !== undefined) return;
    this.reason = error.message.startsWith(PREFIX) ? error.message.slice(PREFIX.length) : error.message;
    void this.vitest?.cancelCurrentRun('test-failure');
  }

  /** Throws the breaker's error if the run was stopped by it. */
  throwIfUnavailable(): void {
    if (this.reason !== undefined) throw new TargetUnavailableError(this.reason);
  }
}
