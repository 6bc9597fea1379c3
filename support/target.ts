/**
 * The target as the checks of one worker see it: the config, the clients, the browser driver,
 * and the shared token family (one fixture login per run, catalog "Shared"). Everything is
 * created lazily and once per process, so a filtered run only pays for what it uses.
 *
 * Real servers often tie token families together (consent remembered, one grant per user and
 * client), so a check that revokes its own "fresh" family can revoke the shared one too. No verdict
 * may depend on the order of the checks, so readers of the shared family get it through
 * `liveFamily()`, which re-verifies it after other checks ran and re-establishes it (recording why)
 * when it was alive before and is revoked now.
 */
import { resourceApi } from './api.ts';
import { buildAuthorizationRequest, type AuthorizationRequest, type AuthorizationRequestOptions } from './authorization-request.ts';
import { ConsentDriver, type AuthorizeOptions, type BrowserAuthorization, type FramingProbe } from './browser/driver.ts';
import type { SuiteConfig } from './config.ts';
import { recordAttachment, recordEvidence, replayEvidence, withEvidence } from './evidence.ts';
import { configureHttp, type Exchange } from './http.ts';
import { configurePoliteness } from './politeness/index.ts';
import { countAuthorization } from './reporting/code-budget.ts';
import { injectedConfig } from './run/handover.ts';
import { exitPromptlyOnSignals } from './run/lifecycle.ts';
import { onWorkerCleanup } from './run/worker-cleanup.ts';
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

const once = <T>(create: () => T): (() => T) => {
  let value: { v: T } | undefined;
  return () => (value ??= { v: create() }).v;
};

export const config = once((): SuiteConfig => {
  const c = injectedConfig();
  configureHttp({ timeoutMs: c.httpTimeoutMs, fullApiBodies: c.evidenceFullBodies });
  configurePoliteness(c);
  return c;
});
export const token = once(() => tokenEndpoint(config()));
export const api = once(() => resourceApi(config()));
let openDriver: Promise<ConsentDriver> | undefined;
const driver = (): Promise<ConsentDriver> => {
  exitPromptlyOnSignals();
  return (openDriver ??= ConsentDriver.launch(config(), { sessionFile: config().browser.sessionFile, handleSignals: false, traceName: 'checks' }));
};
onWorkerCleanup(async () => {
  const closing = openDriver;
  openDriver = undefined;
  await (await closing)?.close();
});

/** Runs an authorization request in the browser and records it as evidence. Every browser authorization of the checks passes here: the code budget counts it. */
export async function authorize(options: AuthorizationRequestOptions & AuthorizeOptions = {}): Promise<BrowserFlow> {
  countAuthorization();
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

/**
 * A fixture made once per run, by the first check that asks for it (with that check's arguments);
 * every check that uses it also gets the evidence of its making.
 */
function sharedFixture<T, A extends unknown[]>(make: (...args: A) => Promise<T>): (...args: A) => Promise<T> {
  let made: ReturnType<typeof withEvidence<T>> | undefined;
  return async (...args) => {
    made ??= withEvidence(() => make(...args));
    const { value, evidence } = await made;
    replayEvidence(evidence);
    return value;
  };
}

/** The run's one fixture login and code exchange, as it happened (AZ-01, PK-01, TK-01, CA-01 …). */
export const shared = sharedFixture(() => {
  fixtureMadeAt = checksRun.length;
  return authorizeAndExchange({ screenshot: true });
});

/**
 * The login as a user without a session meets it (AZ-09, AZ-10): one request from a new browser
 * context, stopped at the consent screen, so no code is issued. The checks' own browser starts
 * logged in (the preflight's session) and never shows the login form.
 */
export const loginFlow = sharedFixture(async (): Promise<BrowserFlow> => {
  const request = await buildAuthorizationRequest(config());
  const fresh = await (await driver()).withoutSession();
  try {
    const result = await fresh.logIn(request);
    recordEvidence({
      title: 'browser: login from a new session (stopped at consent)',
      text: [`GET ${request.url}`, ...result.documents.map((d) => `${d.method} ${d.url} → ${d.status}`)].join('\n'),
    });
    return { ...result, request };
  } finally {
    await fresh.close();
  }
});

/** The checks' browser driver, logged in: for a check that submits a page's form itself (SEC-07). */
export const browserDriver = driver;

/** Frames `url` in a cross-origin page (RFC 9700 §4.16). */
export async function framingProbe(url: string): Promise<FramingProbe> {
  return (await driver()).framingProbe(url);
}

// ---- the live shared family ------------------------------------------------------------------

/** Checks started so far; bumped by check() so the family knows when others may have touched it. */
let checksStarted = 0;
const checksRun: string[] = [];

export function checkStarted(id: string): void {
  checksStarted++;
  checksRun.push(id);
}

interface LiveFamily {
  tokens: TokenSet;
  /** Whether the API has accepted its access token at least once. */
  provenAlive: boolean;
  /** `checksStarted` when it was last known alive. */
  verifiedAt: number;
  /** How many checks had started when it was made: the suspects, if it dies, are those after. */
  madeAt: number;
}

let family: LiveFamily | undefined;
/** How many checks had started when the run's fixture exchange was made. */
let fixtureMadeAt = 0;

async function accepted(tokens: TokenSet): Promise<boolean> {
  return (await api().probe({ bearer: tokens.accessToken })).response.status < 400;
}

const revokedBy = (suspects: string[]) =>
  `the shared token family was revoked after other checks ran (${suspects.join(', ')}): this server ties token families together (for example one grant per user and client, with consent remembered), so a destructive check on its own family revoked the shared one. A new family was made for this check.`;

/** A new family from a new authorization. */
async function freshFamily(): Promise<LiveFamily | undefined> {
  const { tokens } = await authorizeAndExchange();
  return tokens && { tokens, provenAlive: await accepted(tokens), verifiedAt: checksStarted, madeAt: checksRun.length };
}

/** The family a reader gets first: the fixture's own, unless a check that ran since revoked it. */
async function firstFamily(note: (message: string) => void): Promise<LiveFamily | undefined> {
  const { tokens } = await shared();
  if (!tokens) return undefined;
  const alive = await accepted(tokens);
  const suspects = checksRun.slice(fixtureMadeAt, -1);
  // Dead from the start, with no other check in between: a finding the checks that use it report.
  if (alive || suspects.length === 0) return { tokens, provenAlive: alive, verifiedAt: checksStarted, madeAt: fixtureMadeAt };
  note(revokedBy(suspects));
  return freshFamily();
}

/**
 * The shared family's newest tokens, alive as far as the API can tell. `note` receives an INFO when
 * the family had to be re-established because a check that ran since revoked it. Undefined when the
 * fixture exchange issued no tokens (the owning checks report why).
 */
export async function liveFamily(note: (message: string) => void): Promise<TokenSet | undefined> {
  family ??= await firstFamily(note);
  if (!family) return undefined;
  if (family.provenAlive && family.verifiedAt < checksStarted && !(await accepted(family.tokens))) {
    note(revokedBy(checksRun.slice(family.madeAt, -1)));
    family = await freshFamily();
    if (!family) return undefined;
  }
  family.verifiedAt = checksStarted;
  return family.tokens;
}

/** Moves the live family forward after a successful refresh of its refresh token. */
function advance(after: TokenSet): void {
  if (family) family.tokens = { ...after, refreshToken: after.refreshToken ?? family.tokens.refreshToken };
}

/**
 * After a destructive check: if the shared family was alive and is revoked now, the check's
 * "fresh" family shared its grant with it. Recorded as INFO on that check.
 */
export async function noteSharedGrant(note: (message: string) => void): Promise<void> {
  if (!family?.provenAlive || (await accepted(family.tokens))) return;
  note('this check\'s own token family shared its grant with the run\'s shared family: revoking one revoked the other (consent remembered, one grant per user and client). Later checks get a re-established family.');
  family.verifiedAt = -1; // the next reader re-verifies and re-establishes
}

/**
 * Refreshes the shared family and moves it forward (for a check that must see its refresh token
 * still work). Undefined when the family has no refresh token.
 */
export async function refreshLiveFamily(note: (message: string) => void): Promise<Exchange | undefined> {
  const before = await liveFamily(note);
  if (!before?.refreshToken) return undefined;
  const exchange = await token().refresh(before.refreshToken);
  const after = tokenSetOf(exchange);
  if (after) advance(after);
  return exchange;
}

export interface FirstRefresh {
  /** undefined when the fixture exchange issued no tokens. */
  before?: TokenSet;
  /** undefined when no refresh token was issued. */
  exchange?: Exchange;
  after?: TokenSet;
}

/** The shared family's first refresh (RT-01, RT-02), made on a live family. */
export const sharedFirstRefresh = sharedFixture(async (note: (message: string) => void): Promise<FirstRefresh> => {
  const before = await liveFamily(note);
  if (!before?.refreshToken) return { before };
  const exchange = await token().refresh(before.refreshToken);
  const after = tokenSetOf(exchange);
  if (after) advance(after);
  return { before, exchange, after };
});

/**
 * Which check owns the failure of a fixture exchange, so that it is reported once, where it
 * belongs: no code (AZ-01), the client refused (CA-01), the grant or verifier refused (PK-01), or
 * anything else, such as a 5xx (TK-01). Undefined when the exchange succeeded.
 */
export function fixtureFailureOwner({ flow, exchange }: CodeExchange): 'AZ-01' | 'CA-01' | 'PK-01' | 'TK-01' | undefined {
  if (!flow.outcome?.code || !exchange) return 'AZ-01';
  const { status, json } = exchange.response;
  if (status === 200) return undefined;
  const error = (json as { error?: unknown } | undefined)?.error;
  if (error === 'invalid_client' || status === 401) return 'CA-01';
  if (error === 'invalid_grant' || error === 'invalid_request') return 'PK-01';
  return 'TK-01';
}
