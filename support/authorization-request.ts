/** Authorization requests (RFC 6749 §4.1.1 with RFC 7636 §4.3) and their redirect outcomes. */
import { randomBytes } from 'node:crypto';
import type { SuiteConfig } from './config.ts';
import { createPkcePair, type PkcePair } from './pkce.ts';
import { registerSecret } from './secrets.ts';

export interface AuthorizationRequest {
  url: string;
  /** undefined when the request deliberately carries no state. */
  state?: string;
  pkce: PkcePair;
  redirectUri: string;
  scope: string;
}

export interface AuthorizationRequestOptions {
  scope?: string;
  /** `null` omits state. */
  state?: string | null;
  redirectUri?: string;
  /** Extra or overriding query parameters; `undefined` removes a parameter. */
  params?: Record<string, string | undefined>;
  /** Pairs appended after the others, as they are: a parameter sent twice (AZ-06). */
  extraQuery?: ReadonlyArray<readonly [string, string]>;
}

/** A fresh request: 32 random bytes of state (base64url) and a new S256 challenge. */
export async function buildAuthorizationRequest(config: SuiteConfig, options: AuthorizationRequestOptions = {}): Promise<AuthorizationRequest> {
  const pkce = await createPkcePair();
  const state = options.state === null ? undefined : (options.state ?? randomBytes(32).toString('base64url'));
  const redirectUri = options.redirectUri ?? config.redirectUri;
  const scope = options.scope ?? config.scopes.join(' ');
  const params: Record<string, string | undefined> = {
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri,
    scope,
    state,
    code_challenge: pkce.challenge,
    code_challenge_method: pkce.method,
    ...options.params,
  };
  const url = new URL(config.authorizeUrl);
  for (const [name, value] of Object.entries(params)) if (value !== undefined) url.searchParams.append(name, value);
  for (const [name, value] of options.extraQuery ?? []) url.searchParams.append(name, value);
  return { url: url.toString(), state, pkce, redirectUri, scope };
}

export interface AuthorizationOutcome {
  /** The URL the authorization server redirected the browser to. */
  redirectedTo: string;
  code?: string;
  state?: string;
  iss?: string;
  error?: string;
  errorDescription?: string;
  /** Parameters found in the fragment, where the code flow must put none. */
  fragmentParams: string[];
  /** Whether the consent screen was shown on the way. */
  consentShown: boolean;
}

/** Reads the redirect to the client (RFC 6749 §4.1.2, §4.1.2.1; RFC 9207). */
export function parseAuthorizationRedirect(redirectedTo: string, consentShown: boolean): AuthorizationOutcome {
  const url = new URL(redirectedTo);
  const query = url.searchParams;
  const optional = (name: string) => query.get(name) ?? undefined;
  const code = optional('code');
  registerSecret(code, 'code');
  // A server that wrongly answers with an implicit response puts tokens in the fragment.
  const fragment = new URLSearchParams(url.hash.slice(1));
  for (const name of ['access_token', 'id_token', 'refresh_token']) registerSecret(fragment.get(name) ?? query.get(name) ?? undefined, name);
  return {
    redirectedTo,
    code,
    state: optional('state'),
    iss: optional('iss'),
    error: optional('error'),
    errorDescription: optional('error_description'),
    fragmentParams: [...new URLSearchParams(url.hash.slice(1)).keys()],
    consentShown,
  };
}

/** The redirect target without query and fragment, to compare with a registered redirect URI. */
export function redirectTarget(url: string): string {
  const parsed = new URL(url);
  return `${parsed.origin}${parsed.pathname}`;
}

/** A parameter of a redirect, from its query or else its fragment (an implicit-style response). */
export function redirectParam(url: string, name: string): string | undefined {
  const parsed = new URL(url);
  return parsed.searchParams.get(name) ?? new URLSearchParams(parsed.hash.slice(1)).get(name) ?? undefined;
}
