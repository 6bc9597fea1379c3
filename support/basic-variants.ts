/**
 * Authorization headers that bend the Basic syntax (RFC 7617 §2, RFC 9110 §11.4), for the robustness
 * probes of client authentication (catalog CA-07). They carry the configured client's credentials,
 * so that a refusal can only come from the shape of the header.
 */
import { clientBasicAuth, formUrlEncode } from './client-auth.ts';

const base64 = (value: string) => Buffer.from(value, 'utf8').toString('base64');

/** Well-formed variants: the scheme in other cases, and two spaces before the credentials (1*SP). */
export function wellFormedBasicVariants(clientId: string, clientSecret: string): { schemeCases: Array<[string, string]>; doubleSpace: string } {
  const credentials = clientBasicAuth(clientId, clientSecret).slice('Basic '.length);
  return {
    schemeCases: ['basic', 'BASIC', 'bASIC'].map((scheme) => [scheme, `${scheme} ${credentials}`]),
    doubleSpace: `Basic  ${credentials}`,
  };
}

/** Malformed variants: not base64, no colon between id and secret, an empty secret. */
export function malformedBasicVariants(clientId: string): Array<[string, string]> {
  const id = formUrlEncode(clientId);
  return [
    ['credentials that are not base64', 'Basic %%not*base64%%'],
    ['credentials without a colon', `Basic ${base64(id)}`],
    ['an empty secret', `Basic ${base64(`${id}:`)}`],
  ];
}
