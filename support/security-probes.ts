/**
 * Pure judgements behind the SEC checks: how guessable a token looks, whether a series of failed
 * logins met any brute-force defence, and what an error surface gives away. No I/O here, so each
 * rule is unit-tested on its own (selftest/unit/security-probes.test.ts).
 */
import { headerValue, type Exchange } from './http.ts';

/**
 * A Shannon estimate of a value's entropy in bits: the entropy per character of the value's own
 * character distribution, times its length (the estimate the OpenID conformance suite uses). It
 * overstates a structured value and understates none that is random, which is what a floor needs.
 */
export function shannonBits(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  const length = [...value].length;
  let perChar = 0;
  for (const count of counts.values()) perChar -= (count / length) * Math.log2(count / length);
  return perChar * length;
}

const BASE64URL_SEGMENT = /^[A-Za-z0-9_-]+$/;

/** Whether a value has the shape of a JWS compact serialisation: three base64url segments. */
export function isJwtShaped(value: string): boolean {
  const segments = value.split('.');
  return segments.length === 3 && segments.every((segment) => BASE64URL_SEGMENT.test(segment));
}

/**
 * The part of a token whose entropy is estimated: for a JWT-shaped value only its last segment,
 * since header and claims are predictable and would inflate the estimate (catalog SEC-02).
 */
export function unpredictablePart(value: string): string {
  return isJwtShaped(value) ? value.split('.')[2] : value;
}

export interface Attempt {
  status: number;
  /** How long the answer took, in milliseconds. */
  ms: number;
  retryAfter?: string;
  /** The OAuth `error` member, if any. */
  error?: string;
}

export type BruteForceDefence =
  | { kind: 'rate-limited'; after: number; retryAfter?: string }
  | { kind: 'locked-out'; after: number; answer: string }
  | { kind: 'backoff'; firstMs: number; lastMs: number }
  | { kind: 'none' };

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
// A slowdown counts as backoff when the last answers take three times as long, and at least 250 ms more.
const BACKOFF_FACTOR = 3;
const BACKOFF_MIN_MS = 250;

const answerOf = (attempt: Attempt) => `HTTP ${attempt.status} ${attempt.error ?? '(no error code)'}`;

/**
 * What a series of failed authentications met (RFC 6749 §2.3.1 "MUST protect"; RFC 6585 §4): a
 * 429, a change of answer part-way (a lockout: 403, 423, or another error), or answers that slow
 * down. Attempts are in the order they were made.
 */
export function bruteForceDefence(attempts: Attempt[]): BruteForceDefence {
  const limited = attempts.findIndex((a) => a.status === 429);
  if (limited >= 0) return { kind: 'rate-limited', after: limited, retryAfter: attempts[limited].retryAfter };
  const changed = attempts.findIndex((a) => answerOf(a) !== answerOf(attempts[0]));
  if (changed > 0) return { kind: 'locked-out', after: changed, answer: answerOf(attempts[changed]) };
  const window = Math.max(1, Math.floor(attempts.length / 4));
  const firstMs = median(attempts.slice(0, window).map((a) => a.ms));
  const lastMs = median(attempts.slice(-window).map((a) => a.ms));
  if (lastMs >= firstMs * BACKOFF_FACTOR && lastMs - firstMs >= BACKOFF_MIN_MS) return { kind: 'backoff', firstMs, lastMs };
  return { kind: 'none' };
}

/** The seconds a Retry-After value asks to wait (RFC 9110 §10.2.3: delay-seconds or an HTTP-date); undefined if it is neither. */
export function retryAfterSeconds(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim());
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000));
}

/** Where a response sends the browser, if it redirects: its Location, or an HTML meta refresh. */
export function redirectTargetOf(exchange: Exchange): string | undefined {
  const { status, text } = exchange.response;
  const location = headerValue(exchange.response, 'location');
  if (status >= 300 && status < 400 && location) return new URL(location, exchange.request.url).href;
  const refresh = /<meta[^>]+http-equiv=["']?refresh["']?[^>]*content=["'][^"']*url=([^"'>\s]+)/i.exec(text)?.[1];
  return refresh ? new URL(refresh, exchange.request.url).href : undefined;
}

// Frames of Node, Java, Python, .NET and PHP stack traces, and paths of installed code.
const STACK_TRACE = [
  /\n\s+at [\w$.<>]+ \(?[^()\n]*:\d+:\d+\)?/,
  /\bat [\w$.]+\([\w]+\.java:\d+\)/,
  /Traceback \(most recent call last\)/,
  /\bat [\w.]+\(.*\) in .*:line \d+/,
  /#\d+ \/[\w/.-]+\.php\(\d+\)/,
  /\/node_modules\//,
];

/** The first piece of a response body that looks like a stack trace or an internal path, if any. */
export function stackTraceIn(text: string): string | undefined {
  for (const pattern of STACK_TRACE) {
    const match = pattern.exec(text);
    if (match) return match[0].trim();
  }
  return undefined;
}

/** Whether an HTML body holds the markup of `payload` unescaped (a reflected XSS), rather than as text. */
export function reflectsMarkup(body: string, contentType: string, payload: string): boolean {
  return /html/i.test(contentType) && body.includes(payload);
}
