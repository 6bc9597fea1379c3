/** Test helpers: JWT-sized tokens and an independent, brute-force search for surviving fragments. */
import { randomBytes } from 'node:crypto';

/** Three base64url segments, about 1 KB, shaped like a signed JWT. */
export function jwtSizedToken(): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'at+jwt', kid: randomBytes(8).toString('hex') })).toString('base64url');
  return [header, randomBytes(560).toString('base64url'), randomBytes(256).toString('base64url')].join('.');
}

export function encodingsForTest(secret: string): Record<'clear' | 'url-encoded' | 'form-encoded' | 'json-escaped' | 'base64', string> {
  return {
    clear: secret,
    'url-encoded': encodeURIComponent(secret),
    'form-encoded': new URLSearchParams({ v: secret }).toString().slice(2),
    'json-escaped': JSON.stringify(secret).slice(1, -1),
    base64: Buffer.from(secret).toString('base64').replace(/=+$/, ''),
  };
}

/** A 12-character piece of any encoding of `secret` that `text` still holds, if any. */
export function survivingFragment(text: string, secret: string): string | undefined {
  for (const encoded of Object.values(encodingsForTest(secret))) {
    for (let at = 0; at + 12 <= encoded.length; at++) {
      const piece = encoded.slice(at, at + 12);
      if (text.includes(piece)) return piece;
    }
  }
  return undefined;
}

/**
 * The CPU time `work` takes, in milliseconds: unlike wall-clock time it hardly depends on how
 * busy the machine is, so a performance bound stays meaningful on a shared CI runner.
 */
export function cpuMillis(work: () => unknown): number {
  const start = process.cpuUsage();
  work();
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
}
