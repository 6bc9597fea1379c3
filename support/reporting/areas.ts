/** The catalog's areas, named by the prefix of a check ID (`PK-03` → PKCE). */
const AREA_NAMES: Record<string, string> = {
  AZ: 'Authorization endpoint', PK: 'PKCE', TK: 'Token endpoint', CA: 'Client authentication', RT: 'Refresh tokens',
  SC: 'Scope', RS: 'Bearer tokens at the API', AK: 'API keys', RV: 'Revocation', MD: 'Metadata', SEC: 'Security', PL: 'Pleo profile',
};

export function areaName(checkId: string): string {
  const prefix = checkId.split('-')[0];
  return AREA_NAMES[prefix] ?? prefix;
}
