/**
 * The registration report of `npm run verify`: what a client's registration holds and whether the
 * target honours it, built from one run's checks.json, the facts its checks observed
 * (observations.ts) and a few probes that need no login (probes.ts). Pure: the script gathers the
 * input; this turns it into the report (its sections in sections.ts, its Markdown in markdown.ts)
 * and the exit code for release gating.
 */
import type { SuiteConfig } from '../config.ts';
import type { ChecksReport } from '../reporting/checks-reporter.ts';
import type { RunSummary } from '../reporting/run-outcome.ts';
import type { RegistrationProbes } from './probes.ts';
import type { Registration } from './registration.ts';
import { firstLine, RunFacts } from './run-facts.ts';
import { apiKey, atApi, clientAuthentication, conformance, grantedFinding, lifetimes, redirectFinding, requestableFinding, rotation } from './sections.ts';

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
  const checks = new RunFacts(input.run?.checks ?? []);
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
