import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generate } from 'selfsigned';
import { describe, expect, it } from 'vitest';
import { extraCaSpki, spkiHashes } from '../../support/extra-ca.ts';

describe('extra CA certificates (NODE_EXTRA_CA_CERTS) for the browser', () => {
  it('gives the SHA-256 of each certificate\'s SubjectPublicKeyInfo, in base64', async () => {
    const [a, b] = await Promise.all([generate(undefined, { keyType: 'ec' }), generate(undefined, { keyType: 'ec' })]);
    const expected = [a, b].map(({ cert }) => createHash('sha256').update(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' })).digest('base64'));
    expect(spkiHashes(`${a.cert}\n${b.cert}`)).toEqual(expected);
  });

  it('names an unreadable or empty file as the problem', () => {
    const dir = mkdtempSync(join(tmpdir(), 'extra-ca-'));
    writeFileSync(join(dir, 'empty.pem'), 'no certificate here');
    expect(extraCaSpki(undefined)).toEqual({ hashes: [] });
    expect(extraCaSpki(join(dir, 'missing.pem')).problem).toMatch(/NODE_EXTRA_CA_CERTS .* cannot be read: ENOENT/);
    expect(extraCaSpki(join(dir, 'empty.pem')).problem).toMatch(/holds no PEM certificate/);
  });
});
