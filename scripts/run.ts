/**
 * `npm test`: runs the conformance suite against the local stand-in (default) or against the
 * target of `--env NAME`. Exit codes: 0 passed, 1 a check failed, 2 the run could not start.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseCLI, startVitest } from 'vitest/node';
import { ConfigError, readConfig } from '../support/config.ts';
import { BrowserNotFoundError, resolveBrowser } from '../support/browser/resolve.ts';
import { configureHttp } from '../support/http.ts';
import { writeRunContext } from '../support/reporting/allure-results.ts';
import { ChecksReporter } from '../support/reporting/checks-reporter.ts';
import { ExpectedFailuresError, loadExpectedFailures } from '../support/reporting/expected-failures.ts';
import { describeRun } from '../support/reporting/run-context.ts';
import { runFailed } from '../support/reporting/run-outcome.ts';
import { HELP, parseRunnerArgs, UsageError, type RunnerOptions } from '../support/run/cli-args.ts';
import { preflight, StartupError } from '../support/run/preflight.ts';
import { localTargetEnv, namedTargetEnv } from '../support/run/target-env.ts';
import { redact } from '../support/secrets.ts';

const EXIT = { passed: 0, failed: 1, cannotStart: 2 } as const;

async function runSuite(options: RunnerOptions, env: Record<string, string>, label: string): Promise<number> {
  const config = readConfig(env);
  configureHttp({ timeoutMs: config.httpTimeoutMs });
  const browser = resolveBrowser(env);
  const expectedFailures = loadExpectedFailures(label, process.cwd());
  const out = resolve(options.outDir);
  const reportsDir = join(out, 'reports');
  const allureDir = join(out, 'allure-results');
  const sessionDir = mkdtempSync(join(tmpdir(), 'pleo-conformance-'));
  try {
    console.log(`Target ${label}: ${config.authUrl} (API ${config.apiUrl}), client ${config.clientId}, browser ${browser.executablePath}`);
    const sessionFile = join(sessionDir, 'session.json');
    for (const notice of await preflight(config, { sessionFile, artifactsDir: reportsDir })) console.log(notice);

    // Workers inherit the environment: the config, and the session the preflight logged in.
    Object.assign(process.env, env, { PLEO_SESSION_FILE: sessionFile, PLEO_ARTIFACTS_DIR: reportsDir });
    rmSync(allureDir, { recursive: true, force: true });
    const checks = new ChecksReporter({
      env: label,
      outputFile: join(reportsDir, 'checks.json'),
      junitFile: join(reportsDir, 'junit.xml'),
      allureDir,
      strict: config.strict,
      target: { authUrl: config.authUrl, apiUrl: config.apiUrl, clientId: config.clientId },
      expectedFailures,
    });
    const runContext = describeRun({ label, env: options.env ?? 'local', config, browserPath: browser.executablePath });
    const { filter, options: vitestOptions } = parseCLI(['vitest', ...options.vitestArgs]);
    const vitest = await startVitest('test', filter, {
      ...vitestOptions,
      watch: false,
      config: resolve('vitest.config.ts'),
      // The checks reporter comes after Allure's: it adds the verdicts to the results Allure wrote.
      reporters: ['default', ['allure-vitest/reporter', { resultsDir: allureDir }], checks],
    });
    await vitest.close();
    writeRunContext(allureDir, await runContext);
    return !checks.report || runFailed(checks.report, { strict: config.strict }) ? EXIT.failed : EXIT.passed;
  } finally {
    rmSync(sessionDir, { recursive: true, force: true });
  }
}

async function main(argv: string[]): Promise<number> {
  const options = parseRunnerArgs(argv);
  if (options.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  if (options.strict) process.env.PLEO_STRICT = 'true';
  if (options.headed) process.env.PLEO_HEADED = 'true';
  if (options.env) {
    const { env, files } = namedTargetEnv(options.env);
    console.log(`Environment "${options.env}" from ${files.map((f) => f.replace(`${process.cwd()}/`, '')).join(', ')}`);
    return runSuite(options, env, options.env);
  }
  const standIn = await localTargetEnv(options.faults).catch((error: Error) => {
    throw new StartupError(`the local stand-in did not start: ${error.message}`);
  });
  try {
    return await runSuite(options, standIn.env, options.faults.length ? `local[${options.faults.join(',')}]` : 'local');
  } finally {
    await standIn.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ConfigError || error instanceof StartupError || error instanceof BrowserNotFoundError
      || error instanceof ExpectedFailuresError;
    const message = redact(known ? (error as Error).message : ((error as Error)?.stack ?? String(error)));
    console.error(`\nCannot run the suite: ${message}`);
    if (error instanceof UsageError) console.error('See npm test -- --help');
    if (error instanceof ConfigError) console.error('Set them in the environment or in the git-ignored .env.NAME.local; the README lists every setting.');
    process.exit(EXIT.cannotStart);
  },
);
