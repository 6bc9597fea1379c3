/**
 * The registration report's own probes, each one HTTP request and none a login: authorization
 * requests for every registered redirect URI and scope, answered before any login (or not), and
 * the API key at the API's routes.
 */
import { randomUUID } from 'node:crypto';
import { probeAuthorization } from '../authorization-probe.ts';
import { redirectParam, type AuthorizationRequestOptions } from '../authorization-request.ts';
import { resourceApi } from '../api.ts';
import type { SuiteConfig } from '../config.ts';
import { headerValue } from '../http.ts';
import type { Registration } from './registration.ts';

/**
 * How the authorization server answered before any login: a redirect back to the client (with an
 * error, as a rule), a redirect onward (to its login), a page (a login form or an error page sent
 * with 200), an error page (4xx, 5xx), or no answer at all.
 */
export type AnswerKind = 'to-client' | 'onward' | 'page' | 'error-page' | 'unreachable';

export interface Answer {
  kind: AnswerKind;
  status?: number;
  /** The `error` of a redirect to the client. */
  error?: string;
  /** Why there was no answer. */
  reason?: string;
}

export interface ApiKeyProbe {
  path: string;
  status?: number;
  /** What Pleo's GET /v1/introspect says of the key: authMethod and scope only. */
  authMethod?: string;
  scope?: string;
  reason?: string;
}

export interface RegistrationProbes {
  redirectUris: Array<{ uri: string; answer: Answer }>;
  /** The same request with a redirect URI no client registers: what a refusal looks like here. */
  unregisteredRedirect: Answer;
  scopes: Array<{ scope: string; answer: Answer }>;
  /** The same request with a scope no server knows. */
  unknownScope: Answer;
  apiKey: ApiKeyProbe[];
}

export async function askAuthorization(config: SuiteConfig, options: AuthorizationRequestOptions): Promise<Answer> {
  let probe;
  try {
    probe = await probeAuthorization(config, options);
  } catch (error) {
    return { kind: 'unreachable', reason: (error as Error).message };
  }
  const { response } = probe.exchange;
  const { status } = response;
  if (status >= 400) return { kind: 'error-page', status };
  if (status < 300 || !headerValue(response, 'location')) return { kind: 'page', status };
  // The error of a redirect to the client, from its query or (a lenient server's) fragment.
  if (probe.outcome) return { kind: 'to-client', status, error: redirectParam(probe.outcome.redirectedTo, 'error') };
  return { kind: 'onward', status };
}

async function askApi(config: SuiteConfig, path: string, apiKey: string): Promise<ApiKeyProbe> {
  try {
    const { response } = await resourceApi(config).call(path, { apiKey });
    const data = (response.json as { data?: Record<string, unknown> } | undefined)?.data;
    const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
    return { path, status: response.status, authMethod: text(data?.authMethod), scope: text(data?.scope) };
  } catch (error) {
    return { path, reason: (error as Error).message };
  }
}

export async function probeRegistration(config: SuiteConfig, registration: Registration): Promise<RegistrationProbes> {
  const redirectUris = [];
  for (const uri of registration.redirectUris) redirectUris.push({ uri, answer: await askAuthorization(config, { redirectUri: uri }) });
  const scopes = [];
  for (const scope of registration.scopes) scopes.push({ scope, answer: await askAuthorization(config, { scope }) });
  const paths = [...new Set([config.api.probePath, config.api.scopedPath])];
  const apiKey = [];
  if (config.apiKey) for (const path of paths) apiKey.push(await askApi(config, path, config.apiKey));
  return {
    redirectUris,
    unregisteredRedirect: await askAuthorization(config, { redirectUri: `https://unregistered.invalid/${randomUUID()}` }),
    scopes,
    unknownScope: await askAuthorization(config, { scope: `conformance:unregistered-${randomUUID().slice(0, 8)}` }),
    apiKey,
  };
}
