/**
 * Parsing of `WWW-Authenticate` challenges (RFC 9110 §11.6.1, §11.2). A response may carry
 * several challenges, in one header line or several, e.g. `Bearer realm="x", Basic realm="x"`.
 */

export interface Challenge {
  /** Lower-cased: auth-schemes are case-insensitive (RFC 9110 §11.1). */
  scheme: string;
  /** Parameter names lower-cased; quoted values unescaped. */
  params: Record<string, string>;
  token68?: string;
}

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;
const AUTH_PARAM = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)[ \t]*=[ \t]*("(?:[^"\\]|\\.)*"|[!#$%&'*+.^_`|~0-9A-Za-z-]+)/;
const TOKEN68 = /^[ \t]+([A-Za-z0-9._~+/-]+=*)[ \t]*(?=,|$)/;

export function parseChallenges(headerValues: string[]): Challenge[] {
  const challenges: Challenge[] = [];
  for (const header of headerValues) {
    let rest = header;
    let current: Challenge | undefined;
    while ((rest = rest.replace(/^[\s,]+/, ''))) {
      const param = AUTH_PARAM.exec(rest);
      if (current && param) {
        const raw = param[2];
        current.params[param[1].toLowerCase()] = raw.startsWith('"') ? raw.slice(1, -1).replace(/\\(.)/g, '$1') : raw;
        rest = rest.slice(param[0].length);
        continue;
      }
      const scheme = TOKEN.exec(rest);
      if (!scheme) break; // malformed from here on: keep what was understood
      current = { scheme: scheme[0].toLowerCase(), params: {} };
      challenges.push(current);
      rest = rest.slice(scheme[0].length);
      const token68 = TOKEN68.exec(rest);
      if (token68) {
        current.token68 = token68[1];
        rest = rest.slice(token68[0].length);
      }
    }
  }
  return challenges;
}
