/**
 * The registration report of `npm run verify`: what a client's registration holds and whether the
 * target honours it, built from one run's checks.json, the facts its checks observed
 * (observations.ts) and a few probes that need no login (probes.ts). Pure: the script gathers the
 * input, this turns it into the report, its Markdown and the exit code for release gating.
 */
import type { SuiteConfig } from '../config.ts';
import type { CheckResult, ChecksReport } from '../reporting/checks-reporter.ts';
import { summaryLine, type RunSummary } from '../reporting/run-outcome.ts';
import { observationOf, type Fact } from './observations.ts';
import type { Answer, RegistrationProbes } from './probes.ts';
import type { Registration } from './registration.ts';

export type Verdict = 'ready' | 'not ready' | 'could not verify';
export const EXIT_CODES: Record<Verdict, number> = { ready: 0, 'not ready': 1, 'could not verify': 2 };

/** yes, no, or unknown, and how the report knows. */
export interface Finding {
  answer: 'yes' | 'no' | 'unknown';
  how: string;
}

export interface VerificationInput {
  label: string;
  config: Pick<SuiteConfig, 'clientId' | 'redirectUri' | 'scopes' | 'api' | 'apiKey' | 'revokedApiKey' | 'profile' | 'authUrl' | 'apiUrl'>;
  registration: Registration;
  /** Absent when they could not be made (the configuration was invalid, say). */
  probes?: RegistrationProbes;
  /** The run's checks.json; absent when the run wrote none (it could not start). */
  run?: ChecksReport;
  /** The runner's exit code. */
  runExitCode: number | null;
}

export interface Verification {
  target: { label: string; authUrl: string; apiUrl: string };
  clientId: string;
  verdict: Verdict;
  exitCode: number;
  /** Why the verdict is not "ready". */
  reasons: string[];
  redirectUris: Array<{ uri: string; accepted: Finding }>;
  scopes: Array<{ scope: string; requestable: Finding; granted: Finding; atApi: string }>;
  clientAuthentication: string[];
  rotation: { declared: string; observed: string; details: string[] };
  lifetimes: string[];
  apiKey: string[];
  conformance: {
    summary: string;
    counts?: Pick<RunSummary, 'passed' | 'failed' | 'warnings' | 'skipped' | 'expected' | 'review'>;
    outcome?: string;
    failures: string[];
    warnings: string[];
    review: string[];
    expected: string[];
    fixed: string[];
    skipped: string[];
  };
  finishedAt?: string;
}

/** Enough of a client id to recognise it, not to copy it. */
export function maskClientId(id: string): string {
  if (id.length <= 8) return `${id.slice(0, 2)}…`;
  return `${id.slice(0, 4)}…${id.slice(-4)}`;
}

const firstLine = (text: string | undefined) => (text ?? '').split('\n')[0].slice(0, 300);

class Checks {
  private readonly byId: Map<string, CheckResult>;
  constructor(readonly list: CheckResult[]) {
    this.byId = new Map(list.map((c) => [c.id ?? c.name, c]));
  }

  get(id: string): CheckResult | undefined {
    return this.byId.get(id);
  }

  fact(id: string, fact: Fact): string | undefined {
    return observationOf(this.get(id), fact);
  }

  /**
   * What a check's verdict says, in the words given for a pass and for a failure. A warning is a
   * failure of a SHOULD check, and a passed requirement with a SHOULD around it violated elsewhere.
   * Expected failures are named, their reasons listed once under Conformance.
   */
  says(id: string, pass: string, fail: string): string {
    const check = this.get(id);
    if (!check) return `${id} did not run`;
    const warned = (how: string) => (check.level === 'SHOULD' ? `${fail} (${id}: ${how})` : `${pass}, with a warning (${id}: ${how})`);
    switch (check.status) {
      case 'SUCCESS':
      case 'INFO':
        return `${pass} (${id} passed)`;
      case 'FAILURE':
        return `${fail} (${id} failed: ${firstLine(check.details[0])})`;
      case 'WARNING':
        return warned(firstLine(check.details[0]));
      case 'EXPECTED':
        return check.expected?.as === 'WARNING' ? warned('an expected warning') : `${fail} (${id}: an expected failure)`;
      case 'REVIEW':
        return `${pass}, for review (${id}: ${firstLine(check.details[0])})`;
      case 'SKIPPED':
        return `not checked (${id} skipped: ${firstLine(check.details[0])})`;
    }
  }

  /** A check's status in a word, for a note that quotes what it observed. */
  status(id: string): string {
    const status = this.get(id)?.status;
    return status === undefined ? 'did not run' : status === 'SUCCESS' || status === 'INFO' ? 'passed' : status.toLowerCase();
  }

  /** The requirement was violated (expected or not). */
  failed(id: string): boolean {
    const check = this.get(id);
    return check?.status === 'FAILURE' || (check?.status === 'EXPECTED' && check.expected?.as === 'FAILURE');
  }

  /** The requirement held (a SHOULD around it may have warned, as expected or not). */
  passed(id: string): boolean {
    const check = this.get(id);
    if (!check || check.level === 'SHOULD') return ['SUCCESS', 'INFO', 'REVIEW'].includes(check?.status ?? '');
    return ['SUCCESS', 'INFO', 'WARNING', 'REVIEW'].includes(check.status) || (check.status === 'EXPECTED' && check.expected?.as === 'WARNING');
  }
}

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
function redirectFinding(uri: string, answer: Answer, unregistered: Answer, input: VerificationInput, checks: Checks): Finding {
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
function requestableFinding(answer: Answer, unknown: Answer): Finding {
  const what = describeAnswer(answer);
  if (answer.kind === 'to-client' && answer.error) return { answer: 'no', how: `asked alone, it got ${what}` };
  if (answer.kind === 'to-client') return { answer: 'yes', how: `asked alone, it got ${what}` };
  if (answer.kind === 'error-page') return { answer: 'no', how: `asked alone, it got ${what}` };
  if (unknown.kind === 'to-client' && unknown.error) return { answer: 'yes', how: `asked alone, it got ${what}; an unknown scope got ${describeAnswer(unknown)}` };
  return { answer: 'unknown', how: `asked alone, it got ${what}, as an unknown scope does: the server decides after login` };
}

function grantedFinding(scope: string, input: VerificationInput, checks: Checks): Finding {
  if (!input.config.scopes.includes(scope)) return { answer: 'unknown', how: 'the run did not request it (add it to PLEO_SCOPES)' };
  const granted = checks.fact('TK-02', 'granted scope');
  if (granted === undefined) return { answer: 'unknown', how: 'the run observed no token response (see TK-01, TK-02)' };
  if (granted === '(none)') return { answer: 'yes', how: 'the token response named no scope: the whole request was granted (RFC 6749 §5.1)' };
  const yes = granted.split(' ').includes(scope);
  return { answer: yes ? 'yes' : 'no', how: `the run's token response granted "${granted}"` };
}

function atApi(scope: string, input: VerificationInput, checks: Checks): string {
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

function clientAuthentication(checks: Checks): string[] {
  // PL-04 notes what the right secret in the form body does; its verdict is about wrong and missing ones.
  const post = checks.get('PL-04')?.details.map((d) => d.replace(/^info: /, '')).find((d) => d.startsWith('client_id and client_secret in the form body'));
  return [
    `client_secret_basic (HTTP Basic, form-urlencoded id and secret): ${checks.says('CA-01', 'accepted', 'refused')}`,
    `client_secret_post (id and secret in the form body): ${post ? `${firstLine(post)}; ` : ''}${checks.says('PL-04', 'a wrong or missing secret there is refused', 'a wrong or missing secret there authenticates')}`,
    `Basic and a body secret together: ${checks.says('CA-05', 'refused', 'accepted')}`,
  ];
}

function rotation(input: VerificationInput, checks: Checks): Verification['rotation'] {
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

function lifetimes(input: VerificationInput, checks: Checks): string[] {
  const { accessTokenLifetimeMaxS, codeLifetimeMaxS } = input.config.profile;
  const access = checks.fact('TK-02', 'access token lifetime');
  const refresh = checks.fact('TK-02', 'refresh token lifetime');
  return [
    `access token: ${access === undefined ? 'not observed (see TK-02)' : access === '(none)' ? 'no expires_in' : `expires_in ${access} s`} (policy maximum ${accessTokenLifetimeMaxS} s); ${checks.says('SEC-03', 'it expires as stated', 'it does not expire as stated')}`,
    `refresh token: ${refresh === undefined ? 'not stated by the server (RFC 6749 has no member for it)' : `refresh_token_expires_in ${refresh} s`}`,
    `authorization code: ${checks.says('TK-07', `an expired code is refused (policy maximum ${codeLifetimeMaxS} s)`, 'an expired code is still redeemed')}`,
  ];
}

function apiKey(input: VerificationInput, checks: Checks): string[] {
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

function conformance(run: ChecksReport | undefined): Verification['conformance'] {
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

/**
 * The verdict for release gating. Not ready: a MUST (or PROFILE) requirement violated that the
 * expected-failures file does not list, or a registered redirect URI or scope the server refuses.
 * Could not verify: no run, an error outside the checks, or a check that could not run to its end.
 */
function gate(input: VerificationInput, redirects: Verification['redirectUris'], scopes: Verification['scopes']): { verdict: Verdict; reasons: string[] } {
  const { run } = input;
  if (!run) return { verdict: 'could not verify', reasons: [`the run could not start (exit code ${input.runExitCode ?? 'none'}): its message is above this report`] };
  const violated = run.checks.filter((c) => c.status === 'FAILURE' && c.failure !== 'infrastructure');
  const refused = [
    ...redirects.filter((r) => r.accepted.answer === 'no').map((r) => `the registered redirect URI ${r.uri} is refused: ${r.accepted.how}`),
    ...scopes.filter((s) => s.requestable.answer === 'no').map((s) => `the registered scope ${s.scope} is refused: ${s.requestable.how}`),
  ];
  if (violated.length || refused.length) {
    return { verdict: 'not ready', reasons: [...violated.map((c) => `${c.id ?? c.name} failed: ${firstLine(c.details[0])}`), ...refused] };
  }
  const unchecked = run.checks.filter((c) => c.status === 'FAILURE');
  const problems = [
    ...(run.checks.length === 0 ? ['no check ran'] : []),
    ...run.summary.errors.map((e) => `an error outside the checks: ${firstLine(e)}`),
    ...unchecked.map((c) => `${c.id ?? c.name} could not run to its end: ${firstLine(c.details[0])}`),
  ];
  return problems.length ? { verdict: 'could not verify', reasons: problems } : { verdict: 'ready', reasons: [] };
}

export function buildVerification(input: VerificationInput): Verification {
  const checks = new Checks(input.run?.checks ?? []);
  const probes = input.probes;
  const notProbed: Finding = { answer: 'unknown', how: 'not probed (the configuration is invalid)' };
  const redirectUris = input.registration.redirectUris.map((uri) => {
    const answer = probes?.redirectUris.find((r) => r.uri === uri)?.answer;
    return { uri, accepted: answer && probes ? redirectFinding(uri, answer, probes.unregisteredRedirect, input, checks) : notProbed };
  });
  const scopes = input.registration.scopes.map((scope) => {
    const answer = probes?.scopes.find((s) => s.scope === scope)?.answer;
    return {
      scope,
      requestable: answer && probes ? requestableFinding(answer, probes.unknownScope) : notProbed,
      granted: grantedFinding(scope, input, checks),
      atApi: atApi(scope, input, checks),
    };
  });
  const { verdict, reasons } = gate(input, redirectUris, scopes);
  return {
    target: { label: input.label, authUrl: input.config.authUrl, apiUrl: input.config.apiUrl },
    clientId: maskClientId(input.config.clientId),
    verdict,
    exitCode: EXIT_CODES[verdict],
    reasons,
    redirectUris,
    scopes,
    clientAuthentication: clientAuthentication(checks),
    rotation: rotation(input, checks),
    lifetimes: lifetimes(input, checks),
    apiKey: apiKey(input, checks),
    conformance: conformance(input.run),
    finishedAt: input.run?.finishedAt,
  };
}

const bullets = (items: string[], none = 'none') => (items.length ? items.map((i) => `- ${i}`) : [`- ${none}`]);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function verificationMarkdown(v: Verification): string {
  const c = v.conformance;
  return [
    `# Registration report: ${v.target.label}`,
    '',
    `**${v.verdict.toUpperCase()}** (exit code ${v.exitCode})${v.finishedAt ? `, run finished ${v.finishedAt}` : ''}`,
    ...(v.reasons.length ? ['', ...bullets(v.reasons)] : []),
    '',
    `- client id: \`${v.clientId}\``,
    `- authorization server: ${v.target.authUrl}`,
    `- API: ${v.target.apiUrl}`,
    '',
    '## Redirect URIs',
    '',
    '| redirect URI | accepted | how we know |',
    '|---|---|---|',
    ...v.redirectUris.map((r) => `| ${cell(r.uri)} | ${r.accepted.answer} | ${cell(r.accepted.how)} |`),
    '',
    '## Scopes',
    '',
    '| scope | requestable | granted | at the API |',
    '|---|---|---|---|',
    ...v.scopes.map((s) => `| \`${cell(s.scope)}\` | ${s.requestable.answer}: ${cell(s.requestable.how)} | ${s.granted.answer}: ${cell(s.granted.how)} | ${cell(s.atApi)} |`),
    '',
    '## Client authentication',
    '',
    ...bullets(v.clientAuthentication),
    '',
    '## Refresh-token rotation',
    '',
    `Observed: **${v.rotation.observed}**; declared (PLEO_PROFILE_ROTATION): ${v.rotation.declared}.`,
    '',
    ...bullets(v.rotation.details),
    '',
    '## Token lifetimes',
    '',
    ...bullets(v.lifetimes),
    '',
    '## API key',
    '',
    ...bullets(v.apiKey),
    '',
    '## Conformance',
    '',
    `\`${c.summary}\`${c.outcome ? ` (run ${c.outcome})` : ''}`,
    '',
    '### Failures',
    ...bullets(c.failures),
    '',
    '### Warnings (violated SHOULDs)',
    ...bullets(c.warnings),
    '',
    '### For review',
    ...bullets(c.review),
    '',
    '### Expected failures (listed in the expected-failures file, not counted against the verdict)',
    ...bullets(c.expected),
    ...(c.fixed.length ? ['', '### Listed as expected but passing now (remove them from the list)', ...bullets(c.fixed)] : []),
    '',
    '### Skipped',
    ...bullets(c.skipped),
    '',
  ].join('\n');
}
