/**
 * `npm test`: runs the conformance suite against the local stand-in (default), another local
 * target (`--target`), or the target of `--env NAME`. It reads and validates the configuration
 * once and hands that object to the preflight, the browser driver and the checks.
 * Exit codes: 0 passed, 1 a check failed, 2 the run could not start or the target became
 * unavailable, 130/143 interrupted.
 */
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ConfigError, configuredFeatures, readConfig, unknownVariables, type SuiteConfig } from '../support/config.ts';
import { savedSessionPath } from '../support/config-login.ts';
import { ExpectedFailuresError, loadExpectedFailures } from '../support/reporting/expected-failures.ts';
import { HELP, parseRunnerArgs, unmatchedFilters, UsageError } from '../support/run/cli-args.ts';
import { StartupError } from '../support/run/errors.ts';
import { runHeader } from '../support/run/header.ts';
import { keepingSignalHandlers, RunLifecycle } from '../support/run/lifecycle.ts';
import { prepareOutDir, type OutputDirs } from '../support/run/out-dir.ts';
import { progressPrinter } from '../support/run/progress.ts';
import { startTarget } from '../support/run/target-env.ts';
import { UnavailableTarget } from '../support/run/unavailable.ts';
import { redact } from '../support/secrets.ts';

const ROOT = resolve(import.meta.dirname, '..');
const EXIT = { passed: 0, failed: 1, cannotStart: 2 } as const;

const lifecycle = new RunLifecycle();
/** Where the run's redacted debug traces go, with --trace. */
let traceDir: string | undefined;
/** A path as short as it gets: relative inside the current folder, absolute outside it. */
const shown = (path: string) => {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') ? path : inside || '.';
};

function checkFileFilters(filters: string[]): void {
  const testFiles = readdirSync(join(ROOT, 'tests'), { recursive: true, encoding: 'utf8' }).map((file) => join('tests', file));
  const unmatched = unmatchedFilters(filters.map((f) => (isAbsolute(f) ? relative(ROOT, f) : f)), testFiles);
  if (unmatched.length) throw new UsageError(`no test file matches ${unmatched.map((f) => `"${f}"`).join(', ')} (the checks are in ${testFiles.filter((f) => f.endsWith('.test.ts')).join(', ')})`);
}

async function runChecks(config: SuiteConfig, vitestArgs: string[], { reportsDir, allureDir }: OutputDirs, expectedFailures: ReturnType<typeof loadExpectedFailures>, env: string): Promise<number> {
  const [{ createVitest, parseCLI }, { ChecksReporter }, { writeRunContext }, { describeRun }, { runFailed }] = await Promise.all([
    import('vitest/node'),
    import('../support/reporting/checks-reporter.ts'),
    import('../support/reporting/allure-results.ts'),
    import('../support/reporting/run-context.ts'),
    import('../support/reporting/run-outcome.ts'),
  ]);
  rmSync(allureDir, { recursive: true, force: true });
  const checks = new ChecksReporter({
    env: config.target.label,
    outputFile: join(reportsDir, 'checks.json'),
    junitFile: join(reportsDir, 'junit.xml'),
    allureDir,
    strict: config.strict,
    target: { authUrl: config.authUrl, apiUrl: config.apiUrl, clientId: config.clientId },
    expectedFailures,
  });
  const runContext = describeRun({ label: config.target.label, env, config, browserPath: config.browser.executablePath, features: configuredFeatures(config) });
  const unavailable = new UnavailableTarget(async () => {
    const { unreachable } = await import('../support/politeness/reachability.ts');
    for (const url of [config.authorizeUrl, config.apiUrl]) {
      const problem = await unreachable(url);
      if (problem) return `${url} ${problem}`;
    }
    return undefined;
  });
  const { filter, options } = parseCLI(['vitest', ...vitestArgs]);
  const vitest = await keepingSignalHandlers(() => createVitest('test', {
    ...options,
    watch: false,
    root: ROOT,
    config: join(ROOT, 'vitest.config.ts'),
    // The checks reporter comes after Allure's: it adds the verdicts to the results Allure wrote.
    reporters: ['default', ['allure-vitest/reporter', { resultsDir: allureDir }], checks, unavailable],
    // The one configuration of the run, for the checks' worker (support/run/handover.ts).
    provide: { suiteConfig: config },
  }));
  const running = vitest.start(filter);
  lifecycle.closeAtEnd(async () => {
    // Interrupted: stop the checks, and let the run wind down before its temporary files go.
    if (lifecycle.signal) await vitest.cancelCurrentRun('keyboard-input');
    await running.catch(() => undefined);
    await vitest.close();
  });
  await running;
  if (lifecycle.signal) return EXIT.failed;
  await unavailable.throwIfUnavailable();
  writeRunContext(allureDir, await runContext);
  return !checks.report || runFailed(checks.report, { strict: config.strict }) ? EXIT.failed : EXIT.passed;
}

async function main(argv: string[]): Promise<number> {
  lifecycle.exitOnSignals();
  const options = parseRunnerArgs(argv);
  if (options.help) {
    console.log(HELP);
    return EXIT.passed;
  }
  checkFileFilters(options.fileFilters);
  const out = prepareOutDir(options.outDir);

  const runDir = lifecycle.privateDir();
  // The run's temporary folder for this process and its children (the Vitest worker, every
  // Chromium and its profile, which holds the session cookie): all of it goes with runDir.
  process.env.TMPDIR = runDir;

  const target = await startTarget(options, {
    environment: process.env,
    envDir: process.cwd(),
    projectDir: ROOT,
    closeAtEnd: (close) => lifecycle.closeAtEnd(close),
  });
  if (target.files.length) console.log(`Environment "${target.label}" from ${target.files.map(shown).join(', ')}`);
  const config = readConfig(target.env, {
    label: target.label,
    strict: options.strict,
    headed: options.headed,
    runSlow: options.slow,
    runDestructive: options.destructive,
    trace: options.trace,
    artifactsDir: out.reportsDir,
    sessionFile: join(runDir, 'session.json'),
    // A session saved by npm run login for this env is reused until it expires.
    ...(options.env && { savedSession: { envName: options.env, file: savedSessionPath(process.cwd(), options.env) } }),
  });
  if (config.browser.trace) {
    traceDir = join(out.reportsDir, 'traces');
    rmSync(traceDir, { recursive: true, force: true });
  }
  for (const line of runHeader(config, unknownVariables(target.env))) console.log(line);
  const expectedFailures = loadExpectedFailures(config.target.label, ROOT);
  if (expectedFailures.entries.length) console.log(`Expected failures: ${expectedFailures.entries.length} listed in ${shown(expectedFailures.file)}`);

  // Loaded only now (Vitest, Playwright and undici take seconds): a mistake must end the run at once.
  const [{ configureHttp }, { configurePoliteness, failedAuthSpent }, { preflight }] = await Promise.all([
    import('../support/http.ts'), import('../support/politeness/index.ts'), import('../support/run/preflight.ts'),
  ]);
  configureHttp({ timeoutMs: config.httpTimeoutMs });
  configurePoliteness(config);
  await preflight(config, { progress: progressPrinter(), closeAtEnd: (close) => lifecycle.closeAtEnd(close) });
  // The cap on wrong credentials is the run's, not the process's: the checks get what is left.
  config.politeness.failedAuthSpent = failedAuthSpent();
  return runChecks(config, options.vitestArgs, out, expectedFailures, options.env ?? 'local');
}

function explain(error: unknown): void {
  const known = error instanceof UsageError || error instanceof ConfigError || error instanceof StartupError || error instanceof ExpectedFailuresError;
  const message = redact(known ? (error as Error).message : ((error as Error)?.stack ?? String(error)));
  console.error(`\nCannot run the suite: ${message}`);
  if (error instanceof UsageError) console.error('See npm test -- --help');
  if (error instanceof ConfigError) console.error('Set them in the environment or in the git-ignored .env.NAME.local; the README lists every setting.');
}

/** The traces are written as their browsers close or their test files end, so only once the run has ended. */
function reportTraces(dir: string): void {
  const files = existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith('.zip')) : [];
  console.log(files.length
    ? `Traces (redacted; no screenshots or binary bodies): ${files.length} in ${shown(dir)}; open with npx playwright show-trace FILE`
    : `Traces: none was recorded (${shown(dir)} is empty)`);
}

async function finish(code: number): Promise<void> {
  await lifecycle.end();
  if (traceDir && !lifecycle.signal) reportTraces(traceDir);
  // An interrupted run exits from its signal handler, with 130 or 143.
  if (!lifecycle.signal) process.exit(code);
}

main(process.argv.slice(2)).then(finish, (error: unknown) => {
  if (!lifecycle.signal) explain(error);
  return finish(EXIT.cannotStart);
});
