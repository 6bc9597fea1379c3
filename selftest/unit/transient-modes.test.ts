/** The stand-in's modes rate-limit and flaky (fixtures/stand-in/transient-modes.ts), over HTTP. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { IsOn } from '../../fixtures/stand-in/faults.ts';
import { FLAKY_EVERY, RATE_LIMIT_PER_SECOND, transientModes } from '../../fixtures/stand-in/transient-modes.ts';

const servers: Server[] = [];
afterEach(() => Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done)))));

async function serve(modes: string[], machinePaths?: string[], clock?: () => number): Promise<string> {
  const isOn: IsOn = (name) => modes.includes(name);
  const server = createServer(transientModes(isOn, (_req, res) => res.writeHead(200).end('ok'), machinePaths, clock));
  servers.push(server);
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The status, or 'closed' when the connection ended without an answer. */
const statusOf = (url: string, init?: RequestInit) => fetch(url, init).then((r) => r.status, () => 'closed' as const);

describe('mode rate-limit', () => {
  it('answers 429 with Retry-After above its ceiling a second, on the machine paths only', async () => {
    let now = 5_000;
    const base = await serve(['rate-limit'], ['/oauth/token'], () => now);
    const token = await Promise.all(Array.from({ length: RATE_LIMIT_PER_SECOND + 3 }, () => fetch(`${base}/oauth/token`, { method: 'POST' })));
    const limited = token.filter((r) => r.status === 429);
    expect(limited.length).toBe(3);
    expect(limited[0].headers.get('retry-after')).toBe('1');
    expect(await statusOf(`${base}/oauth/authorize`)).toBe(200); // the browser's pages are not limited
    now += 1000;
    expect(await statusOf(`${base}/oauth/token`, { method: 'POST' })).toBe(200); // a new second
  });
});

describe('mode flaky', () => {
  it(`fails every ${FLAKY_EVERY}th GET, by turns with a 503 and a closed connection, and nothing else`, async () => {
    const base = await serve(['flaky']);
    const gets = [];
    for (let i = 0; i < 2 * FLAKY_EVERY; i++) gets.push(await statusOf(`${base}/v1/introspect`));
    expect(gets.map((status, i) => [i + 1, status]).filter(([, status]) => status !== 200)).toEqual([[FLAKY_EVERY, 503], [2 * FLAKY_EVERY, 'closed']]);
    for (let i = 0; i < 2 * FLAKY_EVERY; i++) expect(await statusOf(`${base}/v1/introspect`, { method: 'DELETE' })).toBe(200);
  });
});
