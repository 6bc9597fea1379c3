/**
 * Redaction of secrets: client secrets, API keys, passwords, codes, PKCE verifiers and tokens.
 *
 * Two layers, because either alone leaks:
 * - known values: every secret the suite learns (from config, or from a response) is registered,
 *   and each of its usual encodings is replaced wherever it appears;
 * - known places: OAuth parameter names and Authorization/Cookie headers are masked even when
 *   their value was never registered (for example a token in a response we did not expect).
 */

const MIN_SECRET_LENGTH = 4;
const registry = new Map<string, string>();

/** Parameter names whose values are credentials, wherever they appear (JSON, form, query). */
const SECRET_PARAMS = [
  'access_token', 'refresh_token', 'id_token', 'code', 'code_verifier',
  'client_secret', 'password', 'token', 'api_key', 'apiKey', 'passcode', 'otp',
];
const jsonMember = new RegExp(`"(${SECRET_PARAMS.join('|')})"(\\s*:\\s*)"(?:[^"\\\\]|\\\\.)*"`, 'g');
const formParam = new RegExp(`(^|[?&#\\s])(${SECRET_PARAMS.join('|')})=([^&#\\s"']+)`, 'g');
const credentialHeader = /^((?:proxy-)?authorization|cookie|set-cookie)(\s*:\s*)(?:(\w+)\s+)?.*$/gim;

export const REDACTED = '[REDACTED]';

/** Encodings under which a value can show up in a request, a response or a report. */
function encodingsOf(value: string): string[] {
  const urlEncoded = encodeURIComponent(value);
  const formEncoded = new URLSearchParams({ v: value }).toString().slice(2);
  const jsonEscaped = JSON.stringify(value).slice(1, -1);
  const base64 = Buffer.from(value).toString('base64');
  return [...new Set([value, urlEncoded, formEncoded, jsonEscaped, base64.replace(/=+$/, '')])];
}

/** Registers a secret so that it (and its encodings) is masked from now on. Returns the value. */
export function registerSecret(value: string | undefined | null, label = 'secret'): string {
  if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) return value ?? '';
  for (const form of encodingsOf(value)) {
    if (form.length >= MIN_SECRET_LENGTH && !registry.has(form)) registry.set(form, label);
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

export function redact(text: string): string {
  let out = text;
  // Longest first, so a secret is never half-replaced by one of its substrings.
  const values = [...registry.keys()].sort((a, b) => b.length - a.length);
  for (const value of values) {
    if (out.includes(value)) out = out.split(value).join(`[REDACTED:${registry.get(value)}]`);
  }
  return out
    .replace(jsonMember, (_m, name: string, sep: string) => `"${name}"${sep}"${REDACTED}"`)
    .replace(formParam, (_m, lead: string, name: string) => `${lead}${name}=${REDACTED}`)
    .replace(credentialHeader, (_m, name: string, sep: string, scheme?: string) =>
      `${name}${sep}${scheme ? `${scheme} ` : ''}${REDACTED}`);
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
  registry.clear();
}
