/**
 * Bad input ends a run with one clear message and exit code 2, in seconds: each case runs the
 * real runner (`tsx scripts/run.ts`) in a subprocess and checks the exit code, that the message
 * names the flag or setting, that there is one message and no stack trace, and the wall time.
 *
 * Cases that need a target point `--env` at an env file holding the settings of a stand-in
 * started here, with one setting spoiled. Time limits: 5 s for mistakes found before any target
 * is contacted, 20 s for those that need the stand-in and a browser; both on top of the time tsx
 * itself takes to start on this machine (measured once), so that a loaded machine does not fail them.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStandIn } from '../fixtures/stand-in/index.ts';
import { envFile, RUN, runTsx, type ChildOutcome } from './child-run.ts';
const FAST_S = 5;
const WITH_TARGET_S = 20;

interface Case {
  name: string;
  args: string[];
  /** Replaces or removes (undefined) settings of the stand-in's env file, which --env good-target names. */
  env?: Record<string, string | undefined>;
  /** The stand-in to describe: the default one, or one in the pleo-login mode (email, passcode, TOTP). */
  standIn?: 'pleo-login';
  /** A file the run must leave in its --out folder (a failed login's screenshot). */
  leaves?: string;
  /** What the message must contain. */
  names: string[];
  limitS: number;
}

export interface CaseResult {
  name: string;
  ok: boolean;
  detail: string;
}

function judge(c: Case, outcome: ChildOutcome, startupS: number, outDir: string): CaseResult {
  const limit = c.limitS + startupS;
  const problems = [
    ...(!c.leaves || existsSync(join(outDir, c.leaves)) ? [] : [`no ${c.leaves} in the --out folder`]),
    ...(outcome.code === 2 ? [] : [`exit code ${outcome.code}, not 2`]),
    ...c.names.filter((name) => !outcome.output.includes(name)).map((name) => `the message does not name ${name}`),
    ...((outcome.output.match(/Cannot run the suite:/g) ?? []).length === 1 ? [] : ['not exactly one "Cannot run the suite" message']),
    ...(/\n\s+at .+:\d+:\d+/.test(outcome.output) ? ['a stack trace was printed'] : []),
    ...(outcome.seconds <= limit ? [] : [`took ${outcome.seconds.toFixed(1)} s, over ${limit.toFixed(1)} s`]),
  ];
  // The message's first line, and the list of problems a configuration error adds.
  const [first, ...rest] = outcome.output.slice(outcome.output.indexOf('Cannot run the suite:')).split('\n');
  const message = [first, ...rest.slice(0, rest.findIndex((line) => !line.startsWith('  - ')))].join(' ');
  return {
    name: c.name,
    ok: problems.length === 0,
    detail: problems.length
      ? `${problems.join('; ')}\n${outcome.output.slice(-1500)}`
      : `exit 2 in ${outcome.seconds.toFixed(1)} s (limit ${c.limitS} s + ${startupS.toFixed(1)} s tsx start-up): ${message}`,
  };
}

/**
 * A failed login names its step and leaves a masked screenshot: a wrong passcode, a wrong TOTP
 * seed, a login script whose step finds nothing to click; and a script that is invalid is refused
 * before anything starts.
 */
function loginCases(dir: string, passcode: string): Case[] {
  const script = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const brokenStep = script('login-broken.yaml', '- name: passcode page\n  when: { text: "enter your passcode" }\n  fill: [{ label: "^passcode", value: "${PLEO_LOGIN_PASSCODE}" }]\n  click: { button: "^Next$" }\n');
  const invalid = script('login-invalid.yaml', '- name: passcode page\n  when: { text: "enter your passcode" }\n  fill: [{ label: "^passcode", value: "${PLEO_PIN}" }]\n');
  // Three login pages, then the failure's screenshot: a little longer than the other cases with a target.
  const failed = { args: ['--env', 'good-target'], standIn: 'pleo-login' as const, leaves: 'reports/login-failure.png', limitS: WITH_TARGET_S + 10 };
  return [
    { name: 'wrong passcode', ...failed, env: { PLEO_LOGIN_PASSCODE: passcode === '0000' ? '1111' : '0000' }, names: ['passcode step', 'still shows the passcode field', 'PLEO_LOGIN_PASSCODE'] },
    { name: 'wrong TOTP seed', ...failed, env: { PLEO_LOGIN_TOTP_SECRET: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' }, names: ['TOTP step', 'PLEO_LOGIN_TOTP_SECRET'] },
    { name: 'login script step that finds nothing to click', ...failed, env: { PLEO_LOGIN_SCRIPT: brokenStep }, names: ['"passcode page" step', 'PLEO_LOGIN_SCRIPT step 1', '/^Next$/'] },
    { name: 'invalid login script', args: ['--env', 'good-target'], standIn: 'pleo-login', env: { PLEO_LOGIN_SCRIPT: invalid }, names: ['PLEO_LOGIN_SCRIPT', 'step 1 (passcode page)', '${PLEO_PIN}'], limitS: FAST_S },
  ];
}

export async function badInputCases(): Promise<CaseResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'pleo-bad-input-'));
  const standIn = await startStandIn();
  const pleoLogin = await startStandIn({ modes: ['pleo-login'] });
  try {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, '');
    mkdirSync(join(dir, '.env.unreadable'));
    const notJson = join(dir, 'not-json.postman_environment.json');
    writeFileSync(notJson, '{"name": "Pleo staging", "values": [');
    const cases: Case[] = [
      { name: 'unknown flag', args: ['--frobnicate'], names: ['--frobnicate'], limitS: FAST_S },
      { name: 'typo of a flag (--stric)', args: ['--stric'], names: ['--stric', '--strict'], limitS: FAST_S },
      { name: 'unknown fault', args: ['--fault', 'nosuch'], names: ['fault', 'nosuch'], limitS: FAST_S },
      { name: 'unknown mode', args: ['--mode', 'nosuch'], names: ['mode', 'nosuch'], limitS: FAST_S },
      { name: 'unwritable --out', args: ['--out', join(file, 'out')], names: ['--out', 'ENOTDIR'], limitS: FAST_S },
      { name: 'missing --env file', args: ['--env', 'nosuch'], names: ['.env.nosuch'], limitS: FAST_S },
      { name: 'unreadable --env file', args: ['--env', 'unreadable'], names: ['.env.unreadable', 'cannot read'], limitS: FAST_S },
      { name: 'URL without a scheme', args: ['--env', 'good-target'], env: { PLEO_AUTH_URL: standIn.authUrl.replace('http://', '') }, names: ['PLEO_AUTH_URL'], limitS: FAST_S },
      { name: 'ftp: URL', args: ['--env', 'good-target'], env: { PLEO_API_URL: 'ftp://127.0.0.1/' }, names: ['PLEO_API_URL', 'http: or https:'], limitS: FAST_S },
      { name: 'javascript: redirect URI', args: ['--env', 'good-target'], env: { PLEO_REDIRECT_URI: 'javascript:alert(1)' }, names: ['PLEO_REDIRECT_URI'], limitS: FAST_S },
      { name: 'invalid regular expression', args: ['--env', 'good-target'], env: { PLEO_CONSENT_ALLOW_PATTERN: '(allow' }, names: ['PLEO_CONSENT_ALLOW_PATTERN', 'regular expression'], limitS: FAST_S },
      { name: 'missing required variable', args: ['--env', 'good-target'], env: { PLEO_CLIENT_ID: undefined }, names: ['PLEO_CLIENT_ID is not set'], limitS: FAST_S },
      { name: 'invalid CSS selector', args: ['--env', 'good-target'], env: { PLEO_LOGIN_EMAIL_SELECTOR: 'input[[' }, names: ['PLEO_LOGIN_EMAIL_SELECTOR', 'CSS selector'], limitS: WITH_TARGET_S },
      { name: 'missing --postman-env file', args: ['--postman-env', join(dir, 'nosuch.json')], names: ['--postman-env', 'nosuch.json', 'ENOENT'], limitS: FAST_S },
      { name: 'PLEO_POSTMAN_ENV file that is not JSON', args: ['--env', 'good-target'], env: { PLEO_POSTMAN_ENV: notJson }, names: ['PLEO_POSTMAN_ENV', 'not JSON'], limitS: FAST_S },
      { name: 'scope the server refuses', args: ['--env', 'good-target'], env: { PLEO_SCOPES: 'users:read no-such:scope' }, names: ['PLEO_SCOPES', 'invalid_scope'], limitS: WITH_TARGET_S },
      { name: 'redirect URI the server does not know', args: ['--env', 'good-target'], env: { PLEO_REDIRECT_URI: 'http://127.0.0.1:9/not-registered' }, names: ['PLEO_REDIRECT_URI'], limitS: WITH_TARGET_S },
      { name: 'unreachable authorization server', args: ['--env', 'good-target'], env: { PLEO_AUTH_URL: 'http://127.0.0.1:1' }, names: ['PLEO_AUTH_URL', 'refused'], limitS: FAST_S },
      { name: 'https: URL of a plain HTTP API (TLS)', args: ['--env', 'good-target'], env: { PLEO_API_URL: standIn.apiUrl.replace('http:', 'https:') }, names: ['PLEO_API_URL', 'TLS'], limitS: FAST_S },
      { name: 'wrong client secret', args: ['--env', 'good-target'], env: { PLEO_CLIENT_SECRET: 'not-the-secret' }, names: ['PLEO_CLIENT_SECRET', 'invalid_client'], limitS: FAST_S },
      { name: 'API key the API refuses', args: ['--env', 'good-target'], env: { PLEO_API_KEY: 'not-the-key' }, names: ['PLEO_API_KEY', '401'], limitS: FAST_S },
      ...loginCases(dir, pleoLogin.env.PLEO_LOGIN_PASSCODE),
    ];
    const startup = await runTsx(['-e', '0'], { cwd: dir, killAfterS: FAST_S + 30 });
    const results: CaseResult[] = [];
    // One at a time: the time limits mean little when the cases compete for the machine.
    for (const c of cases) {
      const base = c.standIn === 'pleo-login' ? pleoLogin.env : standIn.env;
      writeFileSync(join(dir, '.env.good-target.local'), envFile({ ...base, ...c.env }), { mode: 0o600 });
      const outDir = join(dir, `out-${results.length}`);
      // A hung run is killed well after its limit, so that it is reported rather than waited for.
      const outcome = await runTsx([RUN, ...c.args, ...(c.args.includes('--out') ? [] : ['--out', outDir])], { cwd: dir, killAfterS: c.limitS + 30 });
      results.push(judge(c, outcome, startup.seconds, outDir));
    }
    return results;
  } finally {
    await Promise.all([standIn.close(), pleoLogin.close()]);
    rmSync(dir, { recursive: true, force: true });
  }
}
