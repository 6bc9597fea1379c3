/**
 * The failed-authentication cap. Servers lock out a client or an API key (or the caller's address)
 * after too many failed authentications; the suite sends wrong credentials on purpose (CA, AK and
 * SEC probes, the auth oracle's calibration). Every request whose Authorization header is neither
 * a bearer token nor the Basic credentials of a configured client or API key counts, before it is
 * sent; beyond the cap such a request is not sent and its check skips with the reason.
 */
import { formUrlEncode } from '../client-auth.ts';
import type { SuiteConfig } from '../config.ts';
import { PreconditionUnmet } from '../verdicts.ts';

/** The Basic user-pass strings the suite knows to be right: the clients' (RFC 6749 §2.3.1 encoded) and the API key's. */
export function goodBasicCredentials(config: Pick<SuiteConfig, 'clientId' | 'clientSecret' | 'secondClient' | 'encodingClient' | 'apiKey'>): Set<string> {
  const clients = [{ id: config.clientId, secret: config.clientSecret }, config.secondClient, config.encodingClient];
  return new Set([
    ...clients.filter((c) => c !== undefined).map((c) => `${formUrlEncode(c.id)}:${formUrlEncode(c.secret)}`),
    ...(config.apiKey ? [`${config.apiKey}:`] : []),
  ]);
}

/** Whether an Authorization header carries credentials other than the known-good ones (bearer tokens are not counted). */
export function carriesWrongCredentials(authorization: string | undefined, good: ReadonlySet<string>): boolean {
  const [scheme, ...rest] = authorization?.trim().split(/\s+/) ?? [];
  if (!scheme || /^bearer$/i.test(scheme)) return false;
  if (!/^basic$/i.test(scheme) || rest.length !== 1) return true;
  const decoded = Buffer.from(rest[0], 'base64').toString('utf8');
  // Only canonical base64 decodes to what was meant: anything else is a malformed credential.
  return Buffer.from(decoded, 'utf8').toString('base64') !== rest[0] || !good.has(decoded);
}

export class FailedAuthBudget {
  private spent: number;

  constructor(readonly cap: number, private readonly good: ReadonlySet<string>, alreadySpent = 0) {
    this.spent = alreadySpent;
  }

  get used(): number {
    return this.spent;
  }

  /** Counts a request that carries wrong credentials; throws PreconditionUnmet (the check skips) once the cap is reached. */
  admit(authorization: string | undefined): void {
    if (!carriesWrongCredentials(authorization, this.good)) return;
    if (this.spent >= this.cap) {
      throw new PreconditionUnmet(`the run has sent its ${this.cap} requests with wrong credentials (PLEO_MAX_FAILED_AUTH): no more are sent, so that the run cannot lock out the client or the API key`);
    }
    this.spent++;
  }
}
