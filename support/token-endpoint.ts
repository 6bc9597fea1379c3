/** Requests to the token endpoint (RFC 6749 §4.1.3, §6), authenticated with client_secret_basic. */
import { randomBytes, randomUUID } from 'node:crypto';
import { clientBasicAuth } from './client-auth.ts';
import type { SuiteConfig } from './config.ts';
import { send, type Exchange, type FormParams } from './http.ts';
import type { Dispatcher } from 'undici';

export interface TokenRequestOptions {
  /** The Authorization header; defaults to the configured client's Basic credentials. `null` sends none. */
  authorization?: string | null;
}

export interface CodeExchangeOptions extends TokenRequestOptions {
  /** The PKCE verifier; `undefined` omits the parameter. */
  verifier: string | undefined;
  redirectUri?: string;
  /** Send on this connection pool instead of the suite's shared one (see onSeparateConnections). */
  dispatcher?: Dispatcher;
}

export interface TokenSet {
  accessToken: string;
  refreshToken?: string;
  scope?: string;
}

/** A token request exactly as given, for request-validation probes (catalog TK-10, TK-11, CA-04..06). */
export interface RawTokenRequest extends TokenRequestOptions {
  method?: 'GET' | 'POST';
  /** Sent form-urlencoded; pairs allow a parameter twice. */
  form?: FormParams;
  /** A body sent as it is, with `contentType`. */
  body?: string;
  contentType?: string;
  /** Parameters appended to the token URL's query. */
  query?: FormParams;
}

/** A random code and verifier: a grant no server issued, so nothing real is spent (the auth oracle's way). */
export function bogusCodeGrant(redirectUri: string): Array<[string, string]> {
  return [
    ['grant_type', 'authorization_code'],
    ['code', randomBytes(24).toString('base64url')],
    ['redirect_uri', redirectUri],
    ['code_verifier', randomBytes(48).toString('base64url')],
  ];
}

export type AuthOracleVerdict = 'authenticated' | 'rejected' | 'inconclusive';

export function tokenEndpoint(config: SuiteConfig) {
  const authHeader = (options: TokenRequestOptions): Record<string, string> => {
    const value = options.authorization === undefined ? clientBasicAuth(config.clientId, config.clientSecret) : options.authorization;
    return value === null ? {} : { authorization: value };
  };

  const endpoint = {
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
        dispatcher: options.dispatcher,
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
     * The "auth oracle": redeem a random code with the credentials under test, so that client
     * authentication is observed without spending a real code. What a refusal and an acceptance
     * look like is calibrated once per run with known-good and known-bad credentials, since not
     * every server authenticates the client before it looks at the grant, nor answers a wrong
     * secret with invalid_client (catalog: CA-03 and the auth oracle).
     * `authorization` as in TokenRequestOptions: omitted means the configured client's credentials.
     */
    async probeClientAuth(authorization?: string | null): Promise<{ verdict: AuthOracleVerdict; exchange: Exchange }> {
      const oracle = await (calibration ??= calibrate());
      const exchange = await redeemRandomCode(authorization);
      return { verdict: oracleVerdict(exchange, oracle), exchange };
    },

    /** A token request as given: no default parameters; the configured Basic credentials unless `authorization` says otherwise. */
    raw(request: RawTokenRequest): Promise<Exchange> {
      const url = new URL(config.tokenUrl);
      const query = Array.isArray(request.query) ? request.query : Object.entries(request.query ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
      for (const [name, value] of query) url.searchParams.append(name, value);
      const headers = { ...authHeader(request), ...(request.contentType ? { 'content-type': request.contentType } : {}) };
      return send({ method: request.method ?? 'POST', url: url.toString(), headers, form: request.form, body: request.body });
    },

    /** The auth oracle for a request shaped by the caller (credentials in the body or the URL, say): a random code, calibrated verdict. */
    async probeClientAuthRequest(request: Omit<RawTokenRequest, 'form' | 'body' | 'contentType' | 'method'> & { extraForm?: Array<[string, string]> }): Promise<{ verdict: AuthOracleVerdict; exchange: Exchange }> {
      const oracle = await (calibration ??= calibrate());
      const { extraForm = [], ...rest } = request;
      const exchange = await endpoint.raw({ ...rest, form: [...bogusCodeGrant(config.redirectUri), ...extraForm] });
      return { verdict: oracleVerdict(exchange, oracle), exchange };
    },

    /** The calibration of the auth oracle (made once, on first use). */
    calibration(): Promise<OracleCalibration> {
      return (calibration ??= calibrate());
    },
  };

  function redeemRandomCode(authorization?: string | null): Promise<Exchange> {
    return endpoint.exchangeCode(randomBytes(24).toString('base64url'), { verifier: randomBytes(48).toString('base64url'), authorization });
  }

  async function calibrate(): Promise<OracleCalibration> {
    const good = signature(await redeemRandomCode());
    const bad = signature(await redeemRandomCode(clientBasicAuth(randomUUID(), randomBytes(24).toString('base64url'))));
    return { usable: good !== bad, authenticated: good, rejected: bad };
  }

  let calibration: Promise<OracleCalibration> | undefined;
  return endpoint;
}

/** What the token endpoint answered, reduced to what tells acceptance from refusal. */
export function signature(exchange: Exchange): string {
  const error = (exchange.response.json as { error?: unknown } | undefined)?.error;
  return `HTTP ${exchange.response.status} ${typeof error === 'string' ? error : '(no error code)'}`;
}

export interface OracleCalibration {
  /** False when good and bad credentials got the same answer: use fresh codes instead. */
  usable: boolean;
  /** The answer to the configured credentials with a random code (typically 400 invalid_grant). */
  authenticated: string;
  /** The answer to unknown credentials (typically 401 invalid_client). */
  rejected: string;
}

export type TokenEndpoint = ReturnType<typeof tokenEndpoint>;

export function oracleVerdict(exchange: Exchange, oracle: OracleCalibration): AuthOracleVerdict {
  if (!oracle.usable) return 'inconclusive';
  const seen = signature(exchange);
  if (seen === oracle.authenticated) return 'authenticated';
  if (seen === oracle.rejected || (exchange.response.json as { error?: unknown } | undefined)?.error === 'invalid_client') return 'rejected';
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
