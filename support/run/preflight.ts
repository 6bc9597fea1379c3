/**
 * Fail fast, with one clear message, when the run cannot produce verdicts: the target is
 * unreachable (DNS, refused, TLS, unavailable), the client's credentials or the API key are
 * refused, a screen selector is not valid CSS, the authorization request (redirect URI, scopes) is
 * refused, the test user cannot log in (the message names the login step that failed), or a
 * session saved by `npm run login` has expired.
 * A StartupError ends the run with exit code 2 instead of a wall of failing checks.
 */
import { resourceApi } from '../api.ts';
import { buildAuthorizationRequest } from '../authorization-request.ts';
import { BrowserFlowError, ConsentDriver, LoginError, type BrowserAuthorization } from '../browser/driver.ts';
import { CSS_SELECTORS } from '../browser/login-page.ts';
import { scriptSelectors } from '../browser/login-script.ts';
import { apiKeyBasicAuth, rawClientBasicAuth } from '../client-auth.ts';
import { SELECTOR_VARIABLES, type SuiteConfig } from '../config.ts';
import { loginCommand } from '../config-login.ts';
import { unreachable } from '../politeness/reachability.ts';
import { redact } from '../secrets.ts';
import { tokenEndpoint } from '../token-endpoint.ts';
import { errorOf } from '../verdicts.ts';
import { StartupError } from './errors.ts';
import type { Progress } from './progress.ts';

export interface PreflightOptions {
  progress: Progress;
  /** Registers a close for the end of the run (an interrupted run closes the browser too); returns "close now". */
  closeAtEnd?: (close: () => Promise<void>) => () => Promise<void>;
}

async function reachable(url: string, variable: string): Promise<void> {
  const problem = await unreachable(url);
  if (problem) throw new StartupError(`${url} ${problem}. Check ${variable} and your network.`);
}

/** Checks the client credentials without spending a code (the auth oracle). Returns notices. */
async function clientCredentialsWork(config: SuiteConfig): Promise<string[]> {
  const token = tokenEndpoint(config);
  const encoded = await token.probeClientAuth();
  if (encoded.verdict === 'authenticated') return [];
  // invalid_client is a refusal whatever the oracle says: with a wrong secret, its calibration cannot tell.
  if (encoded.verdict === 'inconclusive' && errorOf(encoded.exchange) !== 'invalid_client') {
    return [`could not confirm the client credentials up front (the token endpoint answered HTTP ${encoded.exchange.response.status}); continuing`];
  }
  const raw = await token.probeClientAuth(rawClientBasicAuth(config.clientId, config.clientSecret));
  // Uncalibrated, invalid_grant for the random code means that the client did authenticate.
  if (raw.verdict === 'authenticated' || (raw.verdict === 'inconclusive' && errorOf(raw.exchange) === 'invalid_grant')) {
    return ['the client authenticates only WITHOUT the RFC 6749 §2.3.1 form-urlencoding of its credentials; CA-01 will report it'];
  }
  throw new StartupError(`The token endpoint refused the client credentials (invalid_client). Check PLEO_CLIENT_ID (${config.clientId}) and PLEO_CLIENT_SECRET.`);
}

/** Checks the configured API key at the probe route. Returns notices. */
async function apiKeyWorks(config: SuiteConfig, apiKey: string): Promise<string[]> {
  const api = resourceApi(config);
  const route = `GET ${config.api.probePath}`;
  const { status } = (await api.probe({ apiKey })).response;
  if (status >= 200 && status < 300) return [];
  if (status !== 401) return [`could not confirm PLEO_API_KEY up front (${route} answered HTTP ${status}); continuing`];
  // A key the API takes only as the Basic password is the right key on a non-conforming API: AK-01 reports it.
  const asPassword = await api.probe({ authorization: apiKeyBasicAuth('', apiKey) });
  if (asPassword.response.status >= 200 && asPassword.response.status < 300) return ['the API accepts PLEO_API_KEY only as the Basic password, not as the user-id; AK-01 will report it'];
  throw new StartupError(`The API refused PLEO_API_KEY (${route} answered HTTP 401). Check PLEO_API_KEY: it must be a key of this environment.`);
}

/** The authorization server's refusal of the request itself, if it refused it. */
function refusal(config: SuiteConfig, result: BrowserAuthorization): StartupError | undefined {
  if (result.errorPage) {
    return new StartupError(`The authorization server refused the authorization request with HTTP ${result.errorPage.status}: "${result.errorPage.text}". Check PLEO_CLIENT_ID, PLEO_REDIRECT_URI and PLEO_SCOPES.`);
  }
  const error = result.outcome?.error;
  if (!error) return undefined;
  const answer = redact(`error=${error}${result.outcome?.errorDescription ? ` ("${result.outcome.errorDescription}")` : ''}`);
  if (error === 'invalid_scope') {
    return new StartupError(`The authorization server refused the scopes in PLEO_SCOPES ("${config.scopes.join(' ')}"): ${answer}.`);
  }
  return new StartupError(`The authorization server refused the authorization request: ${answer}. Check PLEO_CLIENT_ID, PLEO_REDIRECT_URI and PLEO_SCOPES.`);
}

/** The screen selectors and the login script's selectors, each under the name a message gives it. */
function namedSelectors(config: SuiteConfig): Record<string, string> {
  const settings = Object.fromEntries(CSS_SELECTORS.map((name) => [SELECTOR_VARIABLES[name], config.browser.selectors[name]]));
  return { ...settings, ...scriptSelectors(config.login.script ?? []) };
}

async function checkSelectors(config: SuiteConfig, driver: ConsentDriver): Promise<void> {
  const named = namedSelectors(config);
  const invalid = await driver.invalidSelectors(named);
  if (invalid.length) {
    throw new StartupError(invalid.map((name) => `${name} is not a valid CSS selector: "${named[name]}"`).join('; '));
  }
}

/** A saved session (npm run login) that cannot be loaded or no longer logs in: say how to save a new one. */
function sessionProblem(config: SuiteConfig, detail: string): StartupError {
  const file = config.login.savedSession!;
  const selfLogin = config.login.password || config.login.passcode || config.login.script;
  return new StartupError(`The saved login session ${file} is no longer usable: ${detail}. Run ${loginCommand(config.login.envName)} to log in again${selfLogin ? ', or delete the file to let the run log in with the env\'s credentials' : ''}.`);
}

async function launch(config: SuiteConfig): Promise<ConsentDriver> {
  const savedSession = config.login.savedSession;
  if (!savedSession) return ConsentDriver.launch(config, { handleSignals: false, traceName: 'preflight' });
  return ConsentDriver.launch(config, { handleSignals: false, sessionFile: savedSession, traceName: 'preflight' }).catch((error: Error) => {
    throw sessionProblem(config, `it cannot be loaded (${error.message.split('\n')[0]})`);
  });
}

/**
 * Logs the test user in once (or checks that the session `npm run login` saved still logs in) and
 * saves the session in the run's private folder (config.browser.sessionFile) for the checks to reuse.
 */
async function logIn(config: SuiteConfig, { progress, closeAtEnd = (close) => close }: PreflightOptions): Promise<void> {
  const sessionFile = config.browser.sessionFile;
  if (!sessionFile) throw new Error('config.browser.sessionFile is not set: the preflight has nowhere to save the login');
  let close: () => Promise<void> = async () => undefined;
  try {
    const driver = await progress.step('browser started', () => launch(config));
    close = closeAtEnd(() => driver.close());
    await progress.step('screen selectors are valid CSS', () => checkSelectors(config, driver));
    let screenReached!: () => void;
    const requestAccepted = new Promise<void>((resolve) => (screenReached = resolve));
    const refused = (result: BrowserAuthorization) => {
      const error = refusal(config, result);
      if (error) throw error;
      return result;
    };
    const sessionOnly = Boolean(config.login.savedSession);
    const flow = driver.logIn(await buildAuthorizationRequest(config), { onScreen: () => screenReached(), sessionOnly }).then(refused, (error: unknown) => {
      if (sessionOnly && error instanceof BrowserFlowError) throw sessionProblem(config, error.message);
      if (error instanceof LoginError) throw new StartupError(`The test user could not log in: ${error.message}`);
      throw error;
    });
    // A login or consent screen means the request (client, redirect URI, scopes) was accepted.
    await progress.step('authorization request accepted (client, redirect URI, scopes)', () => Promise.race([requestAccepted, flow]));
    await progress.step(sessionOnly ? `saved login session still valid (${config.login.savedSession})` : 'test user logged in', async () => {
      await flow;
      await driver.saveSession(sessionFile);
    });
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(redact((error as Error).message));
  } finally {
    await close();
  }
}

export async function preflight(config: SuiteConfig, options: PreflightOptions): Promise<void> {
  await options.progress.step('hosts reachable (authorization server, API)', async () => {
    await reachable(config.authorizeUrl, 'PLEO_AUTH_URL');
    await reachable(config.apiUrl, 'PLEO_API_URL');
  });
  const notices = await options.progress.step('client credentials accepted', () => clientCredentialsWork(config));
  notices.forEach(options.progress.note);
  const { apiKey } = config;
  if (apiKey) (await options.progress.step('API key accepted', () => apiKeyWorks(config, apiKey))).forEach(options.progress.note);
  await logIn(config, options);
}
