/**
 * Facts the checks observe for the registration report (`npm run verify`). A check records one as
 * an INFO note (`t.info(observed(…))`), so the report needs no login of its own: it reads them back
 * from checks.json.
 */
import type { CheckResult } from '../reporting/checks-reporter.ts';

export type Fact =
  | 'access token lifetime'
  | 'refresh token lifetime'
  | 'granted scope'
  | 'refresh token'
  | 'rotation'
  | 'API with the granted scope'
  | 'API without the route scope';

export function observed(fact: Fact, value: string): string {
  return `observed ${fact}: ${value}`;
}

/** The value a check observed, from its details (an INFO note is prefixed `info: ` unless it is the check's own status). */
export function observationOf(check: Pick<CheckResult, 'details'> | undefined, fact: Fact): string | undefined {
  const prefix = `observed ${fact}: `;
  const note = check?.details.map((d) => d.replace(/^info: /, '')).find((d) => d.startsWith(prefix));
  return note?.slice(prefix.length);
}

/** What a successful token response says about lifetimes, scope and the refresh token. */
export function tokenResponseObservations(body: Record<string, unknown>): string[] {
  const shown = (value: unknown) => (value === undefined ? '(none)' : typeof value === 'string' ? value : JSON.stringify(value));
  return [
    observed('access token lifetime', shown(body.expires_in)),
    // Not in RFC 6749, but some servers state it.
    ...(body.refresh_token_expires_in === undefined ? [] : [observed('refresh token lifetime', shown(body.refresh_token_expires_in))]),
    observed('granted scope', shown(body.scope)),
    observed('refresh token', body.refresh_token === undefined ? '(none)' : 'issued'),
  ];
}
