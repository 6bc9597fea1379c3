/**
 * The sections of the registration report, each from the run's facts, the probes and the
 * configuration: redirect URIs, scopes, client authentication, rotation, lifetimes, API key and
 * the conformance summary.
 */
import type { CheckResult, ChecksReport } from '../reporting/checks-reporter.ts';
import { summaryLine } from '../reporting/run-outcome.ts';
import type { Answer } from './probes.ts';
import type { Finding, Verification, VerificationInput } from './report.ts';
import { firstLine, type RunFacts } from './run-facts.ts';

function describeAnswer(answer: Answer): string {
  switch (answer.kind) {
    case 'to-client':
      return `a redirect to it${answer.error ? ` with error=${answer.error}` : ''}`;
    case 'onward':
      return `a redirect onward (to the login), HTTP ${answer.status}`;
    case 'page':
      return `a page, HTTP ${answer.status}`;
    case 'error-page':
      return `an error page, HTTP ${answer.status}`;
    case 'unreachable':
      return `no answer (${answer.reason})`;
  }
}

/**
 * A registered redirect URI: refused before login with an error page, accepted when the server
 * redirects to it or leads on to its login while an unregistered URI gets an error page. When an
 * unregistered URI is answered the same way, the server decides only after login: only the URI
 * the run used is then known to work.
 */
export function redirectFinding(uri: string, answer: Answer, unregistered: Answer, input: VerificationInput, checks: RunFacts): Finding {
  const used = uri === input.config.redirectUri && checks.passed('AZ-01');
  const what = describeAnswer(answer);
  if (answer.kind === 'to-client') return { answer: 'yes', how: `the authorization request got ${what}` };
  if (answer.kind === 'error-page') return { answer: 'no', how: `the authorization request got ${what}, before any login` };
  if (answer.kind === 'unreachable') return { answer: used ? 'yes' : 'unknown', how: `the probe got ${what}${used ? '; the run\'s code came back to it (AZ-01)' : ''}` };
  if (unregistered.kind !== answer.kind) return { answer: 'yes', how: `the authorization request got ${what}; an unregistered URI got ${describeAnswer(unregistered)}` };
  if (used) return { answer: 'yes', how: 'the run\'s code came back to it (AZ-01)' };
  return { answer: 'unknown', how: `the authorization request got ${what}, as an unregistered URI does: the server decides after login, and the run used ${input.config.redirectUri}` };
}

/** A registered scope asked alone: refused with an error redirect, or not refused where an unknown scope is. */
export function requestableFinding(answer: Answer, unknown: Answer): Finding {
  const what = describeAnswer(answer);
  if (answer.kind === 'to-client' && answer.error) return { answer: 'no', how: `asked alone, it got ${what}` };
  if (answer.kind === 'to-client') return { answer: 'yes', how: `asked alone, it got ${what}` };
  if (answer.kind === 'error-page') return { answer: 'no', how: `asked alone, it got ${what}` };
  if (unknown.kind === 'to-client' && unknown.error) return { answer: 'yes', how: `asked alone, it got ${what}; an unknown scope got ${describeAnswer(unknown)}` };
  return { answer: 'unknown', how: `asked alone, it got ${what}, as an unknown scope does: the server decides after login` };
}

export function grantedFinding(scope: string, input: VerificationInput, checks: RunFacts): Finding {
  if (!input.config.scopes.includes(scope)) return { answer: 'unknown', how: 'the run did not request it (add it to PLEO_SCOPES)' };
  const granted = checks.fact('TK-02', 'granted scope');
  if (granted === undefined) return { answer: 'unknown', how: 'the run observed no token response (see TK-01, TK-02)' };
  if (granted === '(none)') return { answer: 'yes', how: 'the token response named no scope: the whole request was granted (RFC 6749 §5.1)' };
  const yes = granted.split(' ').includes(scope);
  return { answer: yes ? 'yes' : 'no', how: `the run's token response granted "${granted}"` };
}

export function atApi(scope: string, input: VerificationInput, checks: RunFacts): string {
  const { scopedPath, scopedPathScope } = input.config.api;
  if (scope !== scopedPathScope) return `not probed: PLEO_API_SCOPED_PATH (${scopedPath}) needs ${scopedPathScope}`;
  const withIt = checks.fact('SC-02', 'API with the granted scope');
  const without = checks.fact('SC-06', 'API without the route scope');
  const parts = [
    withIt ? `with it, ${withIt} (SC-02 ${checks.status('SC-02')})` : checks.says('SC-02', `opens ${scopedPath}`, `does not open ${scopedPath}`),
    without ? `without it, ${without} (SC-06 ${checks.status('SC-06')})` : checks.says('SC-06', 'a token without it is refused', 'a token without it is not refused'),
  ];
  return parts.join('; ');
}

export function clientAuthentication(checks: RunFacts): string[] {
  // PL-04 notes what the right secret in the form body does; its verdict is about wrong and missing ones.
  const post = checks.get('PL-04')?.details.map((d) => d.replace(/^info: /, '')).find((d) => d.startsWith('client_id and client_secret in the form body'));
  return [
    `client_secret_basic (HTTP Basic, form-urlencoded id and secret): ${checks.says('CA-01', 'accepted', 'refused')}`,
    `client_secret_post (id and secret in the form body): ${post ? `${firstLine(post)}; ` : ''}${checks.says('PL-04', 'a wrong or missing secret there is refused', 'a wrong or missing secret there authenticates')}`,
    `Basic and a body secret together: ${checks.says('CA-05', 'refused', 'accepted')}`,
  ];
}

export function rotation(input: VerificationInput, checks: RunFacts): Verification['rotation'] {
  const declaredPolicy = input.config.profile.rotation;
  const declared = declaredPolicy.policy === 'grace' ? `grace:${declaredPolicy.seconds}` : declaredPolicy.policy;
  const issued = checks.fact('TK-02', 'refresh token');
  const onRefresh = checks.fact('RT-02', 'rotation');
  const rotates = issued === '(none)' ? 'no refresh tokens'
    : onRefresh === 'a new refresh_token' ? (checks.passed('RT-03') ? (declared.startsWith('grace') ? `rotation (${declared} as declared)` : 'strict rotation') : 'rotation, but the superseded refresh token is not refused')
      : onRefresh === 'the same refresh_token' || onRefresh === 'no refresh_token' ? 'none (the refresh token is kept)'
        : 'not observed';
  const gaps = [...(checks.failed('RT-04') ? ['a replay revokes nothing'] : []), ...(checks.failed('PL-01') ? ['the previous access token stays valid'] : [])];
  return {
    declared,
    observed: [rotates, ...gaps].join('; '),
    details: [
      `a code exchange issues a refresh token: ${issued === undefined ? 'not observed (see TK-02)' : issued === 'issued' ? 'yes' : 'no'}`,
      `a refresh returns: ${onRefresh ?? 'not observed (see RT-01, RT-02)'}`,
      `the superseded refresh token: ${checks.says('RT-03', 'refused', 'still works')}`,
      `replaying it: ${checks.says('RT-04', 'revokes the grant', 'does not revoke the grant')}`,
      `the previous access token after a refresh: ${checks.says('PL-01', 'refused', 'still works')}`,
    ],
  };
}

export function lifetimes(input: VerificationInput, checks: RunFacts): string[] {
  const { accessTokenLifetimeMaxS, codeLifetimeMaxS } = input.config.profile;
  const access = checks.fact('TK-02', 'access token lifetime');
  const refresh = checks.fact('TK-02', 'refresh token lifetime');
  return [
    `access token: ${access === undefined ? 'not observed (see TK-02)' : access === '(none)' ? 'no expires_in' : `expires_in ${access} s`} (policy maximum ${accessTokenLifetimeMaxS} s); ${checks.says('SEC-03', 'it expires as stated', 'it does not expire as stated')}`,
    `refresh token: ${refresh === undefined ? 'not stated by the server (RFC 6749 has no member for it)' : `refresh_token_expires_in ${refresh} s`}`,
    `authorization code: ${checks.says('TK-07', `an expired code is refused (policy maximum ${codeLifetimeMaxS} s)`, 'an expired code is still redeemed')}`,
  ];
}

export function apiKey(input: VerificationInput, checks: RunFacts): string[] {
  if (!input.config.apiKey) return ['no API key configured (PLEO_API_KEY): not verified'];
  const reach = (input.probes?.apiKey ?? []).map((p) => {
    if (p.status === undefined) return `GET ${p.path}: no answer (${p.reason})`;
    const identity = p.authMethod || p.scope ? ` (authMethod ${p.authMethod ?? '?'}, scope "${p.scope ?? ''}")` : '';
    return `GET ${p.path}: HTTP ${p.status}${p.status < 300 ? ', reached' : ', refused'}${identity}`;
  });
  return [
    `works as Basic base64(key + ":"): ${checks.says('AK-01', 'yes', 'no')}`,
    ...reach,
    input.config.revokedApiKey ? `the revoked key: ${checks.says('AK-03', 'refused like a wrong key', 'not refused like a wrong key')}` : 'no revoked key configured (PLEO_API_KEY_REVOKED)',
  ];
}

export function conformance(run: ChecksReport | undefined): Verification['conformance'] {
  if (!run) return { summary: 'no checks ran', failures: [], warnings: [], review: [], expected: [], fixed: [], skipped: [] };
  const line = (c: CheckResult) => `${c.id ?? c.name} (${c.level ?? '?'}) ${c.title ?? ''}: ${firstLine(c.details[0])}`;
  const having = (status: CheckResult['status']) => run.checks.filter((c) => c.status === status).map(line);
  return {
    summary: summaryLine(run.summary),
    counts: (({ passed, failed, warnings, skipped, expected, review }) => ({ passed, failed, warnings, skipped, expected, review }))(run.summary),
    outcome: run.outcome,
    failures: having('FAILURE'),
    warnings: having('WARNING'),
    review: having('REVIEW'),
    expected: run.checks.filter((c) => c.status === 'EXPECTED').map((c) => `${c.id ?? c.name} (${c.level ?? '?'}) expected ${c.expected?.as ?? ''}: ${c.expected?.reason ?? ''}`),
    fixed: run.summary.fixed,
    skipped: run.summary.skipReasons.map((s) => `${s.count} × ${s.reason}`),
  };
}
