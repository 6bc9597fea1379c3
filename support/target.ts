/**
 * The target as the checks of one worker see it: the config, the clients, the browser driver,
 * and the shared token family (one fixture login per run, catalog "Shared"). Everything is
 * created lazily and once per process, so a filtered run only pays for what it uses.
 */
import { resourceApi } from './api.ts';
import { buildAuthorizationRequest, type AuthorizationRequest, type AuthorizationRequestOptions } from './authorization-request.ts';
import { ConsentDriver, type AuthorizeOptions, type BrowserAuthorization } from './browser/driver.ts';
import type { SuiteConfig } from './config.ts';
import { recordAttachment, recordEvidence, replayEvidence, withEvidence } from './evidence.ts';
import { configureHttp, type Exchange } from './http.ts';
import { injectedConfig } from './run/handover.ts';
import { exitPromptlyOnSignals } from './run/lifecycle.ts';
import { tokenEndpoint, tokenSetOf, type TokenSet } from './token-endpoint.ts';

export interface BrowserFlow extends BrowserAuthorization {
  request: AuthorizationRequest;
}

export interface CodeExchange {
  flow: BrowserFlow;
  /** undefined when the browser leg returned no code. */
  exchange?: Exchange;
  /** undefined when the exchange did not succeed. */
  tokens?: TokenSet;
}

export interface SharedFamily extends CodeExchange {
  /** The newest tokens of the family: refresh checks move it forward. */
  current?: TokenSet;
}

const once = <T>(create: () => T): (() => T) => {
  let value: { v: T } | undefined;
  return () => (value ??= { v: create() }).v;
};

export const config = once((): SuiteConfig => {
  const c = injectedConfig();
  configureHttp({ timeoutMs: c.httpTimeoutMs });
  return c;
});
export const token = once(() => tokenEndpoint(config()));
export const api = once(() => resourceApi(config()));
const driver = once(() => {
  exitPromptlyOnSignals();
  return ConsentDriver.launch(config(), { sessionFile: config().browser.sessionFile, handleSignals: false });
});

/** Runs an authorization request in the browser and records it as evidence. */
export async function authorize(options: AuthorizationRequestOptions & AuthorizeOptions = {}): Promise<BrowserFlow> {
  const request = await buildAuthorizationRequest(config(), options);
  const result = await (await driver()).authorize(request, options);
  const outcome = result.outcome;
  recordEvidence({
    title: `browser: authorization request → ${outcome?.error ? `error=${outcome.error}` : outcome?.code ? 'code' : result.errorPage ? `error page ${result.errorPage.status}` : 'no redirect'}`,
    text: [
      `GET ${request.url}`,
      `consent screen shown: ${result.consentShown}`,
      `redirected to: ${outcome?.redirectedTo ?? '(none)'}`,
      ...(result.errorPage ? [`error page: HTTP ${result.errorPage.status} ${result.errorPage.text}`] : []),
    ].join('\n'),
  });
  if (result.consentScreenshot) recordAttachment({ name: 'consent screen', contentType: 'image/png', body: result.consentScreenshot });
  return { ...result, request };
}

/** A fresh code, redeemed at once with the right verifier. */
export async function authorizeAndExchange(options: AuthorizationRequestOptions & AuthorizeOptions = {}): Promise<CodeExchange> {
  const flow = await authorize(options);
  if (!flow.outcome?.code) return { flow };
  const exchange = await token().exchangeCode(flow.outcome.code, { verifier: flow.request.pkce.verifier, redirectUri: flow.request.redirectUri });
  return { flow, exchange, tokens: tokenSetOf(exchange) };
}

/** A fixture made once per run; every check that uses it also gets the evidence of its making. */
function sharedFixture<T>(make: () => Promise<T>): () => Promise<T> {
  const made = once(() => withEvidence(make));
  return async () => {
    const { value, evidence } = await made();
    replayEvidence(evidence);
    return value;
  };
}

/** The run's one fixture login and code exchange (AZ-01, PK-01, TK-01, CA-01 …). */
export const shared = sharedFixture(async (): Promise<SharedFamily> => {
  const result = await authorizeAndExchange({ screenshot: true });
  return { ...result, current: result.tokens };
});

/** The shared family's first refresh (RT-01, RT-02): undefined when no refresh token was issued. */
export const sharedFirstRefresh = sharedFixture(async (): Promise<{ before: TokenSet; exchange: Exchange; after?: TokenSet } | undefined> => {
  const family = await shared();
  const before = family.current;
  if (!before?.refreshToken) return undefined;
  const exchange = await token().refresh(before.refreshToken);
  const after = tokenSetOf(exchange);
  if (after) family.current = { ...after, refreshToken: after.refreshToken ?? before.refreshToken };
  return { before, exchange, after };
});
