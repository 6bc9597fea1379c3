/**
 * `npm run setup` (and before npm test/selftest/bench): makes sure a Chromium is there.
 * Order: PLEO_BROWSER_PATH, Playwright's own browser, a system Chromium; if none is found it
 * installs one: Debian's `chromium` where apt-get can be used (Playwright's download may be
 * blocked there), otherwise Playwright's own download.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { BrowserNotFoundError, resolveBrowser } from '../support/browser/resolve.ts';

const quiet = process.argv.includes('--quiet');

function tryResolve(): string | undefined {
  try {
    const browser = resolveBrowser(process.env.PLEO_BROWSER_PATH?.trim() || undefined);
    return `${browser.executablePath} (${browser.source})`;
  } catch (error) {
    if (!(error instanceof BrowserNotFoundError)) throw error;
    if (process.env.PLEO_BROWSER_PATH) {
      // An explicit choice that is wrong is the user's to fix: installing another would hide it.
      console.error(error.message);
      process.exit(2);
    }
    return undefined;
  }
}

function run(command: string, args: string[]): boolean {
  console.log(`$ ${command} ${args.join(' ')}`);
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
}

function install(): void {
  const canApt = process.platform === 'linux' && existsSync('/usr/bin/apt-get') && process.getuid?.() === 0;
  if (canApt) {
    console.log('No Chromium found: installing Debian\'s chromium package.');
    if (!run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'])) {
      run('apt-get', ['update']) && run('apt-get', ['install', '-y', '--no-install-recommends', 'chromium']);
    }
    return;
  }
  console.log('No Chromium found: installing Playwright\'s Chromium.');
  run('npx', ['playwright', 'install', 'chromium']);
}

let found = tryResolve();
if (!found) {
  install();
  found = tryResolve();
}
if (!found) {
  console.error('No Chromium could be installed. Install Chromium or Chrome, or set PLEO_BROWSER_PATH to one.');
  process.exit(2);
}
if (!quiet) console.log(`Browser: ${found}`);
