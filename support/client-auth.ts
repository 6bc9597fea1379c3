/**
 * The two Basic credentials the suite sends. They differ on purpose:
 * - OAuth client authentication (RFC 6749 §2.3.1) form-urlencodes id and secret BEFORE base64;
 * - Pleo's API key (RFC 7617 §2) is the raw user-id with an empty password, no URL encoding.
 */
import { registerSecret } from './secrets.ts';

/** application/x-www-form-urlencoded encoding of one value (RFC 6749 Appendix B): space is "+". */
export function formUrlEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function basic(userPass: string): string {
  const header = `Basic ${Buffer.from(userPass, 'utf8').toString('base64')}`;
  registerSecret(header.slice(6), 'basic_credentials');
  return header;
}

/** `Authorization` for client_secret_basic, encoded as RFC 6749 §2.3.1 requires. */
export function clientBasicAuth(clientId: string, clientSecret: string): string {
  return basic(`${formUrlEncode(clientId)}:${formUrlEncode(clientSecret)}`);
}

/** The same without the form-urlencoding step: what a non-conforming client sends (pitfall P1). */
export function rawClientBasicAuth(clientId: string, clientSecret: string): string {
  return basic(`${clientId}:${clientSecret}`);
}

/** `Authorization` for an API key: the key as the Basic user-id and an empty password. */
export function apiKeyBasicAuth(apiKey: string, password = ''): string {
  return basic(`${apiKey}:${password}`);
}
