/**
 * When a request is repeated, and after how long: a 429 is waited out (Retry-After, else a doubling
 * back-off) and repeated, whatever the method, since a rate-limited request was not processed; a
 * 502, 503 or 504, or a transport failure, is repeated a few times where that is safe (transport-
 * failure.ts). Every repeat of one request waits at most MAX_WAIT_MS in all. An answer is never
 * repeated for what it says: a 400 or a 500 is the target's verdict material.
 */
import { retryAfterMs } from './retry-after.ts';
import { transportRetries, type TransportFailure } from './transport-failure.ts';

/** All the waiting one request may do: half a check's time limit (vitest.config.ts testTimeout). */
export const MAX_WAIT_MS = 30_000;
const MAX_429_REPEATS = 5;
const UNAVAILABLE_REPEATS = 2;
const TRANSIENT_STATUSES = new Set([502, 503, 504]);

export interface Progress {
  method: string;
  /** Attempts made so far (1 after the first). */
  attempts: number;
  waitedMs: number;
  /** false: a 429 is returned as it is (a check that provokes rate limiting wants to see it). */
  honour429: boolean;
}

export type Next =
  | { repeat: true; afterMs: number; why: string }
  | { repeat: false; rateLimited?: string };

const doubling = (baseMs: number, attempts: number) => baseMs * 2 ** (attempts - 1);
const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

function within(progress: Progress, afterMs: number, why: string): Next | undefined {
  return progress.waitedMs + afterMs <= MAX_WAIT_MS ? { repeat: true, afterMs, why } : undefined;
}

/** Whether a 502/503/504 counts against the target's availability (the circuit breaker). */
export function isTransientStatus(status: number): boolean {
  return TRANSIENT_STATUSES.has(status);
}

export function afterAnswer(status: number, retryAfter: string | undefined, progress: Progress, now = Date.now()): Next {
  const asked = retryAfterMs(retryAfter, now);
  if (status === 429 && progress.honour429) {
    const afterMs = asked ?? doubling(1000, progress.attempts);
    const next = progress.attempts <= MAX_429_REPEATS && within(progress, afterMs, `HTTP 429, Retry-After: ${retryAfter ?? '(none)'}; waited ${seconds(afterMs)} and repeated`);
    return next || { repeat: false, rateLimited: `the target still answers HTTP 429 after ${progress.attempts} attempts and ${seconds(progress.waitedMs)} of waiting${asked !== undefined ? ` (it asks for ${seconds(asked)} more)` : ''}; the suite waits at most ${seconds(MAX_WAIT_MS)} per request` };
  }
  const safe = progress.method === 'GET' || progress.method === 'HEAD';
  if (isTransientStatus(status) && safe && progress.attempts <= UNAVAILABLE_REPEATS) {
    const afterMs = asked ?? doubling(200, progress.attempts);
    return within(progress, afterMs, `HTTP ${status}; repeated after ${seconds(afterMs)}`) ?? { repeat: false };
  }
  return { repeat: false };
}

export function afterTransportFailure(failure: TransportFailure, progress: Progress): Next {
  if (progress.attempts > transportRetries(failure.kind, progress.method)) return { repeat: false };
  const afterMs = doubling(100, progress.attempts);
  return within(progress, afterMs, `${failure.text}; repeated after ${seconds(afterMs)}`) ?? { repeat: false };
}
