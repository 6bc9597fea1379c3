/** PKCE (RFC 7636) values for authorization requests, built on `pkce-challenge`. */
import pkceChallenge, { generateChallenge } from 'pkce-challenge';
import { registerSecret } from './secrets.ts';

export interface PkcePair {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** A fresh S256 pair; the verifier is a secret until the code is spent, so it is registered. */
export async function createPkcePair(length = 64): Promise<PkcePair> {
  const pair = await pkceChallenge(length, 'S256');
  return { verifier: registerSecret(pair.code_verifier, 'code_verifier'), challenge: pair.code_challenge, method: 'S256' };
}

/** BASE64URL(SHA256(ASCII(verifier))), RFC 7636 §4.2. */
export function s256(verifier: string): Promise<string> {
  return generateChallenge(verifier, 'S256');
}

/** A valid-form verifier unrelated to any challenge, for negative checks. */
export async function unrelatedVerifier(length = 64): Promise<string> {
  return (await createPkcePair(length)).verifier;
}
