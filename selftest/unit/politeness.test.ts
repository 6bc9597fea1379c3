import { describe, expect, it } from 'vitest';
import { clientBasicAuth, apiKeyBasicAuth, rawClientBasicAuth } from '../../support/client-auth.ts';
import { ConfigError, isRunSetting, KNOWN_VARIABLES, readConfig } from '../../support/config.ts';
import { CircuitBreaker } from '../../support/politeness/breaker.ts';
import { carriesWrongCredentials, FailedAuthBudget, goodBasicCredentials } from '../../support/politeness/failed-auth.ts';
import { RateCeiling, type Clock } from '../../support/politeness/rate-ceiling.ts';
import { afterAnswer, afterTransportFailure, MAX_WAIT_MS, type Progress } from '../../support/politeness/repeats.ts';
import { retryAfterMs } from '../../support/politeness/retry-after.ts';
import { transportFailure } from '../../support/politeness/transport-failure.ts';
import { TargetUnavailableError } from '../../support/run/errors.ts';
import { PreconditionUnmet } from '../../support/verdicts.ts';
import { thrown } from './thrown.ts';

describe('retryAfterMs', () => {
  const now = Date.parse('2026-11-30T08:00:00Z');
  it('reads delay-seconds and HTTP-dates (RFC 9110 §10.2.3)', () => {
    expect(retryAfterMs('3', now)).toBe(3000);
    expect(retryAfterMs(' 0 ', now)).toBe(0);
    expect(retryAfterMs('Mon, 30 Nov 2026 08:00:05 GMT', now)).toBe(5000);
    expect(retryAfterMs('Mon, 30 Nov 2026 07:59:00 GMT', now)).toBe(0);
  });
  it('ignores what it cannot read', () => {
    for (const value of [undefined, '', '1.5', '-1', 'soon', '30 Nov 2026']) expect(retryAfterMs(value, now)).toBeUndefined();
  });
});

describe('RateCeiling', () => {
  function fakeClock(): Clock & { slept: number[] } {
    let now = 1_000_000;
    const slept: number[] = [];
    return { slept, now: () => now, sleep: async (ms) => { slept.push(ms); now += ms; } };
  }
  it('lets a burst through up to the minute\'s allowance, then waits for the oldest request to leave the window', async () => {
    const clock = fakeClock();
    const ceiling = new RateCeiling(3, clock);
    for (let i = 0; i < 3; i++) await ceiling.take();
    expect(clock.slept).toEqual([]);
    await ceiling.take();
    expect(clock.slept).toEqual([60_000]);
  });
  it('never lets more than the ceiling into any 60 s', async () => {
    const clock = fakeClock();
    const ceiling = new RateCeiling(5, clock);
    const times: number[] = [];
    for (let i = 0; i < 23; i++) {
      await ceiling.take();
      times.push(clock.now());
      await clock.sleep(i % 3 === 0 ? 7_000 : 10);
    }
    for (const start of times) expect(times.filter((t) => t >= start && t < start + 60_000).length).toBeLessThanOrEqual(5);
  });
});

describe('the failed-authentication cap', () => {
  const config = {
    clientId: 'client 1', clientSecret: 's3cret/+=', apiKey: 'key-1',
    secondClient: { id: 'client-2', secret: 'two' }, encodingClient: undefined,
  };
  const good = goodBasicCredentials(config);

  it('does not count the configured credentials, in any scheme case, nor bearer tokens or none', () => {
    for (const header of [
      undefined, 'Bearer abc', 'bearer', clientBasicAuth('client 1', 's3cret/+='), clientBasicAuth('client-2', 'two'),
      apiKeyBasicAuth('key-1'), clientBasicAuth('client 1', 's3cret/+=').replace('Basic', 'bASIC'), clientBasicAuth('client-2', 'two').replace(' ', '  '),
    ]) expect(carriesWrongCredentials(header, good), header).toBe(false);
  });

  it('counts wrong secrets, unknown clients and keys, other encodings, malformed and non-Basic credentials', () => {
    for (const header of [
      clientBasicAuth('client 1', 'wrong'), clientBasicAuth('someone', 's3cret/+='), rawClientBasicAuth('client 1', 's3cret/+='),
      apiKeyBasicAuth('key-1', 'password'), apiKeyBasicAuth('key-2'), 'Basic %%not*base64%%', 'Basic', 'Basic a b', 'Digest x=1',
    ]) expect(carriesWrongCredentials(header, good), header).toBe(true);
  });

  it('skips (PreconditionUnmet) the requests beyond the cap, counting what the preflight spent', () => {
    const budget = new FailedAuthBudget(3, good, 1);
    budget.admit(clientBasicAuth('client 1', 'wrong'));
    budget.admit(clientBasicAuth('client 1', 's3cret/+='));
    budget.admit(apiKeyBasicAuth('nope'));
    expect(budget.used).toBe(3);
    const skip = thrown(PreconditionUnmet, () => budget.admit(apiKeyBasicAuth('nope')));
    expect(skip.message).toContain('PLEO_MAX_FAILED_AUTH');
    budget.admit(apiKeyBasicAuth('key-1')); // the right key still goes out
    expect(budget.used).toBe(3);
  });
});

describe('CircuitBreaker', () => {
  it('opens after three infrastructure failures in a row, and then refuses every request', () => {
    const breaker = new CircuitBreaker();
    breaker.failed('GET a: refused');
    breaker.failed('GET b: refused');
    breaker.succeeded();
    breaker.failed('GET c: refused');
    breaker.failed('GET d: HTTP 503');
    breaker.admit();
    breaker.failed('GET e: timeout');
    const error = thrown(TargetUnavailableError, () => breaker.admit());
    expect(error.message).toBe('the target is unavailable: 3 requests in a row failed (the last: GET e: timeout)');
    breaker.succeeded();
    expect(() => breaker.admit()).toThrow(TargetUnavailableError);
  });
});

describe('transportFailure', () => {
  const error = (code: string, message = 'boom') => Object.assign(new Error(message), { code });
  it('names TLS and DNS problems as such', () => {
    expect(transportFailure(error('DEPTH_ZERO_SELF_SIGNED_CERT', 'self-signed certificate'))).toMatchObject({ kind: 'tls', text: 'TLS error: self-signed certificate (DEPTH_ZERO_SELF_SIGNED_CERT)' });
    expect(transportFailure(error('ERR_TLS_CERT_ALTNAME_INVALID')).kind).toBe('tls');
    expect(transportFailure(error('ERR_SSL_WRONG_VERSION_NUMBER')).kind).toBe('tls');
    expect(transportFailure(error('ENOTFOUND')).text).toContain('DNS');
  });
  it('finds the code of a wrapped or aggregated error', () => {
    expect(transportFailure({ cause: { code: 'ECONNREFUSED' } }).kind).toBe('refused');
    expect(transportFailure(Object.assign(new AggregateError([error('ECONNREFUSED')]), {})).kind).toBe('refused');
  });
});

describe('repeats', () => {
  const progress = (p: Partial<Progress> = {}): Progress => ({ method: 'GET', attempts: 1, waitedMs: 0, honour429: true, ...p });

  it('waits out a 429 for as long as Retry-After asks, whatever the method', () => {
    expect(afterAnswer(429, '2', progress({ method: 'POST' }))).toMatchObject({ repeat: true, afterMs: 2000 });
  });
  it('backs off by doubling when a 429 has no Retry-After', () => {
    expect(afterAnswer(429, undefined, progress({ attempts: 1 }))).toMatchObject({ afterMs: 1000 });
    expect(afterAnswer(429, undefined, progress({ attempts: 3 }))).toMatchObject({ afterMs: 4000 });
  });
  it('gives up, as rate-limited, beyond the total wait bound', () => {
    const next = afterAnswer(429, String(MAX_WAIT_MS / 1000), progress({ waitedMs: 1000 }));
    expect(next.repeat).toBe(false);
    expect(next).toHaveProperty('rateLimited');
  });
  it('returns a 429 as it is when told to', () => {
    expect(afterAnswer(429, '1', progress({ honour429: false }))).toEqual({ repeat: false });
  });
  it('repeats 502/503/504 of safe requests only, and never another answer', () => {
    expect(afterAnswer(503, undefined, progress())).toMatchObject({ repeat: true, afterMs: 200 });
    expect(afterAnswer(503, undefined, progress({ attempts: 3 }))).toEqual({ repeat: false });
    expect(afterAnswer(503, undefined, progress({ method: 'POST' }))).toEqual({ repeat: false });
    for (const status of [200, 400, 401, 500]) expect(afterAnswer(status, '1', progress())).toEqual({ repeat: false });
  });
  it('repeats a POST only when the connection was never made (a code exchange must not be spent twice)', () => {
    const refused = transportFailure({ code: 'ECONNREFUSED' });
    const reset = transportFailure({ code: 'ECONNRESET' });
    const timeout = transportFailure({ code: 'UND_ERR_HEADERS_TIMEOUT' });
    expect(afterTransportFailure(refused, progress({ method: 'POST' })).repeat).toBe(true);
    expect(afterTransportFailure(refused, progress({ method: 'POST', attempts: 3 })).repeat).toBe(false);
    expect(afterTransportFailure(reset, progress({ method: 'POST' })).repeat).toBe(false);
    expect(afterTransportFailure(reset, progress()).repeat).toBe(true);
    expect(afterTransportFailure(timeout, progress()).repeat).toBe(true);
    expect(afterTransportFailure(timeout, progress({ attempts: 2 })).repeat).toBe(false);
    expect(afterTransportFailure(transportFailure({ code: 'CERT_HAS_EXPIRED' }), progress()).repeat).toBe(false);
  });
});

describe('the politeness settings', () => {
  const env = {
    PLEO_AUTH_URL: 'https://auth.example.test', PLEO_API_URL: 'https://api.example.test', PLEO_CLIENT_ID: 'c', PLEO_CLIENT_SECRET: 's',
    PLEO_REDIRECT_URI: 'http://127.0.0.1:1/cb', PLEO_SCOPES: 'a', PLEO_LOGIN_EMAIL: 'e@example.test', PLEO_LOGIN_PASSWORD: 'p', PLEO_BROWSER_PATH: process.execPath,
  };
  it('stay below Pleo\'s 500 a minute by default, and are run settings (they apply to a local target too)', () => {
    expect(readConfig(env).politeness).toEqual({ maxRequestsPerMinute: 450, maxFailedAuth: 80, failedAuthSpent: 0 });
    expect(readConfig({ ...env, PLEO_MAX_REQUESTS_PER_MINUTE: '100', PLEO_MAX_FAILED_AUTH: '5' }).politeness).toMatchObject({ maxRequestsPerMinute: 100, maxFailedAuth: 5 });
    for (const name of ['PLEO_MAX_REQUESTS_PER_MINUTE', 'PLEO_MAX_FAILED_AUTH']) {
      expect(isRunSetting(name)).toBe(true);
      expect(KNOWN_VARIABLES).toContain(name);
    }
  });
  it('must be positive whole numbers', () => {
    const error = thrown(ConfigError, () => readConfig({ ...env, PLEO_MAX_REQUESTS_PER_MINUTE: '0', PLEO_MAX_FAILED_AUTH: 'lots' }));
    expect(error.problems).toEqual([
      'PLEO_MAX_REQUESTS_PER_MINUTE must be a positive whole number of requests, not "0"',
      'PLEO_MAX_FAILED_AUTH must be a positive whole number of requests, not "lots"',
    ]);
  });
});
