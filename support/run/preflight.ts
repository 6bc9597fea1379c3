/**
 * Fail fast, with one clear message, when the run cannot produce verdicts: the target is
 * unreachable, the client's credentials are refused, or the test user cannot log in.
 * A StartupError ends the run with exit code 2 instead of a wall of failing checks.
 */
import { buildAuthorizationRequest } from '../authorization-request.ts';
import { ConsentDriver } from '../browser/driver.ts';
import { rawClientBasicAuth } from '../client-auth.ts';
import type { SuiteConfig } from '../config.ts';
import { send, TransportError } from '../http.ts';
import { redact } from '../secrets.ts';
import { tokenEndpoint } from '../token-endpoint.ts';

export class StartupError extends Error {
  override name = 'StartupError';
}

async function reachable(url: string, what: string): Promise<void> {
  try {
    await send({ method: 'GET', url });
  } catch (error) {
    if (error instanceof TransportError) throw new StartupError(`The ${what} is unreachable: ${error.message}. Check ${what === 'API' ? 'PLEO_API_URL' : 'PLEO_AUTH_URL'} and your network.`);
    throw error;
  }
}

/** Checks the client credentials without spending a code (the auth oracle). Returns notices. */
async function clientCredentialsWork(config: SuiteConfig): Promise<string[]> {
  const token = tokenEndpoint(config);
  const encoded = await token.probeClientAuth();
  if (encoded.verdict === 'authenticated') return [];
  if (encoded.verdict === 'inconclusive') {
    return [`notice: could not confirm the client credentials up front (the token endpoint answered HTTP ${encoded.exchange.response.status}); continuing`];
  }
  const raw = await token.probeClientAuth(rawClientBasicAuth(config.clientId, config.clientSecret));
  if (raw.verdict === 'authenticated') {
    return ['notice: the client authenticates only WITHOUT the RFC 6749 §2.3.1 form-urlencoding of its credentials; CA-01 will report it'];
  }
  throw new StartupError(`The token endpoint refused the client credentials (invalid_client). Check PLEO_CLIENT_ID (${config.clientId}) and PLEO_CLIENT_SECRET.`);
}

/** Logs the test user in once and saves the session for the checks to reuse. */
async function logIn(config: SuiteConfig, sessionFile: string, artifactsDir: string): Promise<void> {
  const driver = await ConsentDriver.launch(config, { artifactsDir });
  try {
    const { errorPage } = await driver.logIn(await buildAuthorizationRequest(config));
    if (errorPage) throw new StartupError(`The authorization server refused the authorization request with HTTP ${errorPage.status}: "${errorPage.text}". Check PLEO_CLIENT_ID, PLEO_REDIRECT_URI and PLEO_SCOPES.`);
    await driver.saveSession(sessionFile);
  } catch (error) {
    if (error instanceof StartupError) throw error;
    throw new StartupError(redact((error as Error).message));
  } finally {
    await driver.close();
  }
}

export async function preflight(config: SuiteConfig, options: { sessionFile: string; artifactsDir: string }): Promise<string[]> {
  await reachable(config.authorizeUrl, 'authorization server');
  await reachable(config.apiUrl, 'API');
  const notices = await clientCredentialsWork(config);
  await logIn(config, options.sessionFile, options.artifactsDir);
  return notices;
}
