import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../support/config.ts';
import type { CheckResult, ChecksReport, Status } from '../../support/reporting/checks-reporter.ts';
import { summarize } from '../../support/reporting/run-outcome.ts';
import { observationOf, observed, tokenResponseObservations } from '../../support/verify/observations.ts';
import type { Answer, RegistrationProbes } from '../../support/verify/probes.ts';
import { registrationOf } from '../../support/verify/registration.ts';
import { verificationMarkdown } from '../../support/verify/markdown.ts';
import { buildVerification, maskClientId, type VerificationInput } from '../../support/verify/report.ts';
import { thrown } from './thrown.ts';

const CALLBACK = 'https://oauth.pstmn.io/v1/callback';
const BROWSER_CALLBACK = 'https://oauth.pstmn.io/v1/browser-callback';

function check(id: string, status: Status = 'SUCCESS', details: string[] = [], extra: Partial<CheckResult> = {}): CheckResult {
  return { id, name: `${id} title`, title: 'title', level: 'MUST', refs: [], file: 'tests/x.test.ts', status, details, durationMs: 1, ...extra };
}

/** A clean run with the facts the checks observe. */
function cleanChecks(): CheckResult[] {
  return [
    check('AZ-01'),
    check('TK-02', 'SUCCESS', tokenResponseObservations({ expires_in: 900, scope: 'users:read test:test', refresh_token: 'r' }).map((n) => `info: ${n}`)),
    check('RT-02', 'SUCCESS', [`info: ${observed('rotation', 'a new refresh_token')}`]),
    check('RT-03'), check('RT-04'), check('PL-01'), check('CA-01'), check('CA-05', 'SUCCESS', [], { level: 'SHOULD' }), check('AK-01'), check('AK-03'),
    check('PL-04', 'SUCCESS', ['info: client_id and client_secret in the form body do not authenticate (rejected), as Pleo documents (client_secret_basic only)']),
    check('SC-02', 'SUCCESS', [`info: ${observed('API with the granted scope', 'GET /v2/employees with "users:read test:test": HTTP 200')}`]),
    check('SC-06', 'SUCCESS', [`info: ${observed('API without the route scope', 'GET /v2/employees: HTTP 403')}`]),
    check('TK-07', 'SKIPPED', ['a slow check (it waits out a code or token lifetime): run with --slow'], { optIn: 'slow' }),
  ];
}

function runOf(checks: CheckResult[]): ChecksReport {
  return { summary: summarize('staging', checks, []), strict: false, outcome: 'passed', target: {}, finishedAt: '2026-11-30T08:00:00.000Z', checks };
}

const onward: Answer = { kind: 'onward', status: 302 };
const errorPage: Answer = { kind: 'error-page', status: 400 };
const invalidScope: Answer = { kind: 'to-client', status: 302, error: 'invalid_scope' };

function probes(overrides: Partial<RegistrationProbes> = {}): RegistrationProbes {
  return {
    redirectUris: [{ uri: CALLBACK, answer: onward }, { uri: BROWSER_CALLBACK, answer: onward }],
    unregisteredRedirect: errorPage,
    scopes: [{ scope: 'users:read', answer: onward }, { scope: 'test:test', answer: onward }],
    unknownScope: invalidScope,
    apiKey: [{ path: '/v1/introspect', status: 200, authMethod: 'API_KEY', scope: 'users:read' }, { path: '/v2/employees', status: 200 }],
    ...overrides,
  };
}

function input(overrides: Partial<VerificationInput> = {}): VerificationInput {
  return {
    label: 'staging',
    config: {
      clientId: '12a3b456-78c9-0def-1234-56789abcdef0', redirectUri: CALLBACK, scopes: ['users:read', 'test:test'],
      api: { probePath: '/v1/introspect', scopedPath: '/v2/employees', scopedPathScope: 'users:read', tenantResourcePath: '/v2/employees' },
      apiKey: 'an-api-key', revokedApiKey: 'a-revoked-key', authUrl: 'https://auth.example.test', apiUrl: 'https://api.example.test',
      profile: { rotation: { policy: 'strict' }, refreshRevokesAccessToken: true, pragma: 'required', pkce: 'rfc9700', reuseDetection: true, tokenRedirectUri: 'required', codeLifetimeMaxS: 600, accessTokenLifetimeMaxS: 3600 },
    },
    registration: { redirectUris: [CALLBACK, BROWSER_CALLBACK], scopes: ['users:read', 'test:test'] },
    probes: probes(),
    run: runOf(cleanChecks()),
    runExitCode: 0,
    ...overrides,
  };
}

describe('buildVerification', () => {
  it('a clean run with every registered URI and scope accepted is ready (exit 0), and reports what the checks observed', () => {
    const v = buildVerification(input());
    expect(v).toMatchObject({ verdict: 'ready', exitCode: 0, reasons: [], clientId: '12a3…def0' });
    expect(v.redirectUris.map((r) => r.accepted.answer)).toEqual(['yes', 'yes']);
    expect(v.redirectUris[1].accepted.how).toMatch(/redirect onward .*; an unregistered URI got an error page, HTTP 400/);
    expect(v.scopes[0]).toMatchObject({ requestable: { answer: 'yes' }, granted: { answer: 'yes' } });
    expect(v.scopes[0].atApi).toBe('with it, GET /v2/employees with "users:read test:test": HTTP 200 (SC-02 passed); without it, GET /v2/employees: HTTP 403 (SC-06 passed)');
    expect(v.scopes[1].atApi).toMatch(/^not probed/);
    expect(v.rotation).toMatchObject({ declared: 'strict', observed: 'strict rotation' });
    expect(v.lifetimes[0]).toMatch(/^access token: expires_in 900 s \(policy maximum 3600 s\)/);
    expect(v.lifetimes[2]).toMatch(/not checked \(TK-07 skipped: .*--slow\)/);
    expect(v.clientAuthentication[0]).toBe('client_secret_basic (HTTP Basic, form-urlencoded id and secret): accepted (CA-01 passed)');
    expect(v.clientAuthentication[1]).toMatch(/do not authenticate \(rejected\), as Pleo documents \(client_secret_basic only\); a wrong or missing secret there is refused \(PL-04 passed\)$/);
    expect(v.apiKey).toContain('GET /v1/introspect: HTTP 200, reached (authMethod API_KEY, scope "users:read")');
    expect(v.conformance.counts).toEqual({ passed: 13, failed: 0, warnings: 0, skipped: 1, expected: 0, review: 0 });
  });

  it('a MUST violated that is not expected is not ready (exit 1); an expected failure is listed apart and does not count', () => {
    const failing = cleanChecks().map((c) => (c.id === 'CA-01' ? { ...c, status: 'FAILURE' as const, failure: 'assertion' as const, details: ['the AS must accept Basic credentials (RFC 6749 §2.3.1)'] } : c));
    const notReady = buildVerification(input({ run: runOf(failing) }));
    expect(notReady).toMatchObject({ verdict: 'not ready', exitCode: 1, reasons: ['CA-01 failed: the AS must accept Basic credentials (RFC 6749 §2.3.1)'] });
    expect(notReady.clientAuthentication[0]).toMatch(/refused \(CA-01 failed: /);

    const expected = cleanChecks().map((c) => (c.id === 'CA-05' ? { ...c, status: 'EXPECTED' as const, expected: { as: 'WARNING' as const, reason: 'ticket AUTH-1' } } : c));
    const ready = buildVerification(input({ run: runOf(expected) }));
    expect(ready.exitCode).toBe(0);
    expect(ready.conformance.expected).toEqual(['CA-05 (SHOULD) expected WARNING: ticket AUTH-1']);
    expect(ready.conformance.failures).toEqual([]);
    // CA-05 is a SHOULD check: its warning is the violation itself.
    expect(ready.clientAuthentication[2]).toBe('Basic and a body secret together: accepted (CA-05: an expected warning)');

    // An expected WARNING on RT-03 (a SHOULD around it): the superseded token was still refused.
    const warned = cleanChecks().map((c) => (c.id === 'RT-03' ? { ...c, status: 'EXPECTED' as const, expected: { as: 'WARNING' as const, reason: 'no cache headers on errors' } } : c));
    expect(buildVerification(input({ run: runOf(warned) })).rotation.observed).toBe('strict rotation');
    const noReuseDetection = cleanChecks().map((c) => (c.id === 'RT-04' ? { ...c, status: 'EXPECTED' as const, expected: { as: 'FAILURE' as const, reason: 'no token family' } } : c));
    expect(buildVerification(input({ run: runOf(noReuseDetection) })).rotation.observed).toBe('strict rotation; a replay revokes nothing');
  });

  it('a registered redirect URI or scope refused before login is not ready', () => {
    const v = buildVerification(input({ probes: probes({ redirectUris: [{ uri: CALLBACK, answer: onward }, { uri: BROWSER_CALLBACK, answer: errorPage }], scopes: [{ scope: 'users:read', answer: onward }, { scope: 'test:test', answer: invalidScope }] }) }));
    expect(v.exitCode).toBe(1);
    expect(v.reasons).toEqual([
      `the registered redirect URI ${BROWSER_CALLBACK} is refused: the authorization request got an error page, HTTP 400, before any login`,
      'the registered scope test:test is refused: asked alone, it got a redirect to it with error=invalid_scope',
    ]);
  });

  it('a server that decides only after login leaves other URIs and scopes unknown, not refused; the run\'s own URI is known from AZ-01', () => {
    const v = buildVerification(input({ probes: probes({ unregisteredRedirect: onward, unknownScope: onward }) }));
    expect(v.redirectUris.map((r) => r.accepted)).toEqual([
      { answer: 'yes', how: 'the run\'s code came back to it (AZ-01)' },
      { answer: 'unknown', how: expect.stringMatching(/as an unregistered URI does: the server decides after login/) },
    ]);
    expect(v.scopes[1].requestable.answer).toBe('unknown');
    expect(v.exitCode).toBe(0);
  });

  it('could not verify (exit 2): no run, an error outside the checks, or a check that could not run to its end', () => {
    const noRun = buildVerification(input({ run: undefined, runExitCode: 2 }));
    expect(noRun).toMatchObject({ verdict: 'could not verify', exitCode: 2, reasons: ['the run could not start (exit code 2): its message is above this report'] });
    expect(noRun.redirectUris[0].accepted.answer).toBe('yes');
    expect(noRun.conformance.summary).toBe('no checks ran');

    const broken = cleanChecks().map((c) => (c.id === 'RT-03' ? { ...c, status: 'FAILURE' as const, failure: 'infrastructure' as const, details: ['cannot reach https://auth.example.test: ETIMEDOUT'] } : c));
    expect(buildVerification(input({ run: runOf(broken) })).reasons).toEqual(['RT-03 could not run to its end: cannot reach https://auth.example.test: ETIMEDOUT']);
    const errors = { ...runOf(cleanChecks()), summary: summarize('staging', cleanChecks(), ['tests/x.test.ts: SyntaxError']) };
    expect(buildVerification(input({ run: errors })).exitCode).toBe(2);
  });

  it('without an API key, probes or observations it says what is not known instead of guessing', () => {
    const v = buildVerification(input({ config: { ...input().config, apiKey: undefined }, probes: undefined, run: runOf([check('AZ-01')]) }));
    expect(v.apiKey).toEqual(['no API key configured (PLEO_API_KEY): not verified']);
    expect(v.redirectUris[0].accepted).toEqual({ answer: 'unknown', how: 'not probed (the configuration is invalid)' });
    expect(v.scopes[0].granted.how).toMatch(/observed no token response/);
    expect(v.rotation.observed).toBe('not observed');
    expect(v.lifetimes[0]).toMatch(/not observed \(see TK-02\)/);
  });
});

describe('verificationMarkdown', () => {
  it('has a section per part, the verdict first, and the expected failures apart', () => {
    const expected = cleanChecks().map((c) => (c.id === 'CA-05' ? { ...c, status: 'EXPECTED' as const, expected: { as: 'WARNING' as const, reason: 'a | b' } } : c));
    const md = verificationMarkdown(buildVerification(input({ run: runOf(expected) })));
    expect(md.split('\n').slice(0, 3)).toEqual(['# Registration report: staging', '', '**READY** (exit code 0), run finished 2026-11-30T08:00:00.000Z']);
    for (const heading of ['## Redirect URIs', '## Scopes', '## Client authentication', '## Refresh-token rotation', '## Token lifetimes', '## API key', '## Conformance', '### Expected failures']) expect(md).toContain(heading);
    expect(md).toContain('- CA-05 (SHOULD) expected WARNING: a | b');
    expect(md).toContain(`| ${CALLBACK} | yes |`);
    expect(md).not.toContain('12a3b456-78c9');
  });
});

describe('observations', () => {
  it('reads a fact back from a check\'s details, whether the note is its own status or prefixed info:', () => {
    expect(observationOf({ details: ['info: observed rotation: a new refresh_token'] }, 'rotation')).toBe('a new refresh_token');
    expect(observationOf({ details: ['observed granted scope: users:read'] }, 'granted scope')).toBe('users:read');
    expect(observationOf(undefined, 'rotation')).toBeUndefined();
    expect(tokenResponseObservations({ expires_in: '900', refresh_token_expires_in: 86400 })).toEqual([
      'observed access token lifetime: 900', 'observed refresh token lifetime: 86400', 'observed granted scope: (none)', 'observed refresh token: (none)',
    ]);
  });

  it('masks a client id to its ends', () => {
    expect(maskClientId('12a3b456-78c9-0def-1234-56789abcdef0')).toBe('12a3…def0');
    expect(maskClientId('short')).toBe('sh…');
  });
});

describe('registrationOf', () => {
  const config = { redirectUri: CALLBACK, scopes: ['users:read'] };
  it('defaults to the config\'s redirect URI and scopes, and reads space- or comma-separated lists', () => {
    expect(registrationOf({}, config)).toEqual({ redirectUris: [CALLBACK], scopes: ['users:read'] });
    expect(registrationOf({ PLEO_REGISTERED_REDIRECT_URIS: `${CALLBACK}, ${BROWSER_CALLBACK}`, PLEO_REGISTERED_SCOPES: 'users:read users:write' }, config))
      .toEqual({ redirectUris: [CALLBACK, BROWSER_CALLBACK], scopes: ['users:read', 'users:write'] });
  });

  it('refuses a redirect URI that is not an http: or https: URL', () => {
    expect(thrown(ConfigError, () => registrationOf({ PLEO_REGISTERED_REDIRECT_URIS: 'com.example.app:/callback' }, config)).problems[0]).toMatch(/PLEO_REGISTERED_REDIRECT_URIS: "com.example.app:\/callback"/);
  });
});
