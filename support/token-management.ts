/**
 * Token management at the authorization server: RFC 7009 revocation, RFC 7662 introspection, and
 * token requests with the client's credentials in the form body (client_secret_post, RFC 6749 §2.3.1).
 * Every request is authenticated with client_secret_basic unless `authorization` says otherwise.
 */
import { randomBytes } from 'node:crypto';
import { clientBasicAuth } from './client-auth.ts';
import type { SuiteConfig } from './config.ts';
import { send, type Exchange } from './http.ts';

export type TokenTypeHint = 'access_token' | 'refresh_token' | string;

export interface TokenManagementOptions {
  hint?: TokenTypeHint;
  /** The Authorization header; defaults to the configured client's Basic credentials. `null` sends none. */
  authorization?: string | null;
}

/** Basic credentials of the configured second client, if any. */
export function secondClientAuth(config: SuiteConfig): string | undefined {
  return config.secondClient && clientBasicAuth(config.secondClient.id, config.secondClient.secret);
}

export function tokenManagement(config: SuiteConfig) {
  const post = (url: string | undefined, token: string, options: TokenManagementOptions): Promise<Exchange> => {
    if (!url) throw new Error('the endpoint is not configured: the check must declare its `needs`');
    const authorization = options.authorization === undefined ? clientBasicAuth(config.clientId, config.clientSecret) : options.authorization;
    return send({ url, headers: authorization === null ? {} : { authorization }, form: { token, token_type_hint: options.hint } });
  };
  return {
    /** RFC 7009 §2.1 revocation request. */
    revoke: (token: string, options: TokenManagementOptions = {}) => post(config.revocationUrl, token, options),
    /** RFC 7662 §2.1 introspection request. */
    introspect: (token: string, options: TokenManagementOptions = {}) => post(config.introspectUrl, token, options),
    /**
     * A random code redeemed with client_id (and client_secret, unless undefined) in the form body
     * and no Authorization header: the auth oracle's probe for client_secret_post.
     */
    redeemWithBodyCredentials(clientId: string, clientSecret: string | undefined): Promise<Exchange> {
      return send({
        url: config.tokenUrl,
        form: {
          grant_type: 'authorization_code',
          code: randomBytes(24).toString('base64url'),
          redirect_uri: config.redirectUri,
          code_verifier: randomBytes(48).toString('base64url'),
          client_id: clientId,
          client_secret: clientSecret,
        },
      });
    },
  };
}

/** A random value no server issued: an unknown token. */
export function unknownToken(): string {
  return randomBytes(32).toString('base64url');
}

/** The `active` member of an RFC 7662 introspection response: true, false, or undefined when there is none. */
export function introspectionActive(exchange: Exchange): boolean | undefined {
  const active = (exchange.response.json as { active?: unknown } | undefined)?.active;
  return typeof active === 'boolean' ? active : undefined;
}
