/**
 * A Playwright trace made safe to share: every text entry (actions, network log, DOM snapshots,
 * text bodies) passes through redact(), which masks every registered secret in every encoding;
 * cookie and credential headers lose their values, since a session cookie is a live credential
 * that is never registered. Binary entries (images, fonts, other bodies) cannot be redacted and
 * are dropped: the trace viewer shows a missing resource as blank.
 */
import AdmZip from 'adm-zip';
import { redact, REDACTED } from '../secrets.ts';

export interface RedactedTrace {
  zip: Buffer;
  /** Entries kept (redacted) and dropped (binary). */
  kept: number;
  dropped: number;
  /** Browser actions recorded (0: the trace holds nothing worth opening). */
  actions: number;
}

const CREDENTIAL_HEADER = /^(?:(?:proxy-)?authorization|cookie|set-cookie)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The entry as text, or undefined when it is not UTF-8 text. */
function asText(data: Buffer): string | undefined {
  try {
    const text = utf8.decode(data);
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

/** Masks header and cookie values in a parsed trace event: `{ name: 'cookie', value }`, `cookies: [{ name, value }]`. */
function maskCredentials(value: unknown, inCookies = false): unknown {
  if (Array.isArray(value)) return value.map((item) => maskCredentials(item, inCookies));
  if (value === null || typeof value !== 'object') return value;
  const record = value as Record<string, unknown>;
  const masked = Object.fromEntries(Object.entries(record).map(([key, item]) => [key, maskCredentials(item, key === 'cookies')]));
  const credential = inCookies || (typeof record.name === 'string' && CREDENTIAL_HEADER.test(record.name));
  if (credential && typeof record.value === 'string') masked.value = REDACTED;
  return masked;
}

/** Trace and network logs are JSON lines: each line is scrubbed of cookie values before redact(). */
function redactText(name: string, text: string): string {
  if (!/\.(trace|network)$/.test(name)) return redact(text);
  return text.split('\n').map((line) => {
    if (!line.trim()) return line;
    try {
      return redact(JSON.stringify(maskCredentials(JSON.parse(line))));
    } catch {
      return redact(line);
    }
  }).join('\n');
}

export function redactTraceZip(raw: Buffer): RedactedTrace {
  const out = new AdmZip();
  let kept = 0;
  let dropped = 0;
  let actions = 0;
  for (const entry of new AdmZip(raw).getEntries()) {
    if (entry.isDirectory) continue;
    const text = asText(entry.getData());
    if (text === undefined) {
      dropped++;
      continue;
    }
    if (entry.entryName.endsWith('.trace')) actions += text.split('\n').filter((line) => line.startsWith('{"type":"before"')).length;
    out.addFile(entry.entryName, Buffer.from(redactText(entry.entryName, text)));
    kept++;
  }
  return { zip: out.toBuffer(), kept, dropped, actions };
}
