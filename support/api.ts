/** Calls to the resource API with a bearer token (RFC 6750 §2.1) or an API key (RFC 7617). */
import { apiKeyBasicAuth } from './client-auth.ts';
import type { SuiteConfig } from './config.ts';
import { send, type Exchange } from './http.ts';

export type ApiCredential =
  | { bearer: string; scheme?: string }
  | { apiKey: string; password?: string }
  | { authorization: string }
  | 'none';

function authorizationOf(credential: ApiCredential): Record<string, string> {
  if (credential === 'none') return {};
  if ('bearer' in credential) return { authorization: `${credential.scheme ?? 'Bearer'} ${credential.bearer}` };
  if ('apiKey' in credential) return { authorization: apiKeyBasicAuth(credential.apiKey, credential.password) };
  return { authorization: credential.authorization };
}

export function resourceApi(config: SuiteConfig) {
  return {
    call(path: string, credential: ApiCredential, method: 'GET' | 'DELETE' = 'GET'): Promise<Exchange> {
      // API bodies hold personal data (names, e-mails): evidence shows their shape unless configured otherwise.
      return send({ method, url: new URL(path, `${config.apiUrl}/`).toString(), headers: authorizationOf(credential), evidence: 'shape' });
    },
    /**
     * A request that carries its credential elsewhere than in the Authorization header: in the query
     * (RFC 6750 §2.3), a form body (§2.2) or another header, to see whether the API takes it there.
     */
    request(path: string, options: { method?: 'GET' | 'POST'; query?: Record<string, string>; form?: Record<string, string>; headers?: Record<string, string> }): Promise<Exchange> {
      const url = new URL(path, `${config.apiUrl}/`);
      for (const [name, value] of Object.entries(options.query ?? {})) url.searchParams.append(name, value);
      return send({ method: options.method ?? 'GET', url: url.toString(), headers: options.headers ?? {}, form: options.form, evidence: 'shape' });
    },
    /** The cheapest route that accepts both credential types (Pleo: GET /v1/introspect). */
    probe(credential: ApiCredential): Promise<Exchange> {
      return this.call(config.api.probePath, credential);
    },
  };
}

export type ResourceApi = ReturnType<typeof resourceApi>;

/** Whether a response repeats `value` anywhere: its body, or any header (Location, error texts …). */
export function responseEchoes(exchange: Exchange, value: string): boolean {
  const forms = [value, encodeURIComponent(value)];
  const { text, headers } = exchange.response;
  const headerTexts = Object.values(headers).flat().map(String);
  return [text, ...headerTexts].some((part) => forms.some((form) => part.includes(form)));
}
