import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type SecureVersion } from 'node:tls';
import { afterAll, describe, expect, it } from 'vitest';
import { acceptsLegacyTls, certificateProblem } from '../../support/tls-probe.ts';

/** A self-signed certificate for localhost, made with openssl (Node has no X.509 generator). */
function selfSigned(): { key: Buffer; cert: Buffer } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'tls-probe-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=localhost', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { stdio: 'ignore' });
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    return undefined;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const credentials = selfSigned();
const servers: Array<ReturnType<typeof createServer>> = [];

async function serve(minVersion: SecureVersion): Promise<number> {
  const server = createServer({ ...credentials!, minVersion, ciphers: 'DEFAULT@SECLEVEL=0' }, (socket) => socket.end());
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

afterAll(() => servers.forEach((server) => server.close()));

describe.skipIf(!credentials)('tls-probe (needs openssl)', () => {
  it('sees a server that still speaks TLS 1.1, and one that does not', async () => {
    expect(await acceptsLegacyTls({ host: '127.0.0.1', port: await serve('TLSv1'), timeoutMs: 5000 })).toBe(true);
    expect(await acceptsLegacyTls({ host: '127.0.0.1', port: await serve('TLSv1.2'), timeoutMs: 5000 })).toBe(false);
  });

  it('names why a self-signed certificate does not verify', async () => {
    expect(await certificateProblem({ host: 'localhost', port: await serve('TLSv1.2'), timeoutMs: 5000 })).toMatch(/SELF_SIGNED|self.signed/i);
  });
});
