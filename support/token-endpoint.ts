/** Requests to the token endpoint (RFC 6749 §4.1.3, §6), authenticated with client_secret_basic. */
import { randomBytes } from 'node:crypto';
import { clientBasicAuth } from './client-auth.ts';
import type { SuiteConfig } from './config.ts';
import { send, type Exchange } from './http.ts';

export interface TokenRequestOptions {
  /** The Authorization header; defaults to the configured client's Basic credentials. `null` sends none. */
  authorization?: string | null;
}

export interface CodeExchangeOptions extends TokenRequestOptions {
  /** The PKCE verifier; `undefined` omits the parameter. */
  verifier: string | undefined;
  redirectUri?: string;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  scope?: string;
}

export type AuthOracleVerdict = 'authenticated' | 'rejected' | 'inconclusive';

export function tokenEndpoint(config: SuiteConfig) {
  const authHeader = (options: TokenRequestOptions): Record<string, string> => {
    const value = options.authorization === undefined ? clientBasicAuth(config.clientId, config.clientSecret) : options.authorization;
    return value === null ? {} : { authorization: value };
  };

  return {
    exchangeCode(code: string, options: CodeExchangeOptions): Promise<Exchange> {
      return send({
        url: config.tokenUrl,
        headers: authHeader(options),
        form: {
          grant_type: 'authorization_code',
          code,
          redirect_uri: options.redirectUri ?? config.redirectUri,
          code_verifier: options.verifier,
        },
      });
    },

    refresh(refreshToken: string, options: TokenRequestOptions & { scope?: string } = {}): Promise<Exchange> {
      return send({
        url: config.tokenUrl,
        headers: authHeader(options),
        form: { grant_type: 'refresh_token', refresh_token: refreshToken, scope: options.scope },
      });
    },

    /**
     * The "auth oracle": redeem a random code with the credentials under test. The AS checks
     * client authentication before the grant, so invalid_client means the credentials were refused
     * and invalid_grant means they were accepted, without spending a real code.
     * `authorization` as in TokenRequestOptions: omitted means the configured client's credentials.
     */
    async probeClientAuth(authorization?: string | null): Promise<{ verdict: AuthOracleVerdict; exchange: Exchange }> {
      const exchange = await this.exchangeCode(randomBytes(24).toString('base64url'), {
        verifier: randomBytes(48).toString('base64url'),
        authorization,
      });
      return { verdict: oracleVerdict(exchange), exchange };
    },
  };
}

export type TokenEndpoint = ReturnType<typeof tokenEndpoint>;

export function oracleVerdict(exchange: Exchange): AuthOracleVerdict {
  const error = (exchange.response.json as { error?: unknown } | undefined)?.error;
  if (error === 'invalid_client') return 'rejected';
  if (error === 'invalid_grant') return 'authenticated';
  return 'inconclusive';
}

/** The tokens of a successful token response, or undefined. */
export function tokenSetOf(exchange: Exchange): TokenSet | undefined {
  const body = exchange.response.json as Record<string, unknown> | undefined;
  if (exchange.response.status !== 200 || typeof body?.access_token !== 'string' || body.access_token === '') return undefined;
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    scope: typeof body.scope === 'string' ? body.scope : undefined,
  };
}
