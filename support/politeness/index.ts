/**
 * The suite's politeness towards the target, per process: the request-rate ceiling, the failed-
 * authentication cap and the circuit breaker, which send() (support/http.ts) applies to every
 * request. The runner (its preflight) and the checks' worker each configure them from the run's
 * config; they never send at the same time, so a ceiling per process keeps the run under it too
 * (but for one window's overlap at the handover, a few preflight requests). The failed
 * authentications the preflight spent are handed over in the config. Unconfigured (unit tests),
 * none of the three applies.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { SuiteConfig } from '../config.ts';
import { CircuitBreaker } from './breaker.ts';
import { FailedAuthBudget, goodBasicCredentials } from './failed-auth.ts';
import { RateCeiling } from './rate-ceiling.ts';

export interface Politeness {
  ceiling?: RateCeiling;
  failedAuth?: FailedAuthBudget;
  breaker?: CircuitBreaker;
}

let active: Politeness = {};

export function configurePoliteness(config: SuiteConfig): void {
  const { maxRequestsPerMinute, maxFailedAuth, failedAuthSpent } = config.politeness;
  active = {
    ceiling: new RateCeiling(maxRequestsPerMinute),
    failedAuth: new FailedAuthBudget(maxFailedAuth, goodBasicCredentials(config), failedAuthSpent),
    breaker: new CircuitBreaker(),
  };
}

export function politeness(): Politeness {
  return active;
}

/** Requests with wrong credentials this process has sent (and was handed over). */
export function failedAuthSpent(): number {
  return active.failedAuth?.used ?? 0;
}

const seeing = new AsyncLocalStorage<true>();

/**
 * Runs `work` with 429 answers returned as they are instead of waited out: for a check that
 * provokes rate limiting on purpose (SEC-09) and must see it. Applies to every request `work`
 * sends, whichever helper sends it.
 */
export function seeing429s<T>(work: () => Promise<T>): Promise<T> {
  return seeing.run(true, work);
}

export function honours429(): boolean {
  return seeing.getStore() === undefined;
}
