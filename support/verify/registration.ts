/**
 * What the client's registration holds, for the registration report: every registered redirect
 * URI and scope. The suite's config names only the one of each it uses, so two settings list them
 * all; each defaults to the config's own.
 */
import { ConfigError, type SuiteConfig } from '../config.ts';

export interface Registration {
  redirectUris: string[];
  scopes: string[];
}

const list = (value: string | undefined) => (value ?? '').split(/[\s,]+/).filter(Boolean);

export function registrationOf(env: Record<string, string | undefined>, config: Pick<SuiteConfig, 'redirectUri' | 'scopes'>): Registration {
  const redirectUris = list(env.PLEO_REGISTERED_REDIRECT_URIS);
  const scopes = list(env.PLEO_REGISTERED_SCOPES);
  const problems = redirectUris.filter((uri) => !/^https?:\/\/[^/]/i.test(uri) || !URL.canParse(uri))
    .map((uri) => `PLEO_REGISTERED_REDIRECT_URIS: "${uri}" is not an http: or https: URL`);
  if (problems.length) throw new ConfigError(problems);
  return {
    redirectUris: redirectUris.length ? [...new Set(redirectUris)] : [config.redirectUri],
    scopes: scopes.length ? [...new Set(scopes)] : config.scopes,
  };
}
