/**
 * The suite's HTTP client. Every exchange is recorded as evidence of the running check, and
 * credentials found in responses are registered for redaction before anything is written.
 * Bodies that may hold personal data (the resource API's) are shown by their shape only.
 */
import { Agent, Client, request, type Dispatcher } from 'undici';
import { shapeOf } from './body-shape.ts';
import { recordEvidence } from './evidence.ts';
import { registerSecretsInJson } from './secrets.ts';

/** How a response body appears in evidence and failures: as received, or only its shape. */
export type BodyEvidence = 'full' | 'shape';

export type FormParams = Record<string, string | undefined> | Array<[string, string]>;

export interface HttpRequest {
  method?: 'GET' | 'POST' | 'DELETE' | 'PUT';
  url: string;
  headers?: Record<string, string>;
  /** Sent as application/x-www-form-urlencoded; undefined members are omitted. Pairs allow repeats. */
  form?: FormParams;
  body?: string;
  /** 'shape' for bodies that may hold personal data; shown in full only when so configured. */
  evidence?: BodyEvidence;
  /** The connection pool to send on; the suite's shared one by default. */
  dispatcher?: Dispatcher;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  /** The parsed body when the response is JSON, otherwise undefined. */
  json: unknown;
  contentType: string;
}

export interface Exchange {
  request: Required<Pick<HttpRequest, 'method' | 'url'>> & { headers: Record<string, string>; body?: string };
  response: HttpResponse;
  /** How the body may be shown (absent: in full). */
  evidence?: BodyEvidence;
}

/** A failure to talk to the target at all (DNS, refused, TLS, timeout): not a verdict. */
export class TransportError extends Error {
  constructor(readonly url: string, cause: unknown) {
    const reason = (cause as { code?: string; message?: string })?.code ?? (cause as Error)?.message ?? String(cause);
    super(`cannot reach ${new URL(url).origin}: ${reason}`);
    this.name = 'TransportError';
  }
}

let agent: Agent | undefined;
let timeoutMs = 10_000;
let fullApiBodies = false;

/** `fullApiBodies`: show bodies requested with `evidence: 'shape'` in full after all (PLEO_EVIDENCE_FULL_BODIES). */
export function configureHttp(options: { timeoutMs: number; fullApiBodies?: boolean }): void {
  timeoutMs = options.timeoutMs;
  fullApiBodies = options.fullApiBodies ?? false;
  agent = undefined;
}

function dispatcher(): Agent {
  agent ??= new Agent({ connect: { timeout: timeoutMs }, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
  return agent;
}

function encodeForm(form: FormParams): string {
  const pairs = Array.isArray(form) ? form : Object.entries(form).filter((e): e is [string, string] => e[1] !== undefined);
  return new URLSearchParams(pairs).toString();
}

function parseJson(text: string, contentType: string): unknown {
  if (!/[/+]json\b/i.test(contentType)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export function headerValues(response: HttpResponse, name: string): string[] {
  const value = response.headers[name.toLowerCase()];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

export function headerValue(response: HttpResponse, name: string): string | undefined {
  const values = headerValues(response, name);
  return values.length ? values.join(', ') : undefined;
}

export async function send(req: HttpRequest): Promise<Exchange> {
  const method = req.method ?? (req.form || req.body ? 'POST' : 'GET');
  const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
  let body = req.body;
  if (req.form) {
    body = encodeForm(req.form);
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
  }
  let res;
  try {
    res = await request(req.url, { method, headers, body, dispatcher: req.dispatcher ?? dispatcher() });
  } catch (error) {
    throw new TransportError(req.url, error);
  }
  const text = await res.body.text();
  const contentType = String(res.headers['content-type'] ?? '');
  const json = parseJson(text, contentType);
  registerSecretsInJson(json);
  const exchange: Exchange = {
    request: { method, url: req.url, headers, body },
    response: { status: res.statusCode, headers: res.headers, text, json, contentType },
    evidence: req.evidence === 'shape' && !fullApiBodies ? 'shape' : 'full',
  };
  recordEvidence({ title: `${method} ${new URL(req.url).pathname} → ${res.statusCode}`, text: formatExchange(exchange) });
  return exchange;
}

/**
 * Runs `send` once per connection, all at once, each request on a new connection of its own to
 * `url`'s origin, so that the server sees them truly concurrently (a race, catalog TK-06).
 */
export async function onSeparateConnections<T>(url: string, count: number, send: (dispatcher: Dispatcher) => Promise<T>): Promise<T[]> {
  const clients = Array.from({ length: count }, () => new Client(new URL(url).origin, { connectTimeout: timeoutMs, headersTimeout: timeoutMs, bodyTimeout: timeoutMs }));
  try {
    return await Promise.all(clients.map(send));
  } finally {
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }
}

/**
 * The response body as evidence and failures show it (not yet redacted, not cut): its shape, or
 * the body as received with JSON re-laid out on one line or, for a transcript, indented.
 */
export function bodyEvidence({ response: rs, evidence }: Exchange, layout: 'line' | 'indented' = 'line'): string {
  if (!rs.text) return '';
  if (evidence === 'shape') return rs.json !== undefined ? shapeOf(rs.json) : `(${rs.text.length} characters of ${rs.contentType || 'untyped content'})`;
  return rs.json !== undefined ? JSON.stringify(rs.json, null, layout === 'indented' ? 2 : undefined) : rs.text;
}

/** An exchange as an HTTP transcript (not yet redacted, not cut: evidence does both, in that order). */
export function formatExchange(exchange: Exchange): string {
  const { request: rq, response: rs } = exchange;
  const lines = [`${rq.method} ${rq.url}`];
  for (const [k, v] of Object.entries(rq.headers)) lines.push(`${k}: ${v}`);
  if (rq.body !== undefined) lines.push('', rq.body);
  lines.push('', `HTTP ${rs.status}`);
  for (const [k, v] of Object.entries(rs.headers)) for (const one of [v].flat()) lines.push(`${k}: ${one}`);
  lines.push('', bodyEvidence(exchange, 'indented'));
  if (exchange.evidence === 'shape' && rs.text) lines.push('(the body\'s shape only: PLEO_EVIDENCE_FULL_BODIES=true shows its values)');
  return lines.join('\n');
}
