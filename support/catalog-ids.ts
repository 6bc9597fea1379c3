/**
 * The check catalog's IDs with a short title each (the project's own words), so that coverage can
 * be reported without the catalog document: `npm run catalog` compares this list with the checks
 * the test files define. The 79 protocol checks, then the PL series for Pleo's own profile.
 */
export interface CatalogEntry {
  id: string;
  title: string;
}

export const CATALOG: readonly CatalogEntry[] = [
  { id: 'AZ-01', title: 'code flow: code at the registered redirect URI, state echoed, iss if advertised' },
  { id: 'AZ-02', title: 'no redirect for an unregistered redirect URI or an unknown client' },
  { id: 'AZ-03', title: 'redirect URIs are matched as exact strings' },
  { id: 'AZ-04', title: 'a missing or unsupported response_type is refused' },
  { id: 'AZ-05', title: 'unknown authorization parameters are ignored' },
  { id: 'AZ-06', title: 'repeated authorization parameters are refused' },
  { id: 'AZ-07', title: 'denied consent: access_denied with state, no code' },
  { id: 'AZ-08', title: 'long and unusual state values are echoed exactly' },
  { id: 'AZ-09', title: 'the login form post is never answered with 307' },
  { id: 'AZ-10', title: 'authorization, login and consent pages cannot be framed' },

  { id: 'PK-01', title: 'an S256 verifier redeems its code' },
  { id: 'PK-02', title: 'a missing code_verifier is refused' },
  { id: 'PK-03', title: 'a wrong code_verifier is refused' },
  { id: 'PK-04', title: 'PKCE is required as the profile declares' },
  { id: 'PK-05', title: 'a verifier without an earlier challenge is refused (downgrade)' },
  { id: 'PK-06', title: 'the plain method is refused where the profile forbids it' },
  { id: 'PK-07', title: 'the S256 challenge itself does not pass as the verifier' },
  { id: 'PK-08', title: 'malformed PKCE methods, challenges and verifiers are handled' },

  { id: 'TK-01', title: 'a code exchange returns a JSON token response' },
  { id: 'TK-02', title: 'token response members have the right JSON types' },
  { id: 'TK-03', title: 'token endpoint responses are not cacheable' },
  { id: 'TK-04', title: 'a code can be redeemed once only' },
  { id: 'TK-05', title: 'tokens of a replayed code are revoked; a bad replay revokes nothing' },
  { id: 'TK-06', title: 'parallel redemptions of one code: at most one succeeds' },
  { id: 'TK-07', title: 'codes expire within the declared lifetime' },
  { id: 'TK-08', title: 'the code is bound to its redirect_uri' },
  { id: 'TK-09', title: 'the code is bound to its client' },
  { id: 'TK-10', title: 'malformed token requests get errors, never 2xx or 5xx' },
  { id: 'TK-11', title: 'repeated, unknown and empty token parameters are handled' },
  { id: 'TK-12', title: 'token endpoint errors follow the RFC 6749 error format' },

  { id: 'CA-01', title: 'client_secret_basic with form-urlencoded credentials' },
  { id: 'CA-02', title: 'secrets with reserved characters authenticate when encoded' },
  { id: 'CA-03', title: 'a wrong secret and an unknown client are refused alike' },
  { id: 'CA-04', title: 'a confidential client must authenticate to redeem a code' },
  { id: 'CA-05', title: 'one client authentication method per request' },
  { id: 'CA-06', title: 'credentials in the token URL do not authenticate' },
  { id: 'CA-07', title: 'the Basic header is parsed robustly' },
  { id: 'CA-08', title: 'a body client_id that contradicts Basic gets no tokens' },

  { id: 'RT-01', title: 'the refresh grant works' },
  { id: 'RT-02', title: 'refresh tokens rotate as the profile declares' },
  { id: 'RT-03', title: 'a superseded refresh token stops working' },
  { id: 'RT-04', title: 'replaying a superseded refresh token revokes the grant' },
  { id: 'RT-05', title: 'a refresh token is bound to its client' },
  { id: 'RT-06', title: 'refreshing requires client authentication' },
  { id: 'RT-07', title: 'scope on refresh: kept, narrowed, never widened' },
  { id: 'RT-08', title: 'invalid or garbled refresh tokens get invalid_grant' },
  { id: 'RT-09', title: 'parallel refreshes with one token follow the rotation policy' },

  { id: 'SC-01', title: 'the order of scopes does not matter' },
  { id: 'SC-02', title: 'a narrowed grant is named in the token response scope' },
  { id: 'SC-03', title: 'an unknown scope is refused or visibly dropped' },
  { id: 'SC-04', title: 'an omitted scope gets the documented default or invalid_scope' },
  { id: 'SC-05', title: 'scope tokens are case-sensitive and space-separated' },
  { id: 'SC-06', title: 'the API enforces scope' },

  { id: 'RS-01', title: 'the Bearer header works, in any case of the scheme' },
  { id: 'RS-02', title: 'no credentials: 401 with a Bearer challenge' },
  { id: 'RS-03', title: 'invalid, expired or revoked tokens and malformed headers are refused' },
  { id: 'RS-04', title: 'tokens in the query string or form body are not accepted' },

  { id: 'AK-01', title: 'a valid API key works' },
  { id: 'AK-02', title: 'no credentials: 401 with a challenge' },
  { id: 'AK-03', title: 'wrong, unknown and revoked keys are refused alike' },
  { id: 'AK-04', title: 'the API-key Basic header is parsed robustly' },
  { id: 'AK-05', title: 'API keys only in the Authorization header, and never echoed' },
  { id: 'AK-06', title: 'one tenant\'s key cannot reach another tenant\'s data' },
  { id: 'AK-07', title: 'API keys and bearer tokens are not confused' },

  { id: 'RV-01', title: 'revoking a refresh token' },
  { id: 'RV-02', title: 'revoking an access token' },
  { id: 'RV-03', title: 'revocation of unknown tokens and with wrong hints' },
  { id: 'RV-04', title: 'revocation needs client authentication and the token\'s own client' },

  { id: 'MD-01', title: 'the metadata document exists and names the issuer' },
  { id: 'MD-02', title: 'advertised capabilities match behaviour' },

  { id: 'SEC-01', title: 'TLS on every endpoint' },
  { id: 'SEC-02', title: 'codes and tokens are unguessable' },
  { id: 'SEC-03', title: 'token lifetimes are bounded and enforced' },
  { id: 'SEC-04', title: 'no open redirector at the authorization server' },
  { id: 'SEC-05', title: 'legacy grants (implicit, password) are off' },
  { id: 'SEC-06', title: 'no code or token leaks from the browser leg' },
  { id: 'SEC-07', title: 'login and consent are protected against CSRF' },
  { id: 'SEC-08', title: 'error pages escape input and reveal no internals' },
  { id: 'SEC-09', title: 'repeated bad credentials are throttled' },

  { id: 'PL-01', title: 'after a refresh the previous access token is rejected (Pleo)' },
  { id: 'PL-02', title: 'GET /v1/introspect names the credential type (Pleo)' },
  { id: 'PL-03', title: 'token introspection reports only live tokens of the asking client (Pleo)' },
  { id: 'PL-04', title: 'credentials in the form body: observed, never without the right secret (Pleo)' },
  { id: 'PL-05', title: 'deleting the installation revokes every token of the client (Pleo)' },
];
