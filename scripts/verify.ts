/**
 * `npm run verify -- --env NAME`: the registration report for release gating. It runs the suite
 * once, with the normal runner (the same logins as `npm test`), then makes a few probes that need
 * no login and writes reports/verification.md and reports/verification.json.
 * Exit codes: 0 ready, 1 not ready (a MUST violated that is not an expected failure, or a
 * registered redirect URI or scope refused), 2 could not verify, 130/143 interrupted.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, readConfig } from '../support/config.ts';
import type { ChecksReport } from '../support/reporting/checks-reporter.ts';
import { parseRunnerArgs, UsageError } from '../support/run/cli-args.ts';
import { SIGNAL_EXIT_CODES } from '../support/run/lifecycle.ts';
import { prepareOutDir } from '../support/run/out-dir.ts';
import { startTarget } from '../support/run/target-env.ts';
import { redact } from '../support/secrets.ts';
import { registrationOf } from '../support/verify/registration.ts';
import { verificationMarkdown } from '../support/verify/markdown.ts';
import { buildVerification, EXIT_CODES, type VerificationInput } from '../support/verify/report.ts';

const ROOT = resolve(import.meta.dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

const USAGE = `Usage: npm run verify -- --env NAME [options]

Runs the suite once against the target in .env.NAME (as npm test -- --env NAME does, with the
same logins), probes each registered redirect URI and scope and the API key without logging in,
and writes the registration report: reports/verification.md and reports/verification.json.

Options:
  --env NAME          the target (.env.NAME, then .env.NAME.local; the environment wins)
  --postman-env FILE  also read an exported Postman environment, underneath the env files
  --out DIR           where reports/ and allure-results/ go (default: the current folder)
  --slow              also run the slow checks (code and token lifetimes)
  --destructive       also run the checks that change the target beyond tokens
  --headed            show the browser
  -h, --help          this text

Settings beyond npm test's: PLEO_REGISTERED_REDIRECT_URIS and PLEO_REGISTERED_SCOPES, the
registration's redirect URIs and scopes (space-separated; default PLEO_REDIRECT_URI, PLEO_SCOPES).

Exit codes: 0 ready, 1 not ready (a MUST violated that the expected-failures file does not list,
            or a registered redirect URI or scope refused), 2 could not verify, 130/143 interrupted.`;

interface VerifyOptions {
  env?: string;
  postmanEnv?: string;
  outDir: string;
  /** Flags handed to the runner as they are. */
  runFlags: string[];
  help: boolean;
}

function parseVerifyArgs(argv: string[]): VerifyOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        env: { type: 'string' }, 'postman-env': { type: 'string' }, out: { type: 'string' },
        slow: { type: 'boolean' }, destructive: { type: 'boolean' }, headed: { type: 'boolean' }, help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const options = {
    env: values.env,
    postmanEnv: values['postman-env'],
    outDir: values.out ?? '.',
    runFlags: (['slow', 'destructive', 'headed'] as const).filter((flag) => values[flag]).map((flag) => `--${flag}`),
    help: Boolean(values.help),
  };
  if (!options.help && !options.env && !options.postmanEnv) throw new UsageError('--env NAME is missing: the report is about a described target (npm run stand-in, then --env stand-in, to try it locally)');
  return options;
}

/** The runner, in a child process, its output on this console; resolves with its exit code. */
function runSuite(args: string[]): Promise<{ code: number | null; signal?: keyof typeof SIGNAL_EXIT_CODES }> {
  return new Promise((done) => {
    const child = spawn(TSX, [join(ROOT, 'scripts', 'run.ts'), ...args], { stdio: 'inherit' });
    let signal: keyof typeof SIGNAL_EXIT_CODES | undefined;
    // Ctrl+C reaches the runner too (one process group); a SIGTERM for this process is passed on.
    for (const name of Object.keys(SIGNAL_EXIT_CODES) as Array<keyof typeof SIGNAL_EXIT_CODES>) {
      process.on(name, () => {
        signal ??= name;
        child.kill(name);
      });
    }
    child.once('close', (code) => done({ code, signal }));
  });
}

/** The run's checks.json, if this run wrote it (a run that could not start leaves the previous one). */
function freshChecks(file: string, since: number): ChecksReport | undefined {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8')) as ChecksReport;
  return Date.parse(report.finishedAt) >= since ? report : undefined;
}

async function main(argv: string[]): Promise<number> {
  const options = parseVerifyArgs(argv);
  if (options.help) {
    console.log(USAGE);
    return 0;
  }
  const out = prepareOutDir(options.outDir);
  const runnerArgs = [
    ...(options.env ? ['--env', options.env] : []), ...(options.postmanEnv ? ['--postman-env', options.postmanEnv] : []),
    '--out', options.outDir, ...options.runFlags,
  ];
  // A described target starts nothing: the variables the runner will read, for the probes and the report.
  const target = await startTarget(parseRunnerArgs(runnerArgs), { environment: process.env, envDir: process.cwd(), projectDir: ROOT, closeAtEnd: () => undefined });
  const config = readConfig(target.env, { label: target.label, artifactsDir: out.reportsDir });
  const registration = registrationOf(target.env, config);

  const started = Date.now();
  const run = await runSuite(runnerArgs);
  if (run.signal) return SIGNAL_EXIT_CODES[run.signal];

  const [{ configureHttp }, { probeRegistration }] = await Promise.all([import('../support/http.ts'), import('../support/verify/probes.ts')]);
  configureHttp({ timeoutMs: config.httpTimeoutMs });
  const input: VerificationInput = {
    label: target.label,
    config,
    registration,
    probes: await probeRegistration(config, registration),
    run: freshChecks(join(out.reportsDir, 'checks.json'), started),
    runExitCode: run.code,
  };
  const verification = buildVerification(input);
  const files = { json: join(out.reportsDir, 'verification.json'), md: join(out.reportsDir, 'verification.md') };
  writeFileSync(files.json, redact(`${JSON.stringify(verification, null, 2)}\n`));
  writeFileSync(files.md, redact(verificationMarkdown(verification)));

  const shown = (path: string) => relative(process.cwd(), path) || '.';
  console.log(`\nRegistration report: ${shown(files.md)}, ${shown(files.json)}`);
  for (const reason of verification.reasons) console.log(`  - ${redact(reason)}`);
  console.log(`verification: ${verification.verdict.toUpperCase()} (client ${verification.clientId})`);
  return verification.exitCode;
}

main(process.argv.slice(2)).then((code) => process.exit(code), (error: unknown) => {
  const known = error instanceof UsageError || error instanceof ConfigError;
  console.error(`\nCannot verify: ${redact(known ? (error as Error).message : ((error as Error)?.stack ?? String(error)))}`);
  if (error instanceof UsageError) console.error('See npm run verify -- --help');
  process.exit(EXIT_CODES['could not verify']);
});
