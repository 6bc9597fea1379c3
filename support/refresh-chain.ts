/** Refreshes of one token family in a row, and the scope arithmetic of RFC 6749 §3.3, §5.1 and §6. */
import type { Exchange } from './http.ts';
import { tokenSetOf, type TokenEndpoint, type TokenSet } from './token-endpoint.ts';

export interface ChainStep {
  exchange: Exchange;
  tokens?: TokenSet;
}

/**
 * Each call refreshes with the newest refresh token the chain has seen, so that the steps work
 * under strict rotation; a step that fails leaves the chain where it was.
 */
export function refreshChain(endpoint: TokenEndpoint, refreshToken: string): (scope?: string[]) => Promise<ChainStep> {
  let current = refreshToken;
  return async (scope) => {
    const exchange = await endpoint.refresh(current, { scope: scope?.join(' ') });
    const tokens = tokenSetOf(exchange);
    if (tokens?.refreshToken) current = tokens.refreshToken;
    return { exchange, tokens };
  };
}

/** The scope granted: the response's `scope`, or, when it has none, the scope requested (RFC 6749 §5.1). */
export function grantedScope(tokens: TokenSet, requested: readonly string[]): string[] {
  return tokens.scope === undefined ? [...requested] : tokens.scope.split(' ').filter(Boolean);
}

export const isSubsetOf = (scope: readonly string[], of: readonly string[]) => scope.every((s) => of.includes(s));
export const sameScope = (a: readonly string[], b: readonly string[]) => isSubsetOf(a, b) && isSubsetOf(b, a);
