import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseEchoes } from '../../support/api.ts';
import { probeAuthorization } from '../../support/authorization-probe.ts';
import type { SuiteConfig } from '../../support/config.ts';
import type { Exchange } from '../../support/http.ts';

const reply = (text: string, headers: Record<string, string> = {}) => ({ response: { status: 401, headers, text, json: undefined, contentType: '' } }) as unknown as Exchange;

describe('responseEchoes', () => {
  it('finds a value in the body or in any header, also percent-encoded', () => {
    expect(responseEchoes(reply('invalid key k+y/1'), 'k+y/1')).toBe(true);
    expect(responseEchoes(reply('', { location: 'https://x/?key=k%2By%2F1' }), 'k+y/1')).toBe(true);
    expect(responseEchoes(reply('invalid key', { 'www-authenticate': 'Basic realm="x"' }), 'k+y/1')).toBe(false);
  });
});

describe('probeAuthorization', () => {
  let server: Server;
  let base: string;
  beforeAll(async () => {
    server = createServer((req, res) => {
      const scope = new URL(req.url!, 'http://as').searchParams.get('scope');
      if (scope === 'bad') res.writeHead(303, { location: 'https://client.example/cb?error=invalid_scope&state=s' }).end();
      else res.writeHead(302, { location: '/login' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const config = () => ({ authorizeUrl: `${base}/authorize`, clientId: 'c', redirectUri: 'https://client.example/cb', scopes: ['a'] }) as unknown as SuiteConfig;

  it('reads an immediate redirect to the client', async () => {
    const probe = await probeAuthorization(config(), { scope: 'bad' });
    expect(probe.outcome?.error).toBe('invalid_scope');
  });

  it('has no outcome when the server asks for a login first', async () => {
    const probe = await probeAuthorization(config(), { scope: 'a' });
    expect(probe.exchange.response.status).toBe(302);
    expect(probe.outcome).toBeUndefined();
  });
});
