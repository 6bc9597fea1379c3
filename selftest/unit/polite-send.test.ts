/** send() against a scripted local server: 429s waited out, transient failures repeated where safe, the breaker. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../support/config.ts';
import { takeEvidence } from '../../support/evidence.ts';
import { configureHttp, RateLimitedError, send, TransportError } from '../../support/http.ts';
import { configurePoliteness, seeing429s } from '../../support/politeness/index.ts';
import { unreachable } from '../../support/politeness/reachability.ts';
import { TargetUnavailableError } from '../../support/run/errors.ts';

type Behaviour = (req: IncomingMessage, res: ServerResponse) => void;
const ok: Behaviour = (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
const status = (code: number, headers: Record<string, string> = {}): Behaviour => (_req, res) => res.writeHead(code, headers).end();
const reset: Behaviour = (req) => req.socket.destroy();

let server: Server;
let url: string;
let script: Behaviour[] = [];
let seen = 0;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen++;
    req.resume();
    (script.shift() ?? ok)(req, res);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/probe`;
  configureHttp({ timeoutMs: 5_000 });
});

afterAll(() => new Promise((done) => server.close(done)));

beforeEach(() => {
  script = [];
  seen = 0;
  takeEvidence();
});

describe('send(): politeness', () => {
  it('waits out a 429 (Retry-After) and repeats the request, also a POST; the evidence shows the 429', async () => {
    script = [status(429, { 'retry-after': '0' }), status(429, { 'retry-after': '0' })];
    const exchange = await send({ url, form: { grant_type: 'authorization_code' } });
    expect(exchange.response.status).toBe(200);
    expect(seen).toBe(3);
    const titles = takeEvidence().items.map((item) => item.title);
    expect(titles).toEqual([
      'POST /v1/probe → 429 (HTTP 429, Retry-After: 0; waited 0.0 s and repeated)',
      'POST /v1/probe → 429 (HTTP 429, Retry-After: 0; waited 0.0 s and repeated)',
      'POST /v1/probe → 200',
    ]);
  });

  it('returns the 429 as it is inside seeing429s, or with honour429: false', async () => {
    script = [status(429, { 'retry-after': '0' }), status(429, { 'retry-after': '0' })];
    expect((await seeing429s(() => send({ url }))).response.status).toBe(429);
    expect((await send({ url, honour429: false })).response.status).toBe(429);
    expect(seen).toBe(2);
  });

  it('gives up on a 429 that asks for longer than the bound, with an infrastructure error', async () => {
    script = [status(429, { 'retry-after': '3600' })];
    await expect(send({ url })).rejects.toThrow(RateLimitedError);
  });

  it('repeats a GET after a reset connection or a 503, but not a POST', async () => {
    script = [reset, status(503)];
    expect((await send({ url })).response.status).toBe(200);
    expect(seen).toBe(3);
    script = [reset];
    await expect(send({ url, form: { grant_type: 'refresh_token' } })).rejects.toThrow(TransportError);
    script = [status(503)];
    expect((await send({ url, form: { grant_type: 'refresh_token' } })).response.status).toBe(503);
  });

  it('never repeats an answer that is verdict material', async () => {
    script = [status(500), status(401)];
    expect((await send({ url })).response.status).toBe(500);
    expect((await send({ url })).response.status).toBe(401);
    expect(seen).toBe(2);
  });
});

describe('send(): TLS problems are named as such', () => {
  const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
  it.skipIf(!hasOpenssl)('a self-signed certificate', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pleo-tls-'));
    const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
    spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=localhost']);
    const tls = createHttpsServer({ key: readFileSync(key), cert: readFileSync(cert) }, (_req, res) => res.end('ok'));
    await new Promise<void>((done) => tls.listen(0, '127.0.0.1', done));
    try {
      const error = await send({ url: `https://127.0.0.1:${(tls.address() as AddressInfo).port}/` }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).reason).toBe('TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)');
    } finally {
      tls.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an https: URL of a plain HTTP server', async () => {
    const error = await send({ url: url.replace('http:', 'https:') }).catch((e: unknown) => e);
    expect((error as TransportError).reason).toMatch(/^TLS error: wrong version number \(\w+\)$/);
  });
});

describe('unreachable(): what the preflight and the runner ask', () => {
  it('names a refused connection, and a 503 that persists', async () => {
    expect(await unreachable('http://127.0.0.1:1/')).toBe('is unreachable: the connection was refused (ECONNREFUSED)');
    const down = status(503, { 'retry-after': '0' });
    script = [down, down, down];
    expect(await unreachable(url)).toBe('answers HTTP 503: the server is unavailable');
    expect(await unreachable(url)).toBeUndefined();
  });
});

// Last: an open breaker refuses every later request of this file.
describe('send(): the circuit breaker', () => {
  it('after three requests in a row without an answer, refuses every request as TargetUnavailableError', async () => {
    const env = {
      PLEO_AUTH_URL: url, PLEO_API_URL: url, PLEO_CLIENT_ID: 'c', PLEO_CLIENT_SECRET: 's', PLEO_REDIRECT_URI: 'http://127.0.0.1:1/cb',
      PLEO_SCOPES: 'a', PLEO_LOGIN_EMAIL: 'e@example.test', PLEO_LOGIN_PASSWORD: 'p', PLEO_BROWSER_PATH: process.execPath,
    };
    configurePoliteness(readConfig(env));
    const down = status(503, { 'retry-after': '0' });
    script = [down, down, down, reset, reset, reset, down, down, down];
    expect((await send({ url })).response.status).toBe(503); // one request: three attempts
    await expect(send({ url })).rejects.toThrow(TransportError);
    expect((await send({ url })).response.status).toBe(503);
    const error = await send({ url }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetUnavailableError);
    expect((error as Error).message).toMatch(/^the target is unavailable: 3 requests in a row failed \(the last: GET http:.* HTTP 503\)$/);
    expect(seen).toBe(9);
  });
});
