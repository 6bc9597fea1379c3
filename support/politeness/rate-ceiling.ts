/**
 * The run's request-rate ceiling: at most `perMinute` requests in any 60 seconds. Pleo documents
 * its limit per minute (600, integrations to stay at or below 500), so the ceiling is kept as a
 * sliding window of send times rather than a token bucket: a bucket small enough never to exceed
 * the minute's allowance would also delay every burst (a full run sends ~250 requests in bursts
 * of up to ~90 a second), while the window delays a request only when the last minute is full.
 */
import { setTimeout as sleep } from 'node:timers/promises';

const MINUTE_MS = 60_000;

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<unknown>;
}

const realClock: Clock = { now: () => Date.now(), sleep: (ms) => sleep(ms) };

export class RateCeiling {
  /** Send times within the last minute, oldest first. */
  private readonly sent: number[] = [];

  constructor(readonly perMinute: number, private readonly clock: Clock = realClock) {}

  /** Resolves when one more request fits in the window, and counts it. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      while (this.sent.length && this.sent[0] <= now - MINUTE_MS) this.sent.shift();
      if (this.sent.length < this.perMinute) {
        this.sent.push(now);
        return;
      }
      await this.clock.sleep(this.sent[0] + MINUTE_MS - now);
    }
  }
}
