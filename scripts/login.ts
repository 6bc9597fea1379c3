/**
 * `npm run login -- --env NAME`: for a login the suite cannot type itself (SSO, SMS codes, a
 * CAPTCHA). It opens the env's authorization request in a visible browser, waits until the person
 * has logged in (the consent screen shows; nothing is approved), and saves the browser session to
 * the git-ignored .auth/NAME.json (mode 0600). Headless runs with --env NAME reuse it until it
 * expires; the preflight says so when it has. Exit codes: 0 saved, 2 nothing saved.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError, loadEnvFiles, readConfig } from '../support/config.ts';
import { savedSessionPath } from '../support/config-login.ts';
import { redact } from '../support/secrets.ts';

const USAGE = 'Usage: npm run login -- --env NAME [--minutes N]  (N: how long to wait for the login, default 10)';

class UsageError extends Error {}

function options(argv: string[]): { env: string; minutes: number } {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { env: { type: 'string' }, minutes: { type: 'string', default: '10' }, help: { type: 'boolean' } } }).values;
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  if (parsed.help) {
    console.log(USAGE);
    process.exit(0);
  }
  if (!parsed.env) throw new UsageError('--env NAME is required: the env whose login session to save');
  const minutes = Number(parsed.minutes);
  if (!(minutes > 0)) throw new UsageError(`--minutes must be a positive number, not "${parsed.minutes}"`);
  return { env: parsed.env, minutes };
}

async function main(argv: string[]): Promise<void> {
  const { env, minutes } = options(argv);
  const file = savedSessionPath(process.cwd(), env);
  const { vars } = loadEnvFiles(env, process.cwd(), process.env);
  const config = readConfig(vars, { label: env, headed: true, savedSession: { envName: env, file, saving: true } });
  // Loaded only now: Playwright takes seconds to load, and a mistake must end the command at once.
  const [{ ConsentDriver }, { buildAuthorizationRequest }] = await Promise.all([
    import('../support/browser/driver.ts'),
    import('../support/authorization-request.ts'),
  ]);
  const driver = await ConsentDriver.launch(config).catch((error: Error) => {
    throw new Error(`the browser did not start (a headed browser needs a display): ${error.message.split('\n')[0]}`);
  });
  try {
    console.log(`Log in to ${new URL(config.authorizeUrl).origin} in the browser window, as the test user of --env ${env}.`);
    console.log('The session is saved as soon as the consent screen shows; nothing is approved.');
    await driver.waitForLogin(await buildAuthorizationRequest(config), minutes * 60_000);
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    chmodSync(dirname(file), 0o700);
    await driver.saveSession(file);
  } finally {
    await driver.close();
  }
  console.log(`Saved the login session to ${relative(process.cwd(), file)} (mode 0600, git-ignored; it is a live credential).`);
  console.log(`npm test -- --env ${env} reuses it until it expires.`);
}

main(process.argv.slice(2)).then(() => process.exit(0), (error: unknown) => {
  console.error(`\nNo session saved: ${redact(error instanceof Error ? error.message : String(error))}`);
  if (error instanceof ConfigError) console.error('Set them in the environment or in the git-ignored .env.NAME.local; the README lists every setting.');
  if (error instanceof UsageError) console.error(USAGE);
  process.exit(2);
});
