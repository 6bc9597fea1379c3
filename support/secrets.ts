/**
 * Redaction of secrets and personal data: client secrets, API keys, passwords, codes, PKCE
 * verifiers, tokens, and e-mail addresses.
 *
 * Three layers, because none alone is enough:
 * - known values: every secret the suite learns (from config, or from a response) is registered,
 *   and each of its usual encodings is masked wherever it appears, whole or as any fragment of
 *   FRAGMENT or more characters (a token cut by someone else's excerpt is still a token);
 * - known places: OAuth parameter names and Authorization/Cookie headers are masked even when
 *   their value was never registered (for example a token in a response we did not expect);
 * - known patterns: e-mail addresses, the personal data most likely to reach a report.
 *
 * Text must be redacted whole and only then cut (`redactedExcerpt`): a cut secret may be too
 * short to recognise.
 */

/** The shortest piece of a registered secret that is never allowed to survive in clear. */
const FRAGMENT = 12;
/** Shorter secrets (down to this length) are masked only as whole values. */
const MIN_SECRET_LENGTH = 4;
/**
 * Fragments are found by seeds: SEED characters of a registered form, taken every STRIDE
 * characters. SEED + STRIDE - 1 <= FRAGMENT, so every FRAGMENT-long piece holds a whole seed.
 */
const SEED = 8;
const STRIDE = 4;
/** A reference to a seed packs the form's index and the seed's offset in one number. */
const OFFSET_SPAN = 2 ** 24;

export const REDACTED = '[REDACTED]';

/** Every registered form (a secret in one encoding) and the label it is masked with. */
const labels = new Map<string, string>();
const forms: Array<{ text: string; label: string }> = [];
/** Seed hash → references to the places of that seed in `forms`. */
const seeds = new Map<number, number[]>();
/** Forms too short for fragments, longest first; the pattern is rebuilt when one is added. */
let shortForms: string[] = [];
let shortPattern: RegExp | undefined;

/** Parameter names whose values are credentials, wherever they appear (JSON, form, query). */
const SECRET_PARAMS = [
  'access_token', 'refresh_token', 'id_token', 'code', 'code_verifier',
  'client_secret', 'password', 'token', 'api_key', 'apiKey', 'passcode', 'otp',
];
// A value cut before its closing quote (an excerpt made by someone else) is masked to the line's end.
const jsonMember = new RegExp(`"(${SECRET_PARAMS.join('|')})"(\\s*:\\s*)"(?:[^"\\\\\\n]|\\\\.)*("|\\\\?$)`, 'gm');
const formParam = new RegExp(`(^|[?&#\\s])(${SECRET_PARAMS.join('|')})=([^&#\\s"']+)`, 'g');
const credentialHeader = /^((?:proxy-)?authorization|cookie|set-cookie)(\s*:\s*)(?:(\w+)\s+)?.*$/gim;
// The lookbehind starts a match only where a local part starts, which keeps long texts linear.
const email = /(?<![\w.%+-])[\w.%+-]+(?:@|%40)[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g;

/** Encodings under which a value can show up in a request, a response or a report. */
function encodingsOf(value: string): string[] {
  const urlEncoded = encodeURIComponent(value);
  const formEncoded = new URLSearchParams({ v: value }).toString().slice(2);
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  const base64 = Buffer.from(value).toString('base64');
  return [...new Set([value, urlEncoded, formEncoded, jsonEscaped, base64.replace(/=+$/, '')])];
}

// A polynomial hash of SEED characters (mod 2^32), rolled along a text one character at a time.
const BASE = 31;
const BASE_TO_SEED = Array.from({ length: SEED }).reduce<number>((power) => Math.imul(power, BASE), 1);

function seedHash(text: string, at: number): number {
  let hash = 0;
  for (let i = at; i < at + SEED; i++) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
  return hash;
}

function rollSeedHash(hash: number, text: string, at: number): number {
  return (Math.imul(hash, BASE) - Math.imul(text.charCodeAt(at - 1), BASE_TO_SEED) + text.charCodeAt(at + SEED - 1)) | 0;
}

/** Map keys are kept to 30 bits (small integers); a bit per key lets most text positions skip the map. */
const KEY_BITS = 0x3fffffff;
const FILTER_BITS = 2 ** 22;
const filter = new Int32Array(FILTER_BITS / 32);
const inFilter = (key: number) => (filter[(key & (FILTER_BITS - 1)) >>> 5] & (1 << (key & 31))) !== 0;

function addForm(text: string, label: string): void {
  labels.set(text, label);
  if (text.length < FRAGMENT) {
    shortForms = [...shortForms, text].sort((a, b) => b.length - a.length);
    shortPattern = undefined;
    return;
  }
  const index = forms.push({ text, label }) - 1;
  for (let at = 0; at + SEED <= Math.min(text.length, OFFSET_SPAN); at += STRIDE) {
    const ref = index * OFFSET_SPAN + at;
    const key = seedHash(text, at) & KEY_BITS;
    filter[(key & (FILTER_BITS - 1)) >>> 5] |= 1 << (key & 31);
    const refs = seeds.get(key);
    if (refs) refs.push(ref);
    else seeds.set(key, [ref]);
  }
}

/** Registers a secret so that it (and its encodings) is masked from now on. Returns the value. */
export function registerSecret(value: string | undefined | null, label = 'secret'): string {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return value ?? '';
  for (const form of encodingsOf(value)) {
    if (form.length >= MIN_SECRET_LENGTH && !labels.has(form)) addForm(form, label);
  }
  return value;
}

/** Registers the credential members of a token-endpoint (or similar) JSON response. */
export function registerSecretsInJson(body: unknown): void {
  if (!body || typeof body !== 'object') return;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string' && SECRET_PARAMS.includes(key)) registerSecret(value, key);
  }
}

interface Span {
  start: number;
  end: number;
  label: string;
}

/** The longest stretch around `at` where `text` equals the form that `ref` points into. */
function matchAround(text: string, at: number, ref: number): Span {
  const form = forms[Math.floor(ref / OFFSET_SPAN)];
  const offset = ref % OFFSET_SPAN;
  let before = 0;
  while (before < at && before < offset && text.charCodeAt(at - before - 1) === form.text.charCodeAt(offset - before - 1)) before++;
  let after = 0;
  while (at + after < text.length && offset + after < form.text.length && text.charCodeAt(at + after) === form.text.charCodeAt(offset + after)) after++;
  return { start: at - before, end: at + after, label: form.label };
}

/**
 * Every stretch of `text` that is a FRAGMENT-or-longer piece of a registered form. One pass:
 * a seed found in the text is extended both ways, and the text a match covers is not searched
 * again (a piece that reaches FRAGMENT or more characters beyond it holds a seed out there).
 */
function fragmentSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (!forms.length || text.length < SEED) return spans;
  let hash = seedHash(text, 0);
  let resumeAt = 0;
  for (let at = 0; at + SEED <= text.length; at++) {
    if (at > 0) hash = rollSeedHash(hash, text, at);
    const key = hash & KEY_BITS;
    if (at < resumeAt || !inFilter(key)) continue;
    for (const ref of seeds.get(key) ?? []) {
      const span = matchAround(text, at, ref);
      if (span.end - span.start < FRAGMENT) continue;
      spans.push(span);
      resumeAt = Math.max(resumeAt, span.end);
    }
  }
  return spans;
}

function shortValueSpans(text: string): Span[] {
  if (!shortForms.length) return [];
  shortPattern ??= new RegExp(shortForms.map((f) => f.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  return [...text.matchAll(shortPattern)].map((m) => ({ start: m.index, end: m.index + m[0].length, label: labels.get(m[0]) ?? 'secret' }));
}

/** Replaces every registered value and every fragment of one; overlapping finds become one mask. */
function maskKnownValues(text: string): string {
  const spans = [...fragmentSpans(text), ...shortValueSpans(text)].sort((a, b) => a.start - b.start || b.end - a.end);
  if (!spans.length) return text;
  let out = '';
  let done = 0;
  for (let i = 0; i < spans.length;) {
    const { start, label } = spans[i];
    let end = spans[i].end;
    for (i++; i < spans.length && spans[i].start <= end; i++) end = Math.max(end, spans[i].end);
    out += `${text.slice(done, start)}[REDACTED:${label}]`;
    done = end;
  }
  return out + text.slice(done);
}

export function redact(text: string): string {
  return maskKnownValues(text)
    .replace(jsonMember, (_m, name: string, sep: string, close: string) => `"${name}"${sep}"${REDACTED}${close === '"' ? '"' : ''}`)
    .replace(formParam, (_m, lead: string, name: string) => `${lead}${name}=${REDACTED}`)
    .replace(credentialHeader, (_m, name: string, sep: string, scheme?: string) =>
      `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`)
    .replace(email, '[REDACTED:email]');
}

/**
 * `text` redacted whole, then shortened to about `max` characters (never inside a mask).
 * The one way to shorten a text that leaves the suite.
 */
export function redactedExcerpt(text: string, max: number): string {
  const clear = redact(text);
  if (clear.length <= max) return clear;
  let cut = max;
  const mask = clear.lastIndexOf('[REDACTED', cut);
  if (mask >= 0 && clear.indexOf(']', mask) >= cut) cut = mask;
  return `${clear.slice(0, cut)}… (${clear.length - cut} more characters)`;
}

/** Deep-redacts every string of a JSON-like value (strings one by one: never across JSON syntax). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redact(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) =>
      [k, typeof v === 'string' && SECRET_PARAMS.includes(k) ? REDACTED : redactDeep(v)])) as T;
  }
  return value;
}

/** For unit tests only: forget every registered value. */
export function clearSecretsForTesting(): void {
  labels.clear();
  forms.length = 0;
  seeds.clear();
  filter.fill(0);
  shortForms = [];
  shortPattern = undefined;
}
