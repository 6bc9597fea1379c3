/**
 * The circuit breaker: after three requests in a row end in an infrastructure failure (no answer
 * at all, or 502/503/504 even after their repeats), the target counts as unavailable and no more
 * requests are sent; the run stops and exits 2 (support/run/unavailable.ts). A 500 does not count:
 * it is an answer, and often the very thing a check looks for.
 */
import { TargetUnavailableError } from '../run/errors.ts';

export const BREAKER_THRESHOLD = 3;

export class CircuitBreaker {
  private failures: string[] = [];
  private openedWith: string | undefined;

  constructor(private readonly threshold = BREAKER_THRESHOLD) {}

  /** Throws TargetUnavailableError once the breaker is open. */
  admit(): void {
    if (this.openedWith) throw new TargetUnavailableError(this.openedWith);
  }

  succeeded(): void {
    this.failures = [];
  }

  /** Records an infrastructure failure (`what`: the request and what happened); opens at the threshold. */
  failed(what: string): void {
    this.failures.push(what);
    if (this.failures.length >= this.threshold) this.openedWith ??= `${this.failures.length} requests in a row failed (the last: ${what})`;
  }

  get open(): boolean {
    return this.openedWith !== undefined;
  }
}
