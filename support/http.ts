/**
 * The suite's HTTP client. Every exchange is recorded as evidence of the running check, and
 * credentials found in responses are registered for redaction before anything is written.
 * Bodies that may hold personal data (the resource API's) are shown by their shape only.
 * It is polite to the target (support/politeness/): a rate ceiling, 429s waited out, transient
 * failures repeated where that is safe, a cap on wrong credentials, and a circuit breaker.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, Client, request, type Dispatcher } from 'undici';
import { shapeOf } from './body-shape.ts';
import { recordEvidence } from './evidence.ts';
import { honours429, politeness } from './politeness/index.ts';
import { afterAnswer, afterTransportFailure, isTransientStatus, type Next } from './politeness/repeats.ts';
import { transportFailure } from './politeness/transport-failure.ts';
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
  /** false: a 429 is returned as it is, not waited out (see also seeing429s for every request of a block). */
  honour429?: boolean;
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
  /** What went wrong, named for a person (a TLS problem as TLS, a name that does not resolve as DNS). */
  readonly reason: string;

  constructor(readonly url: string, cause: unknown) {
    const reason = transportFailure(cause).text;
    super(`cannot reach ${new URL(url).origin}: ${reason}`);
    this.name = 'TransportError';
    this.reason = reason;
  }
}

/** The target kept answering 429 beyond the suite's wait bound: the check could not run, not a verdict. */
export class RateLimitedError extends Error {
  override name = 'RateLimitedError';
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
  const { ceiling, failedAuth, breaker } = politeness();
  breaker?.admit();
  failedAuth?.admit(Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1]);
  const progress = { method, attempts: 0, waitedMs: 0, honour429: (req.honour429 ?? true) && honours429() };
  const title = (outcome: string | number) => `${method} ${new URL(req.url).pathname} → ${outcome}`;
  const repeat = async (next: Next & { repeat: true }, evidence: { title: string; text: string }) => {
    recordEvidence({ ...evidence, title: `${evidence.title} (${next.why})` });
    await sleep(next.afterMs);
    progress.waitedMs += next.afterMs;
  };
  for (;;) {
    await ceiling?.take();
    progress.attempts++;
    let exchange: Exchange;
    try {
      exchange = await exchangeOnce(req, method, headers, body);
    } catch (error) {
      const failure = transportFailure(error);
      const next = afterTransportFailure(failure, progress);
      if (next.repeat) {
        await repeat(next, { title: title('no answer'), text: `${method} ${req.url}\n\n${failure.text}` });
        continue;
      }
      breaker?.failed(`${method} ${req.url}: ${failure.text}`);
      throw new TransportError(req.url, error);
    }
    const { status } = exchange.response;
    const next = afterAnswer(status, headerValue(exchange.response, 'retry-after'), progress);
    if (next.repeat) {
      await repeat(next, { title: title(status), text: formatExchange(exchange) });
      continue;
    }
    if (isTransientStatus(status)) breaker?.failed(`${method} ${req.url}: HTTP ${status}`);
    else breaker?.succeeded();
    recordEvidence({ title: title(status), text: formatExchange(exchange) });
    if (next.rateLimited) throw new RateLimitedError(`${method} ${req.url}: ${next.rateLimited}`);
    return exchange;
  }
}

/** One attempt: the request sent, the whole answer read. */
async function exchangeOnce(req: HttpRequest, method: NonNullable<HttpRequest['method']>, headers: Record<string, string>, body: string | undefined): Promise<Exchange> {
  const res = await request(req.url, { method, headers, body, dispatcher: req.dispatcher ?? dispatcher() });
  const text = await res.body.text();
  const contentType = String(res.headers['content-type'] ?? '');
  const json = parseJson(text, contentType);
  registerSecretsInJson(json);
  return {
    request: { method, url: req.url, headers, body },
    response: { status: res.statusCode, headers: res.headers, text, json, contentType },
    evidence: req.evidence === 'shape' && !fullApiBodies ? 'shape' : 'full',
  };
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
