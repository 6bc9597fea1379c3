/**
 * Certificates the suite trusts besides the system's, for a target with a private CA or a
 * self-signed certificate (the stand-in's --https). Node takes them from NODE_EXTRA_CA_CERTS by
 * itself; Chromium is told to accept exactly their keys (its --ignore-certificate-errors-spki-list).
 */
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** base64(SHA-256(SubjectPublicKeyInfo)) of every certificate in a PEM text. */
export function spkiHashes(pem: string): string[] {
  return (pem.match(PEM_CERTIFICATE) ?? []).map((block) => {
    const spki = new X509Certificate(block).publicKey.export({ type: 'spki', format: 'der' });
    return createHash('sha256').update(spki).digest('base64');
  });
}

/** The SPKI hashes of the NODE_EXTRA_CA_CERTS file, or the problem with it. */
export function extraCaSpki(file: string | undefined): { hashes: string[]; problem?: string } {
  if (!file) return { hashes: [] };
  try {
    const hashes = spkiHashes(readFileSync(file, 'utf8'));
    return hashes.length ? { hashes } : { hashes, problem: `NODE_EXTRA_CA_CERTS (${file}) holds no PEM certificate` };
  } catch (error) {
    return { hashes: [], problem: `NODE_EXTRA_CA_CERTS (${file}) cannot be read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` };
  }
}
